// Preloaded (`node --import`) into a CLI child process by test/support/measured-cli.ts: at exit,
// writes the process's peak resident set size (kilobytes) to the file named by IW_TEST_RSS_FILE.
import { writeFileSync } from 'node:fs';

const file = process.env.IW_TEST_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));

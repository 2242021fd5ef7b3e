// Preloaded (`node --import`) into a CLI child process by test/support/measured-cli.ts: at exit,
// writes the process's own usage to the file named by IW_TEST_RSS_FILE as JSON:
// { maxRssKb, cpuSeconds } (peak resident set size; user + system CPU time).
import { writeFileSync } from 'node:fs';

const file = process.env.IW_TEST_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRssKb: usage.maxRSS, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6 }));
  });
}

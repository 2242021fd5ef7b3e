// Preloaded into a child process (NODE_OPTIONS=--import=…) by test/support/peak-rss.ts: prints
// the process's peak resident set size to stderr when it exits.
process.on('exit', () => process.stderr.write(`\npeak-rss-kib=${process.resourceUsage().maxRSS}\n`));

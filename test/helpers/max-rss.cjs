// Preloaded into a child (node -r) to report its peak resident memory, in
// kilobytes, to the file named by ASTROSELL_TEST_RSS_FILE when it exits.
const { writeFileSync } = require('node:fs');
process.on('exit', () => {
  writeFileSync(process.env.ASTROSELL_TEST_RSS_FILE, String(process.resourceUsage().maxRSS));
});

#!/usr/bin/env node
import module from 'node:module';

// Node 22.1+ keeps compiled code of dist/ between runs (start-up time);
// older Node has no such API and simply skips it.
module.enableCompileCache?.();

// A bare `--version` (what scripts and version managers ask most) loads
// nothing else; everything else, `--version --verbose` too, goes through the CLI.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  const { VERSION } = await import('../dist/version.js');
  process.stdout.write(`${VERSION}\n`);
} else {
  const { runFromProcess } = await import('../dist/cli.js');
  await runFromProcess();
}

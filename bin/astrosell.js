#!/usr/bin/env node
import module from 'node:module';

// Node 22.1+ keeps compiled code of dist/ between runs (start-up time);
// older Node has no such API and simply skips it.
module.enableCompileCache?.();

const { runFromProcess } = await import('../dist/cli.js');
await runFromProcess();

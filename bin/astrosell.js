#!/usr/bin/env node
import { runFromProcess } from '../dist/cli.js';

await runFromProcess();

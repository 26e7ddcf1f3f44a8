#!/usr/bin/env node
// Prints the help of every command, and a few usage errors, with their exit
// codes: run it before and after a change to the command tree and diff the
// two outputs (they should be identical).
//   node scripts/help-snapshot.mjs > before.txt
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const bin = join(new URL('..', import.meta.url).pathname, 'bin', 'astrosell.js');
const verbs = {
  products: ['list', 'get', 'create', 'restock'],
  warehouses: ['list', 'get', 'check', 'diff', 'create', 'restock'],
  restocks: ['list', 'abandon'],
  orders: ['list', 'get', 'watch'],
  coupons: ['list'],
  keys: ['add', 'list', 'use', 'remove', 'status'],
};
const runs = [
  ['--help'],
  ['help'],
  ['--version'],
  ['api', '--help'],
  ['sandbox', '--help'],
  ['completion', '--help'],
];
for (const [noun, list] of Object.entries(verbs)) {
  runs.push([noun, '--help'], [noun], ['help', noun]);
  for (const v of list) runs.push([noun, v, '--help'], ['help', noun, v]);
}
runs.push(
  ['bogus'],
  ['products', 'bogus'],
  ['products', 'get'],
  ['orders', 'list', '--limit', '0'],
  ['orders', 'list', '--limit', 'x'],
  ['warehouses', 'create', '--low-stock-threshold', '-1'],
  ['products', 'restock', 'x', '--batch-size', '0'],
  ['sandbox', '--port', 'abc'],
  ['sandbox', '--port', '70000'],
  ['sandbox', '--error-rate', '2'],
  ['sandbox', '--drop-rate', 'x'],
  ['sandbox', '--error-rate', '0.6', '--drop-rate', '0.6'],
  ['sandbox', '--key', 'bad key'],
  ['sandbox', '--rate-limit', 'often'],
  ['sandbox', '--max-lines', '0'],
  ['--timeout', '0', 'products', 'list'],
  ['api', 'FETCH', '/x'],
);
const env = { ...process.env, NO_COLOR: '1', ASTROSELL_CONFIG_DIR: '/nonexistent-astrosell-cfg' };
for (const k of Object.keys(env))
  if (k.startsWith('ASTROSELL_') && k !== 'ASTROSELL_CONFIG_DIR') delete env[k];
for (const args of runs) {
  const r = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', timeout: 10_000 });
  process.stdout.write(
    `### astrosell ${args.join(' ')}  → exit ${r.status}\n${r.stdout}--- stderr\n${r.stderr}\n`,
  );
}

// Guards start-up time (docs/architecture.md): each command path must load only
// the modules it needs. The build's metafile says which npm packages each
// dist chunk holds; a loader hook records which chunks a run imported.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, ROOT } from '../helpers/cli.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';

const HOOK = join(ROOT, 'test', 'helpers', 'record-imports.mjs');
const HEAVY = [
  'undici',
  'conf',
  'ora',
  '@inquirer',
  'chalk',
  'cli-table3',
  'ajv',
  'node-sqlite3-wasm',
];

interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

function packagesOf(file: string, meta: Metafile): Set<string> {
  const out = meta.outputs[relative(ROOT, file)];
  const pkgs = new Set<string>();
  for (const input of Object.keys(out?.inputs ?? {})) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m?.[1]) pkgs.add(m[1]);
  }
  return pkgs;
}

let work: string;
let shop: TestShop;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'astrosell-imports-'));
  shop = await startTestShop();
});
afterAll(async () => {
  await shop.close();
  rmSync(work, { recursive: true, force: true });
});

// Asynchronous: the sandbox runs in this process and must keep answering.
const run = promisify(execFile);

async function loadedPackages(
  args: string[],
  env: Record<string, string> = {},
): Promise<Set<string>> {
  const log = join(work, `imports-${Math.random().toString(36).slice(2)}.log`);
  await run(process.execPath, ['--import', HOOK, BIN, ...args], {
    env: cleanEnv({ ...env, ASTROSELL_IMPORT_LOG: log }),
  });
  const meta = JSON.parse(readFileSync(join(ROOT, 'dist', 'metafile.json'), 'utf8')) as Metafile;
  const urls = readFileSync(log, 'utf8')
    .split('\n')
    .filter((u) => u.startsWith('file:'));
  const pkgs = new Set<string>();
  for (const url of urls) {
    for (const p of packagesOf(fileURLToPath(url), meta)) pkgs.add(p);
  }
  return pkgs;
}

const heavyIn = (pkgs: Set<string>) =>
  [...pkgs].filter((p) => HEAVY.some((h) => p === h || p.startsWith(`${h}/`)));

describe('modules loaded at start-up', () => {
  it('--version loads no dependency at all, not even commander', async () => {
    expect([...(await loadedPackages(['--version']))]).toEqual([]);
    expect([...(await loadedPackages(['--version', '--verbose']))]).toEqual([]);
  });

  it('--help loads commander only', async () => {
    expect([...(await loadedPackages(['--help']))]).toEqual(['commander']);
  });

  it('a --json read with key and URL from the environment loads neither conf, prompts, spinners nor table code', async () => {
    const pkgs = await loadedPackages(['products', 'list', '--json'], shop.env);
    expect(pkgs.has('undici')).toBe(true);
    expect(heavyIn(pkgs)).toEqual(['undici']);
  });

  it('a piped table loads no colour, prompt or spinner code', async () => {
    const pkgs = await loadedPackages(['products', 'list'], shop.env);
    expect(heavyIn(pkgs).sort()).toEqual(['undici']);
  });

  it('SQLite (the order history) loads only for a command that reads or writes the history', async () => {
    expect(heavyIn(await loadedPackages(['orders', 'list', '--json'], shop.env))).toEqual([
      'undici',
    ]);
    expect(heavyIn(await loadedPackages(['orders', 'sync', '--help']))).toEqual([]);
    const db = join(work, 'history.sqlite');
    const synced = await loadedPackages(['orders', 'sync', '--db', db], shop.env);
    expect(synced.has('node-sqlite3-wasm')).toBe(true);
  });
});

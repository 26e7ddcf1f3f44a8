// Issue #12: what `npm pack` makes from a clean clone installs with
// `npm install -g` and works. The working tree's files that git would clone
// (tracked or new, not ignored: so no dist/) are copied to a temporary folder
// and packed there — the build must come from prepack — then the tarball is
// installed into a throw-away prefix with npm offline and an empty cache, which
// proves that it needs no other package. The installed `astrosell` is run
// against a sandbox it starts itself.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, ROOT } from '../helpers/cli.js';

const exec = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

let work: string;
let prefix: string;
let installed: string;
let packed: { filename: string; size: number; files: { path: string }[] };
let sandbox: ChildProcess | undefined;

/** The environment of a child: none of the npm_* settings of the `npm test` running us. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = cleanEnv({
    PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
    npm_config_cache: join(work, 'npm-cache'),
    ...extra,
  });
  for (const k of Object.keys(env)) {
    if (k.toLowerCase().startsWith('npm_') && k !== 'npm_config_cache') delete env[k];
  }
  return env;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'astrosell-pack-'));
  const clone = join(work, 'clone');
  const { stdout } = await exec(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { cwd: ROOT, maxBuffer: 1 << 26 },
  );
  for (const file of stdout.split('\0').filter(Boolean)) {
    // A tracked file deleted in the working tree is not part of the clone.
    if (!existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    cpSync(join(ROOT, file), join(clone, file));
  }
  expect(existsSync(join(clone, 'dist'))).toBe(false);
  // The clone's `npm ci`: the same packages, without installing them again.
  symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');

  const pack = await exec(npm, ['pack', '--json', '--pack-destination', work], {
    cwd: clone,
    env: childEnv(),
    maxBuffer: 1 << 26,
  });
  [packed] = JSON.parse(pack.stdout);

  prefix = join(work, 'prefix');
  await exec(
    npm,
    [
      'install',
      '-g',
      '--prefix',
      prefix,
      '--offline',
      '--no-audit',
      '--no-fund',
      join(work, packed.filename),
    ],
    { cwd: work, env: childEnv() },
  );
  installed = join(prefix, 'bin', 'astrosell');
}, 120_000);

afterAll(async () => {
  if (sandbox && sandbox.exitCode === null) {
    const exited = new Promise((resolve) => sandbox?.once('exit', resolve));
    sandbox.kill('SIGINT');
    await exited;
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('the packed and installed package', () => {
  it('holds the executable, the bundle, its declarations and the licences, and no sources, tests or maps', () => {
    const paths = packed.files.map((f) => f.path).sort();
    for (const wanted of [
      'bin/astrosell.js',
      'dist/cli.js',
      'dist/sandbox.js',
      'dist/THIRD-PARTY-LICENSES.txt',
      'dist/index.js',
      'dist/types/index.d.ts',
      'dist/types/sandbox/index.d.ts',
      'LICENSE',
      'README.md',
      'CHANGELOG.md',
      'package.json',
    ]) {
      expect(paths).toContain(wanted);
    }
    const unexpected = paths.filter(
      (p) =>
        !['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json', 'bin/astrosell.js'].includes(p) &&
        !/^dist\/(chunks\/)?[\w-]+\.js$/.test(p) &&
        // The library's declarations (import … from 'astrosell').
        !/^dist\/types\/[\w/-]+\.d\.ts$/.test(p) &&
        p !== 'dist/THIRD-PARTY-LICENSES.txt',
    );
    expect(unexpected).toEqual([]);
    // docs/install.md states the size; a jump means something crept in.
    // About half of it is SQLite (WebAssembly) for the order history.
    expect(packed.size).toBeLessThan(1_600_000);
  });

  it('declares no dependency, and installing it pulled in no other package', () => {
    const root = join(prefix, 'lib', 'node_modules', 'astrosell');
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(manifest.version).toBe(version);
    expect(manifest.dependencies).toBeUndefined();
    expect(existsSync(join(root, 'node_modules'))).toBe(false);
    const licences = readFileSync(join(root, 'dist', 'THIRD-PARTY-LICENSES.txt'), 'utf8');
    for (const dep of ['commander@', 'undici@', 'conf@', 'chalk@', 'ora@', '@inquirer/prompts@']) {
      expect(licences).toContain(`\n${dep}`);
    }
  });

  it('astrosell --version answers, with the Node.js version under --verbose', async () => {
    const plain = await exec(installed, ['--version'], { env: childEnv() });
    expect(plain.stdout).toBe(`${version}\n`);
    const verbose = await exec(installed, ['--version', '--verbose'], { env: childEnv() });
    expect(verbose.stdout).toBe(
      `${version}\nnode ${process.version} (${process.platform}-${process.arch})\n`,
    );
  });

  it('astrosell sandbox --port 0 starts, and astrosell products list reads from it', async () => {
    const config = join(work, 'config');
    sandbox = spawn(installed, ['sandbox', '--port', '0'], {
      env: childEnv({ ASTROSELL_CONFIG_DIR: config }),
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const lines = createInterface({ input: sandbox.stdout! })[Symbol.asyncIterator]();
    const url = (await lines.next()).value as string;
    const key = (await lines.next()).value as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);

    const env = childEnv({
      ASTROSELL_API_KEY: key,
      ASTROSELL_BASE_URL: url,
      ASTROSELL_CONFIG_DIR: config,
    });
    const list = await exec(installed, ['products', 'list'], { env });
    const rows = list.stdout.trim().split('\n');
    expect(rows).toHaveLength(8);
    expect(rows.join('\n')).toContain('Netflix Premium 1 Month');
    const json = await exec(installed, ['products', 'list', '--json'], { env });
    expect(JSON.parse(json.stdout)).toHaveLength(8);
  });
});

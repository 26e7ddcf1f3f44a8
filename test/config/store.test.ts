import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configDirFrom, defaultConfigDir, openProfileStore } from '../../src/config/store.js';
import { CliError } from '../../src/errors.js';
import { tempDir } from '../helpers/cli.js';

const dirs: Array<() => void> = [];
afterEach(() => {
  while (dirs.length) dirs.pop()!();
});
function fresh(): string {
  const t = tempDir();
  dirs.push(t.cleanup);
  return join(t.dir, 'astrosell');
}
const mode = (p: string) => statSync(p).mode & 0o777;
const posix = process.platform !== 'win32';

describe('profile store', () => {
  it('creates the folder 0700 and the file 0600', async () => {
    const dir = fresh();
    const store = await openProfileStore(dir);
    store.set('ci', { key: 'nsk_test_aaaaaaaaaaaaaaaa' });
    expect(store.path).toBe(join(dir, 'config.json'));
    if (posix) {
      expect(mode(dir)).toBe(0o700);
      expect(mode(store.path)).toBe(0o600);
    }
    expect(store.warnings).toEqual([]);
  });

  it('keeps profiles across opens; first profile becomes default; use and remove', async () => {
    const dir = fresh();
    const a = await openProfileStore(dir);
    a.set('zeta', { key: 'nsk_test_z' });
    a.set('alpha', { key: 'nsk_test_a', baseUrl: 'http://127.0.0.1:4010/api/v1' });
    expect(a.defaultName()).toBe('zeta');
    const b = await openProfileStore(dir);
    expect(b.list().map((p) => [p.name, p.isDefault])).toEqual([
      ['alpha', false],
      ['zeta', true],
    ]);
    expect(b.get('alpha')).toEqual({ key: 'nsk_test_a', baseUrl: 'http://127.0.0.1:4010/api/v1' });
    b.setDefault('alpha');
    expect((await openProfileStore(dir)).defaultName()).toBe('alpha');
    expect(b.remove('alpha')).toBe(true);
    expect(b.remove('alpha')).toBe(false);
    expect(b.defaultName()).toBeUndefined(); // never moved to another shop's key on its own
    b.setDefault('zeta');
    expect(b.remove('zeta')).toBe(true);
    expect(b.defaultName()).toBeUndefined();
    expect(JSON.parse(readFileSync(b.path, 'utf8'))).toEqual({ profiles: {} });
  });

  it('does not treat inherited names as profiles', async () => {
    const store = await openProfileStore(fresh());
    expect(store.get('constructor')).toBeUndefined();
    expect(store.get('__proto__')).toBeUndefined();
  });

  it.runIf(posix)('tightens a config readable by others, and says so', async () => {
    const dir = fresh();
    (await openProfileStore(dir)).set('ci', { key: 'nsk_test_k' });
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'config.json'), 0o644);
    const store = await openProfileStore(dir);
    expect(mode(dir)).toBe(0o700);
    expect(mode(store.path)).toBe(0o600);
    expect(store.warnings).toHaveLength(2);
    expect(store.warnings[0]).toContain(`config folder ${dir}`);
    expect(store.warnings[0]).toContain('755');
    expect(store.warnings[1]).toContain(`config file ${store.path}`);
    expect(store.warnings[1]).toContain('644');
    expect(store.get('ci')?.key).toBe('nsk_test_k');
  });

  it('a corrupt file is an error naming it, and is left untouched', async () => {
    const dir = fresh();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, 'config.json');
    const garbage = '{"profiles": {"ci": {"key": "nsk_test_k"}'; // truncated
    writeFileSync(file, garbage, { mode: 0o600 });
    const err = await openProfileStore(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).message).toContain(file);
    expect((err as CliError).message).toContain('not valid JSON');
    expect((err as CliError).message).not.toContain('\n');
    expect(readFileSync(file, 'utf8')).toBe(garbage);
  });

  it('a profile of the wrong shape is an error naming the file and the profile', async () => {
    for (const bad of ['"str"', '{"key": 5}', '{"key": "nsk_test_k", "baseUrl": []}', 'null']) {
      const dir = fresh();
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const file = join(dir, 'config.json');
      const text = `{"profiles": {"ci": ${bad}}, "defaultProfile": "ci"}`;
      writeFileSync(file, text, { mode: 0o600 });
      const err = await openProfileStore(dir).catch((e: unknown) => e);
      expect(err, bad).toBeInstanceOf(CliError);
      expect((err as CliError).message).toContain(`config file ${file}: profile "ci"`);
      expect(readFileSync(file, 'utf8')).toBe(text);
    }
  });

  it('a folder that cannot be used is a clear error', async () => {
    const t = tempDir();
    dirs.push(t.cleanup);
    const blocker = join(t.dir, 'file');
    writeFileSync(blocker, 'x');
    await expect(openProfileStore(join(blocker, 'astrosell'))).rejects.toThrow(
      /cannot use config folder/,
    );
  });

  it('opening an empty folder writes nothing', async () => {
    const dir = fresh();
    const store = await openProfileStore(dir);
    expect(store.list()).toEqual([]);
    expect(existsSync(store.path)).toBe(false);
  });
});

describe('config folder', () => {
  it('ASTROSELL_CONFIG_DIR wins', () => {
    expect(configDirFrom({ ASTROSELL_CONFIG_DIR: '/tmp/x' })).toEqual({
      dir: '/tmp/x',
      source: 'env',
    });
  });
  it('else the platform folder', () => {
    expect(configDirFrom({ XDG_CONFIG_HOME: '/cfg' }).source).toBe('default');
    expect(defaultConfigDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux')).toBe(join('/cfg', 'astrosell'));
    expect(defaultConfigDir({}, 'darwin')).toMatch(/Library[/\\]Preferences[/\\]astrosell$/);
    expect(defaultConfigDir({ APPDATA: 'C:\\AppData' }, 'win32')).toContain('astrosell');
  });
});

// Records the CLI computes locally print like every list: `restocks list`
// (from the journals in the config folder), `keys list` and `keys status`
// take --format and --fields, keep their keys masked in every format, and an
// unknown field is a one-line usage error (exit 2). Their tables, tab-separated
// rows and --json are held by restocks-list-rules.test.ts and keys.test.ts.
import { mkdirSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Journal, journalDir } from '../../src/restock/journal.js';
import { runners } from '../cli/guard.js';
import { tempDir } from '../helpers/cli.js';
import { startTestShop, type TestShop } from '../helpers/sandbox.js';
import { journalState } from '../restock/journal-state.js';

const LIVE = 'nsk_live_otherkey0000000000zzzz';
let shop: TestShop;
let cfg: { dir: string; cleanup: () => void };
const { piped, bin } = runners(() => [LIVE, shop.key]);

beforeAll(async () => {
  shop = await startTestShop();
});
afterAll(() => shop.close());
beforeEach(() => {
  cfg = tempDir();
});
afterEach(() => cfg.cleanup());

const env = (extra: Record<string, string> = {}) => ({ ASTROSELL_CONFIG_DIR: cfg.dir, ...extra });

/** An interrupted restock into `target`, as a stopped run leaves its journal. */
function interrupted(key: string, target: { kind: 'warehouse' | 'product'; id: string }): void {
  const dir = journalDir(cfg.dir);
  mkdirSync(dir, { recursive: true });
  new Journal(dir, key).save(
    journalState(key, {
      target: { ...target, baseUrl: shop.sandbox.url },
      startedAt: new Date().toISOString(),
    }),
  );
}

/** The one `error:` line of a usage error, and its code. */
function usageError(r: { code: number; stderr: string }): string {
  expect(r.code).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('restocks list', () => {
  const A = 'a'.repeat(24);
  const B = 'b'.repeat(24);

  it('--fields picks those fields, nested ones by dotted path, in CSV', async () => {
    interrupted(A, { kind: 'warehouse', id: 'w-1' });
    interrupted(B, { kind: 'product', id: 'p-2' });
    const r = await piped(['restocks', 'list', '--format', 'csv', '--fields', 'key,target.id'], {
      env: env(),
    });
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.split('\r\n').filter(Boolean).slice(1);
    expect(r.stdout.split('\r\n')[0]).toBe('key,target.id');
    expect(rows.sort()).toEqual([`${A},w-1`, `${B},p-2`]);
  });

  it('--format csv has a header and a line per restock, its target and counts in their own columns', async () => {
    interrupted(A, { kind: 'warehouse', id: 'w-1' });
    const r = await piped(['restocks', 'list', '--format', 'csv'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    const [header, row, end] = r.stdout.split('\r\n');
    const cells = Object.fromEntries(header!.split(',').map((h, i) => [h, row!.split(',')[i]]));
    expect(cells).toMatchObject({ key: A, 'target.kind': 'warehouse', 'target.id': 'w-1' });
    expect(end).toBe('');
  });

  it('--format ndjson is a restock a line, as --json has them', async () => {
    interrupted(A, { kind: 'warehouse', id: 'w-1' });
    interrupted(B, { kind: 'product', id: 'p-2' });
    const ndjson = await piped(['restocks', 'list', '--format', 'ndjson'], { env: env() });
    const json = await piped(['restocks', 'list', '--json'], { env: env() });
    expect(ndjson.code, ndjson.stderr).toBe(0);
    const lines = ndjson.stdout.trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual(JSON.parse(json.stdout));
  });

  it('an unknown field is a usage error naming the fields there are', async () => {
    const r = await piped(['restocks', 'list', '--fields', 'key,nope'], { env: env() });
    const line = usageError(r);
    expect(line).toMatch(/^error: unknown field "nope"; valid fields: .*\btarget\.id\b/);
  });
});

describe('keys list', () => {
  async function twoProfiles(): Promise<void> {
    await piped(['keys', 'add', 'live', '--no-verify'], { env: env(), input: LIVE });
    await piped(['keys', 'add', 'sandbox', '--base-url', shop.sandbox.url, '--default'], {
      env: env(),
      input: shop.key,
    });
  }

  it('--format csv: a profile a line, its key masked, never whole', async () => {
    await twoProfiles();
    // The built CLI: what a script piping it to a spreadsheet gets.
    const r = await bin(['keys', 'list', '--format', 'csv'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      'name,key,baseUrl,default\r\n' +
        'live,nsk_live_…zzzz,,false\r\n' +
        `sandbox,nsk_test_…${shop.key.slice(-4)},${shop.sandbox.url},true\r\n`,
    );
  });

  it('--fields in any format keeps the key masked', async () => {
    await twoProfiles();
    for (const format of ['tsv', 'csv', 'ndjson', 'json', 'table']) {
      const r = await piped(['keys', 'list', '--fields', 'key', '--format', format], {
        env: env(),
      });
      expect(r.code, `${format}: ${r.stderr}`).toBe(0);
      expect(r.stdout, format).toContain('nsk_live_…zzzz');
    }
  });

  it('--format json is --json: one object, the default and the profiles', async () => {
    await twoProfiles();
    const json = await piped(['keys', 'list', '--json'], { env: env() });
    const format = await piped(['keys', 'list', '--format', 'json'], { env: env() });
    expect(format.code, format.stderr).toBe(0);
    expect(format.stdout).toBe(json.stdout);
    expect(JSON.parse(format.stdout).default).toBe('sandbox');
  });

  it('--fields picks from the profiles: piped, a line each', async () => {
    await twoProfiles();
    const r = await piped(['keys', 'list', '--fields', 'name,default'], { env: env() });
    expect(r.stdout).toBe('live\tfalse\nsandbox\ttrue\n');
  });

  it('an unknown field is a usage error naming the fields there are', async () => {
    const line = usageError(await piped(['keys', 'list', '--fields', 'secret'], { env: env() }));
    expect(line).toBe('error: unknown field "secret"; valid fields: name, key, baseUrl, default');
  });
});

describe('keys status', () => {
  it('--fields: those rows of the report, piped a `name<TAB>value` line each', async () => {
    await piped(['keys', 'add', 'sandbox', '--base-url', shop.sandbox.url], {
      env: env(),
      input: shop.key,
    });
    const r = await piped(['keys', 'status', '--fields', 'profile,verified'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('profile\tsandbox\nverified\ttrue\n');
    const csv = await piped(['keys', 'status', '--format', 'csv', '--fields', 'key,verified'], {
      env: env(),
    });
    expect(csv.stdout).toBe(`key,verified\r\nnsk_test_…${shop.key.slice(-4)},true\r\n`);
  });

  it('a report in another format still ends in the error line and exit code of a failure', async () => {
    const r = await piped(['keys', 'status', '--format', 'json', '--fields', 'keySource,error'], {
      env: env(),
    });
    expect(JSON.parse(r.stdout)).toEqual({ keySource: 'none', error: 'no API key configured' });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^error: no API key configured\n/);
  });

  it('an unknown field is a usage error naming the fields there are', async () => {
    const line = usageError(await piped(['keys', 'status', '--fields', 'nope'], { env: env() }));
    expect(line).toMatch(
      /^error: unknown field "nope"; valid fields: profile, profileSource, key,/,
    );
  });
});

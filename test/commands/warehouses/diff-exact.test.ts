// `warehouses diff` against a service of the test's own (the pool is exactly
// what the test says): the exact report piped, on a terminal and with
// --show; the spooled standard input removed; and --show's writes, which
// respect a slow stdout's back-pressure.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli.js';
import { cleanEnv, runMain, tempDir } from '../../helpers/cli.js';
import { closeAll, fakeService, sendJson, serviceEnv } from '../../helpers/fake-service.js';

afterEach(closeAll);
let dir: ReturnType<typeof tempDir>;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir.cleanup());

function file(name: string, text: string): string {
  const path = join(dir.dir, name);
  writeFileSync(path, text);
  return path;
}

/** A service holding one warehouse, wh_1, with these items (or this body). */
async function pool(items: string[] | Record<string, unknown>) {
  const svc = await fakeService((req, res) => {
    if (req.url === '/api/v1/warehouses/wh_1')
      sendJson(res, 200, Array.isArray(items) ? { id: 'wh_1', name: 'Pool', items } : items);
    else sendJson(res, 404, { error: 'no such warehouse' });
  });
  return { ...serviceEnv(svc), ASTROSELL_CONFIG_DIR: join(dir.dir, 'config') };
}

describe('the report', () => {
  it('piped: the counts as tsv, the verdict on stderr; exit 9 when some are missing', async () => {
    const env = await pool(['A', 'B', 'X', 'Y', 'Z']);
    const f = file('some.txt', 'A\nB\nC\n\nA\n');
    const r = await runMain(['warehouses', 'diff', 'wh_1', f], { env });
    expect(r).toEqual({
      code: 9,
      stdout: 'file serials\t3\npresent\t2\nmissing\t1\nextra\t3\npool items\t5\n',
      stderr: `1 of 3 serials of ${f} are missing from the pool.\n`,
    });
    const all = await runMain(['warehouses', 'diff', 'wh_1', file('all.txt', 'Z\nA\n')], { env });
    expect(all).toEqual({
      code: 0,
      stdout: 'file serials\t2\npresent\t2\nmissing\t0\nextra\t3\npool items\t5\n',
      stderr: `all 2 serials of ${join(dir.dir, 'all.txt')} are in the pool.\n`,
    });
  });

  it('on a terminal: a table, present in green, missing in red when there are some', async () => {
    const env = { ...(await pool(['A', 'B'])), FORCE_COLOR: '1' };
    const tty = { stdout: true, stderr: true };
    const green = (s: string) => `\u001b[32m${s}\u001b[39m`;
    const red = (s: string) => `\u001b[31m${s}\u001b[39m`;
    const some = await runMain(['warehouses', 'diff', 'wh_1', file('t1.txt', 'A\nC\n')], {
      env,
      tty,
    });
    const all = await runMain(['warehouses', 'diff', 'wh_1', file('t2.txt', 'A\n')], { env, tty });
    const bold = (s: string) => `\u001b[1m${s}\u001b[22m`;
    const table = (present: string, missing: string, extra: string) =>
      [
        `${bold('file serials:')} ${present === green('1') && missing === red('1') ? '2' : '1'}`,
        `${bold('present:     ')} ${present}`,
        `${bold('missing:     ')} ${missing}`,
        `${bold('extra:       ')} ${extra}`,
        `${bold('pool items:  ')} 2`,
        '',
      ].join('\n');
    expect(some.stdout).toBe(table(green('1'), red('1'), '1'));
    expect(all.stdout).toBe(table(green('1'), '0', '1'));
  });

  it('--show: only serials on stdout, the counts in one line on stderr', async () => {
    const env = await pool(['P1', 'X1', 'P2', 'X2']);
    const f = file('show.txt', 'M1\nP2\nM2\nP1\nM1\n');
    const missing = await runMain(['warehouses', 'diff', 'wh_1', f, '--show', 'missing'], { env });
    const verdict = `2 of 4 serials of ${f} are missing from the pool; 2 present, 2 missing, 2 in the pool but not in the file.\n`;
    expect(missing).toEqual({ code: 9, stdout: 'M1\nM2\n', stderr: verdict });
    const present = await runMain(['warehouses', 'diff', 'wh_1', f, '--show', 'present'], { env });
    expect(present).toEqual({ code: 9, stdout: 'P2\nP1\n', stderr: verdict });
    const extra = await runMain(['warehouses', 'diff', 'wh_1', f, '--show', 'extra'], { env });
    expect(extra).toEqual({ code: 9, stdout: 'X1\nX2\n', stderr: verdict });
    const g = file('show-all.txt', 'P1\n');
    const none = await runMain(['warehouses', 'diff', 'wh_1', g, '--show', 'missing'], { env });
    expect(none).toEqual({
      code: 0,
      stdout: '',
      stderr: `all 1 serials of ${g} are in the pool; 1 present, 0 missing, 3 in the pool but not in the file.\n`,
    });
  });

  it('an answer with no item list is refused: exit 1, one line, no verdict', async () => {
    const env = await pool({ id: 'wh_1', name: 'Pool' });
    const r = await runMain(['warehouses', 'diff', 'wh_1', file('n.txt', 'A\n')], { env });
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: "error: the service did not list the pool's items for warehouse wh_1\n",
    });
  });

  // A proxy that ends the answer early (a whole HTTP response, a cut JSON
  // body) must not make the file's other serials look missing.
  it.each([
    ['between items', '{"id":"wh_1","count":3,"items":["A","B",'],
    ['inside an item', '{"id":"wh_1","count":3,"items":["A","B","C'],
    ['short of its count', '{"id":"wh_1","count":3,"items":["A","B"]}'],
  ])('a pool answer cut off %s is refused: exit 1, one line, no verdict', async (_, body) => {
    const svc = await fakeService((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    const env = { ...serviceEnv(svc), ASTROSELL_CONFIG_DIR: join(dir.dir, 'config') };
    const r = await runMain(['warehouses', 'diff', 'wh_1', file('cut.txt', 'A\nC\n')], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^error: the service's answer for warehouse wh_1 is cut off or malformed .*\n$/,
    );
    expect(r.stderr).not.toMatch(/missing from the pool|are in the pool/);
  });

  it('a line a restock would refuse: exit 2, with the hint', async () => {
    const env = await pool(['A']);
    const f = file('bad.txt', 'A\nB\u0007C\n');
    const r = await runMain(['warehouses', 'diff', 'wh_1', f], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: .*bad\.txt, line 2: .*\nhint: a restock would refuse this file too; serials are one per line, printable UTF-8\n$/,
    );
  });
});

describe('standard input', () => {
  it('said when it is a terminal; spooled, then the spool removed', async () => {
    const env = await pool(['A']);
    const r = await runMain(['warehouses', 'diff', 'wh_1', '-', '--show', 'missing'], {
      env,
      input: 'A\nB\n',
      tty: { stdin: true },
    });
    expect(r).toEqual({
      code: 9,
      stdout: 'B\n',
      stderr:
        'reading serials from standard input (end with Ctrl-D)…\n' +
        '1 of 2 serials of standard input are missing from the pool; 1 present, 1 missing, 0 in the pool but not in the file.\n',
    });
    expect(readdirSync(join(dir.dir, 'config', 'restock'))).toEqual([]);
  });
});

/** A stdout that takes each write a turn later, and says it is full after every write. */
class SlowSink extends Writable {
  writes: number[] = [];
  constructor() {
    super({ highWaterMark: 1 });
  }
  override _write(chunk: Buffer, _e: BufferEncoding, cb: () => void) {
    this.writes.push(chunk.length);
    setImmediate(cb);
  }
}

describe('--show on a slow stdout', () => {
  it('writes in pieces of about 64 KiB, and waits for each to drain before the next unit and the end', async () => {
    const env = await pool(['S-0000000000001']);
    const serials = Array.from({ length: 25_000 }, (_, i) => `S-${String(i).padStart(13, '0')}`);
    const f = file('many.txt', `${serials.join('\n')}\n`);
    const stdout = new SlowSink();
    let pendingAtVerdict = -1;
    const stderr = new (class extends Writable {
      text = '';
      override _write(c: Buffer, _e: BufferEncoding, cb: () => void) {
        if (pendingAtVerdict < 0) pendingAtVerdict = stdout.writableLength;
        this.text += c.toString();
        cb();
      }
    })();
    const stdin = new PassThrough();
    stdin.end();
    const code = await main(['warehouses', 'diff', 'wh_1', f, '--show', 'missing'], {
      stdin,
      stdout,
      stderr,
      env: cleanEnv(env),
    });
    expect(code).toBe(9);
    expect(stderr.text).toMatch(/^24999 of 25000 serials/);
    // 24,999 lines of 16 bytes: flushed on reaching 64 KiB, and at the end of each unit of 10,000.
    expect(stdout.writes).toEqual([65_536, 65_536, 28_912, 65_536, 65_536, 28_928, 65_536, 14_464]);
    // The verdict comes after stdout has taken everything.
    expect(pendingAtVerdict).toBe(0);
  });
});

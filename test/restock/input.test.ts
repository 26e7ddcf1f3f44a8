// prepareInput, exactly: the refusals before anything is read, the stdin
// spool (and the stale spools of dead runs it clears), the totals over
// several files, and where checking stops at the first bad line.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { InStream } from '../../src/context.js';
import { InterruptedError, UsageError } from '../../src/errors.js';
import { BLOCK } from '../../src/restock/chunks.js';
import { prepareInput } from '../../src/restock/input.js';
import { tempDir } from '../helpers/cli.js';

const dirs: Array<() => void> = [];
afterEach(() => {
  for (const c of dirs.splice(0)) c();
});
function temp(): string {
  const { dir, cleanup } = tempDir('astrosell-input-');
  dirs.push(cleanup);
  return dir;
}
const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const noStdin = Readable.from([]) as unknown as InStream;

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (error) {
    return error as Error;
  }
  throw new Error('did not reject');
}

describe('prepareInput refuses before reading', () => {
  it('standard input named twice', async () => {
    const e = await rejection(
      prepareInput(['-', 'x', '-'], { stdin: noStdin, spoolDir: temp(), stopAtFirstBad: true }),
    );
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe('standard input (-) can be named only once');
  });

  it('a missing file, a path through a file, a directory, a device or pipe', async () => {
    const dir = temp();
    const file = join(dir, 'f.txt');
    writeFileSync(file, 'A\n');
    const opts = { stdin: noStdin, spoolDir: join(dir, 'spool'), stopAtFirstBad: true };
    const fds = readdirSync('/proc/self/fd').length;
    const cases: Array<[string, string]> = [
      [join(dir, 'none.txt'), `cannot read ${join(dir, 'none.txt')}: no such file`],
      [join(file, 'x'), `cannot read ${join(file, 'x')}: ENOTDIR`],
      [dir, `cannot read ${dir}: is a directory`],
      // Read twice (checked, then sent) and by position: only a regular file can be.
      ['/dev/null', 'cannot read /dev/null: not a regular file'],
    ];
    for (const [name, message] of cases) {
      const e = await rejection(prepareInput([file, name], opts));
      expect(e).toBeInstanceOf(UsageError);
      expect(e.message).toBe(message);
    }
    // Nothing was spooled or read, and nothing is left open.
    expect(existsSync(join(dir, 'spool'))).toBe(false);
    expect(readdirSync('/proc/self/fd').length).toBe(fds);
  });
});

describe('prepareInput reads and checks', () => {
  it('adds up sizes, lines and rejected lines over the files, first bad line first', async () => {
    const dir = temp();
    const a = join(dir, 'a.txt');
    const b = join(dir, 'b.txt');
    const c = join(dir, 'c.txt');
    // A BOM counts only at the start of a file; elsewhere the line is refused.
    writeFileSync(a, '\uFEFFA1\n\nA2\n\uFEFFA3\n');
    writeFileSync(b, 'B1\nB\u0001\nB3\nB\u00024');
    writeFileSync(c, 'C1\n');
    const all = await prepareInput([a, b, c], {
      stdin: noStdin,
      spoolDir: dir,
      stopAtFirstBad: false,
    });
    expect(
      all.files.map(({ name, readPath, size, sha256, lines }) => ({
        name,
        readPath,
        size,
        sha256,
        lines,
      })),
    ).toEqual([
      { name: a, readPath: a, size: 16, sha256: sha('\uFEFFA1\n\nA2\n\uFEFFA3\n'), lines: 4 },
      { name: b, readPath: b, size: 12, sha256: sha('B1\nB\u0001\nB3\nB\u00024'), lines: 4 },
      { name: c, readPath: c, size: 3, sha256: sha('C1\n'), lines: 1 },
    ]);
    expect(all.totalBytes).toBe(31);
    expect(all.rejected).toBe(3);
    expect(all.totalLines).toBe(9);
    expect(all.firstBad).toEqual({ file: a, line: 4, reason: 'starts with a byte-order mark' });

    // Stopping at the first bad line: the file holding it is the last read,
    // and its lines after the chunk holding the bad one are not split.
    const stop = await prepareInput([b, a, c], {
      stdin: noStdin,
      spoolDir: dir,
      stopAtFirstBad: true,
    });
    expect(stop.files.map((f) => f.name)).toEqual([b]);
    expect(stop.firstBad).toEqual({ file: b, line: 2, reason: 'contains a control character' });
    // The last line (no newline, bad too) is left in the splitter: 3 lines, 1 rejected.
    expect(stop.totalLines).toBe(3);
    expect(stop.rejected).toBe(1);
    expect(stop.totalBytes).toBe(12);
  });

  it('stops splitting after the block that held the first bad line (a file of two blocks)', async () => {
    const dir = temp();
    const path = join(dir, 'big.txt');
    // 8-byte lines: the first block ends on a line end.
    const lines = [
      'BAD\u0001XYZ',
      ...Array.from({ length: BLOCK / 8 + 999 }, (_, i) => `S${String(i).padStart(6, '0')}`),
    ];
    writeFileSync(path, `${lines.join('\n')}\n`);
    const opts = { stdin: noStdin, spoolDir: dir };
    const stop = await prepareInput([path], { ...opts, stopAtFirstBad: true });
    expect(stop.totalLines).toBe(BLOCK / 8);
    expect(stop.rejected).toBe(1);
    // Hashed to the end all the same.
    expect(stop.totalBytes).toBe(lines.length * 8);
    const all = await prepareInput([path], { ...opts, stopAtFirstBad: false });
    expect(all.totalLines).toBe(lines.length);
    expect(all.files[0]!.sha256).toBe(stop.files[0]!.sha256);
  });

  it('Ctrl-C while checking: interrupted, nothing sent', async () => {
    const dir = temp();
    const path = join(dir, 'a.txt');
    writeFileSync(path, 'A\n');
    const ac = new AbortController();
    ac.abort();
    const e = await rejection(
      prepareInput([path], {
        stdin: noStdin,
        spoolDir: dir,
        stopAtFirstBad: true,
        signal: ac.signal,
      }),
    );
    expect(e).toBeInstanceOf(InterruptedError);
    expect(e.message).toBe('interrupted; nothing was sent');
  });
});

describe('prepareInput from standard input', () => {
  async function deadPid(): Promise<number> {
    const child = spawn(process.execPath, ['-e', '']);
    await new Promise((r) => child.on('exit', r));
    return child.pid as number;
  }

  it('spools stdin (strings and buffers) to a 0600 file, tells of a terminal, and clears only dead runs’ spools', async () => {
    const dir = temp();
    const spoolDir = join(dir, 'restock');
    mkdirSync(spoolDir);
    const dead = await deadPid();
    const stale = `stdin-${dead}-ab12.spool`;
    const kept = [
      `stdin-${process.pid}-ab.spool`, // ours
      'stdin-1-ab.spool', // a running process
      'stdin-0-ab.spool',
      `xstdin-${dead}-ab.spool`,
      `stdin-${dead}-ab.spool.bak`,
      `stdin-${dead}-zz.spool`,
      `stdin-${dead}-.spool`,
      `stdin-x${dead}-ab.spool`,
      'other.txt',
    ];
    for (const f of [stale, ...kept]) writeFileSync(join(spoolDir, f), 'SECRET\n');
    const stdin = Readable.from(['A1\n', Buffer.from('A2\r\n'), ' A3 ']) as unknown as InStream;
    stdin.isTTY = true;
    let told = 0;
    const fds = readdirSync('/proc/self/fd').length;
    const r = await prepareInput([], {
      stdin,
      spoolDir,
      stopAtFirstBad: true,
      onStdinTTY: () => told++,
    });
    expect(told).toBe(1);
    expect(r.files.length).toBe(1);
    const f = r.files[0]!;
    expect(f.name).toBe('-');
    expect(f.readPath).toMatch(
      new RegExp(`^${spoolDir}/stdin-${process.pid}-[0-9a-f]{8}\\.spool$`),
    );
    expect(f.size).toBe(11);
    expect(f.sha256).toBe(sha('A1\nA2\r\n A3 '));
    expect(r.totalLines).toBe(3);
    expect(r.firstBad).toBeUndefined();
    const spoolName = f.readPath.slice(spoolDir.length + 1);
    expect(readdirSync(spoolDir).sort()).toEqual([...kept, spoolName].sort());
    r.cleanup();
    // The spool, read through one descriptor, is closed and removed (no journal refers to it).
    expect(readdirSync('/proc/self/fd').length).toBe(fds);
    expect(readdirSync(spoolDir).sort()).toEqual([...kept].sort());
  });

  it('keeps every spool a restock journal refers to: a dead run’s at the sweep, its own at cleanup', async () => {
    const spoolDir = temp();
    const dead = await deadPid();
    const interrupted = join(spoolDir, `stdin-${dead}-cafe.spool`);
    const orphan = join(spoolDir, `stdin-${dead}-beef.spool`);
    writeFileSync(interrupted, 'I1\n');
    writeFileSync(orphan, 'O1\n');
    writeFileSync(join(spoolDir, 'k1.json'), JSON.stringify({ spool: interrupted }));
    const r = await prepareInput(['-'], {
      stdin: Readable.from(['N1\n']) as unknown as InStream,
      spoolDir,
      stopAtFirstBad: true,
    });
    expect(existsSync(interrupted)).toBe(true);
    expect(existsSync(orphan)).toBe(false);
    // This run's journal now refers to its spool: cleanup leaves it.
    writeFileSync(join(spoolDir, 'k2.json'), JSON.stringify({ spool: r.spool }));
    r.cleanup();
    expect(existsSync(r.spool!)).toBe(true);
  });

  it('reads a saved copy instead of standard input when told to', async () => {
    const spoolDir = temp();
    const saved = join(spoolDir, 'stdin-1-ab.spool');
    writeFileSync(saved, 'S1\nS2\n');
    const stdin = Readable.from(['NOT READ\n']) as unknown as InStream;
    const r = await prepareInput([], { stdin, spoolDir, stopAtFirstBad: true, savedStdin: saved });
    expect(r.files.map((f) => [f.name, f.sha256])).toEqual([['-', sha('S1\nS2\n')]]);
    expect(r.spool).toBe(saved);
    // No journal refers to it any more (a finished resume): removed.
    r.cleanup();
    expect(existsSync(saved)).toBe(false);
  });

  it('removes the spool when checking fails', async () => {
    const dir = temp();
    const ac = new AbortController();
    const stdin = Readable.from(['A\n']) as unknown as InStream;
    ac.abort();
    const e = await rejection(
      prepareInput(['-'], { stdin, spoolDir: dir, stopAtFirstBad: true, signal: ac.signal }),
    );
    expect(e).toBeInstanceOf(InterruptedError);
    expect(readdirSync(dir)).toEqual([]);
  });
});

// What the restock reads back is what was checked: the input is read through
// the descriptor opened at the check, every block verified against the hash
// taken then. A file renamed over or deleted is still read as checked; a
// change in place, a cut or an append stops the reader before any changed
// byte is used, naming the file and the first line not handed out.
import {
  appendFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputChangedError } from '../../src/errors.js';
import { BLOCK } from '../../src/restock/chunks.js';
import { type PreparedInput, prepareInput } from '../../src/restock/input.js';
import { UnitReader } from '../../src/restock/read.js';
import { tempDir } from '../helpers/cli.js';

const undo: Array<() => void> = [];
afterEach(() => {
  for (const u of undo.splice(0).reverse()) u();
});

/** Lines `P-0000000`…: 10 bytes each, so a block ends inside a line. */
function lines(n: number, prefix = 'P'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(7, '0')}`);
}

async function checked(contents: Record<string, string>): Promise<{
  dir: string;
  paths: string[];
  input: PreparedInput;
}> {
  const t = tempDir('astrosell-pinned-');
  undo.push(t.cleanup);
  const paths = Object.entries(contents).map(([name, text]) => {
    const p = join(t.dir, name);
    writeFileSync(p, text);
    return p;
  });
  const input = await prepareInput(paths, {
    stdin: process.stdin,
    spoolDir: t.dir,
    stopAtFirstBad: true,
  });
  undo.push(input.cleanup);
  return { dir: t.dir, paths, input };
}

/** Reads every unit; the serials handed out, and the error the reader ended with. */
async function readAll(input: PreparedInput): Promise<{ serials: string[]; error?: unknown }> {
  const r = new UnitReader(input.files);
  const serials: string[] = [];
  try {
    for (let u = await r.next(5000); u; u = await r.next(5000)) serials.push(...u.serials);
  } catch (error) {
    // Once changed, the reader keeps saying so.
    await expect(r.next(5000)).rejects.toBe(error);
    return { serials, error };
  }
  return { serials };
}

const big = lines(80_000); // 800,000 bytes: three blocks and a part

describe('a pinned input', () => {
  it('is read as checked after another file is renamed over it, or it is deleted', async () => {
    const { dir, paths, input } = await checked({
      'a.txt': `${big.join('\n')}\n`,
      'b.txt': 'B1\n',
    });
    const other = join(dir, 'other.txt');
    writeFileSync(other, `${lines(big.length, 'X').join('\n')}\n`);
    renameSync(other, paths[0]!);
    rmSync(paths[1]!);
    expect(await readAll(input)).toEqual({ serials: [...big, 'B1'] });
  });

  it('changed in place past its first block: only the lines before the change are handed out, then an error naming file and line', async () => {
    const { paths, input } = await checked({ 'a.txt': `${big.join('\n')}\n` });
    const reader = new UnitReader(input.files);
    const first = await reader.next(1000);
    expect([...first!.serials]).toEqual(big.slice(0, 1000));
    // The same length, other serials: only the block hashes can tell.
    writeFileSync(paths[0]!, `${lines(big.length, 'Q').join('\n')}\n`);
    const serials = [...first!.serials];
    let error: unknown;
    try {
      for (let u = await reader.next(1000); u; u = await reader.next(1000))
        serials.push(...u.serials);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputChangedError);
    const e = error as InputChangedError;
    // Every line of the first block and no other: the line cut by the block's end is not handed out.
    const firstNotRead = Math.floor(BLOCK / 10);
    expect(serials).toEqual(big.slice(0, firstNotRead));
    expect(e.line).toBe(firstNotRead);
    expect(e.message).toContain(paths[0]!);
    expect(e.message).toContain(`from line ${(firstNotRead + 1).toLocaleString('en-US')} on`);
    expect(e.exitCode).toBe(1);
  });

  it('grown: every checked line is handed out, then an error from the first added line', async () => {
    const { paths, input } = await checked({ 'a.txt': `${big.join('\n')}\n` });
    appendFileSync(paths[0]!, 'ADDED-1\nADDED-2\n');
    const { serials, error } = await readAll(input);
    expect(serials).toEqual(big);
    expect(error).toBeInstanceOf(InputChangedError);
    expect((error as InputChangedError).message).toMatch(
      /from line 80,001 on; it grew after it was checked/,
    );
  });

  it('cut short: nothing past the last whole block that still matches', async () => {
    const { paths, input } = await checked({ 'a.txt': `${big.join('\n')}\n` });
    truncateSync(paths[0]!, BLOCK + 5);
    const { serials, error } = await readAll(input);
    expect(serials).toEqual(big.slice(0, Math.floor(BLOCK / 10)));
    expect((error as InputChangedError).message).toMatch(/shorter than when it was checked/);
  });

  it('a later input that changed is named, with its own line numbers', async () => {
    const small = lines(20);
    const { paths, input } = await checked({
      'a.txt': `${small.join('\n')}\n`,
      'b.txt': `${big.join('\n')}\n`,
    });
    writeFileSync(paths[1]!, `${lines(big.length, 'Q').join('\n')}\n`);
    // The first block of b.txt was not read before the change: nothing of b.txt is handed out.
    const { serials, error } = await readAll(input);
    expect(serials).toEqual(small);
    const e = error as InputChangedError;
    expect(e.file).toBe(paths[1]);
    expect(e.at).toEqual({ file: paths[1], line: 1 });
    expect(e.line).toBe(small.length);
  });

  it('stays open until cleanup() closes it', async () => {
    const { paths, input } = await checked({ 'a.txt': 'A\n' });
    const opened = () =>
      readdirSync('/proc/self/fd').some((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === paths[0];
        } catch {
          return false;
        }
      });
    expect(opened()).toBe(true);
    input.cleanup();
    expect(opened()).toBe(false);
  });
});

// The one write path of the journal and the lists: every byte written, or an
// error. The writer is passed in to reach what a real file rarely does (a
// write that stores part, or nothing); journal.test.ts does it for real under
// a file size limit.
import { describe, expect, it } from 'vitest';
import { describeCause, FileWriteError, writeAllSync } from '../../src/restock/durable.js';

/** A writer that stores at most `sizes[i]` bytes on its i-th call, recording each call. */
function writer(sizes: number[]) {
  const calls: Array<{ offset: number; length: number; position: number }> = [];
  const stored: number[] = [];
  const write = (_fd: number, buf: Buffer, offset: number, length: number, position: number) => {
    calls.push({ offset, length, position });
    const n = Math.min(length, sizes.shift() ?? length);
    stored.push(...buf.subarray(offset, offset + n));
    return n;
  };
  return { write, calls, text: () => Buffer.from(stored).toString() };
}

describe('writeAllSync', () => {
  it('continues a short write with the rest, at the right place in the file', () => {
    const w = writer([3, 1]);
    writeAllSync(7, Buffer.from('ABCDEFGH'), 100, w.write);
    expect(w.text()).toBe('ABCDEFGH');
    expect(w.calls).toEqual([
      { offset: 0, length: 8, position: 100 },
      { offset: 3, length: 5, position: 103 },
      { offset: 4, length: 4, position: 104 },
    ]);
  });

  it('throws when a write stores nothing, saying how much was written', () => {
    const w = writer([3, 0]);
    expect(() => writeAllSync(7, Buffer.from('ABCDEFGH'), 0, w.write)).toThrow(
      'short write: 3 of 8 bytes written',
    );
    expect(w.calls).toHaveLength(2);
  });
});

describe('FileWriteError', () => {
  it('names the file and the system’s reason', () => {
    const cause = Object.assign(new Error("ENOSPC: no space left on device, write '/x'"), {
      code: 'ENOSPC',
    });
    const e = new FileWriteError('unsent file', '/x', cause);
    expect(e.message).toBe('cannot write the unsent file /x: ENOSPC (no space left on device)');
    expect(e.reason).toBe('ENOSPC (no space left on device)');
    expect(e.exitCode).toBe(1);
    expect(e.cause).toBe(cause);
  });

  it('keeps a reason that is not a system error as it is', () => {
    expect(describeCause(new Error('short write: 3 of 8 bytes written'))).toBe(
      'short write: 3 of 8 bytes written',
    );
    expect(describeCause(Object.assign(new Error('odd'), { code: 'EIO' }))).toBe('EIO (odd)');
  });
});

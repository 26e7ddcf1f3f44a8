// Reading a pinned input: the file descriptor opened when the input was
// checked, read by position, so a file renamed over it, or deleted, does not
// change what is read. The check records a SHA-256 of every BLOCK; reading
// back hands out a block only once it matches, and only the checked size:
// content changed in place, cut short or grown since the check stops the
// reader (BlockChanged) before any of it is used.
//
// Blocks are read into one reused buffer: the readers (the check, the serial
// source) take what they need out of a block as copies (strings, the
// splitter's carry) before asking for the next one.
import { createHash } from 'node:crypto';
import { read } from 'node:fs';

/**
 * The unit of reading and of verifying. Larger blocks cost memory that grows
 * with them (a block's lines are queued as strings before they are used):
 * 1 MiB raised a 2M-line restock's peak RSS by ~40 MB over 256 KiB. The
 * hashes kept are 32 bytes a block: 128 KiB of them for a 1 GiB input.
 */
export const BLOCK = 256 * 1024;
const HASH_BYTES = 32;

/** An input as checked: its descriptor, size and block hashes. */
export interface Pinned {
  fd: number;
  /** Bytes checked. */
  size: number;
  /** The SHA-256 of each BLOCK of the checked content, one after the other. */
  blocks: Buffer;
}

/** The input no longer holds what was checked, from `offset` on. */
export class BlockChanged extends Error {
  constructor(
    readonly offset: number,
    readonly reason: 'differs' | 'shorter' | 'longer',
  ) {
    super(`input changed at byte ${offset} (${reason})`);
  }
}

function readAt(fd: number, buf: Buffer, off: number, len: number, pos: number): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, buf, off, len, pos, (error, n) => (error ? reject(error) : resolve(n)));
  });
}

/** Reads `len` bytes at `pos`, fewer only at the end of the file. */
async function readFull(fd: number, buf: Buffer, len: number, pos: number): Promise<number> {
  let got = 0;
  while (got < len) {
    const n = await readAt(fd, buf, got, len - got, pos + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

export function blockHash(block: Buffer): Buffer {
  return createHash('sha256').update(block).digest();
}

/**
 * The check's read: the whole file from its start to its end, a block at a
 * time (each valid until the next is asked for). `hashes` collects the
 * block hashes; the bytes read are the checked size.
 */
export async function* checkBlocks(fd: number, hashes: Buffer[]): AsyncGenerator<Buffer> {
  const buf = Buffer.allocUnsafe(BLOCK);
  for (let pos = 0; ; ) {
    const n = await readFull(fd, buf, BLOCK, pos);
    if (n === 0) return;
    const block = buf.subarray(0, n);
    hashes.push(blockHash(block));
    yield block;
    pos += n;
    if (n < BLOCK) return;
  }
}

/** The checked content again, block by block, each verified before it is handed out. */
export async function* readPinned(p: Pinned): AsyncGenerator<Buffer> {
  const buf = Buffer.allocUnsafe(BLOCK);
  for (let i = 0, pos = 0; pos < p.size; i++, pos += BLOCK) {
    const want = Math.min(BLOCK, p.size - pos);
    const n = await readFull(p.fd, buf, want, pos);
    if (n < want) throw new BlockChanged(pos, 'shorter');
    const block = buf.subarray(0, n);
    const at = i * HASH_BYTES;
    if (!blockHash(block).equals(p.blocks.subarray(at, at + HASH_BYTES))) {
      throw new BlockChanged(pos, 'differs');
    }
    yield block;
  }
  if ((await readAt(p.fd, Buffer.allocUnsafe(1), 0, 1, p.size)) > 0) {
    throw new BlockChanged(p.size, 'longer');
  }
}

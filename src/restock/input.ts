// The input side of a restock: checking the files (or spooling stdin) before
// anything is sent. read.ts reads them back as units of serials.
//
// Before the first request, every input is opened, read once and checked
// line by line (exit 2 naming file and line on the first bad one) while its
// SHA-256 is taken: that hash is what `--resume` compares, so changed input
// is refused. Standard input cannot be read twice, so it is first copied to a
// private 0600 spool file under the config folder, which is then treated
// like any other file and deleted at the end (resuming a stdin restock means
// piping the same bytes again: they must hash the same).
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { InStream } from '../context.js';
import { InterruptedError, UsageError } from '../errors.js';
import { readChunks } from './chunks.js';
import { isRunning } from './journal.js';
import { MAX_RAW_LINE_BYTES, type Normalised, normaliseLine } from './normalize.js';
import { LineSplitter } from './splitter.js';

export interface InputFile {
  /** As the user named it; `-` for stdin. */
  name: string;
  /** What is actually read (the spool file for stdin). */
  readPath: string;
  size: number;
  sha256: string;
}

export interface PreparedInput {
  files: InputFile[];
  totalBytes: number;
  /** First line that is not a serial, if any. */
  firstBad?: { file: string; line: number; reason: string };
  rejected: number;
  /** Lines in all files (counted while checking; only when every file was checked to the end). */
  totalLines: number;
  /** Removes the stdin spool. */
  cleanup(): void;
}

export function displayName(name: string): string {
  return name === '-' ? 'standard input' : name;
}

/** Opens every named file (or spools stdin) and checks each line; nothing is sent yet. */
export async function prepareInput(
  names: readonly string[],
  opts: {
    stdin: InStream;
    spoolDir: string;
    stopAtFirstBad: boolean;
    onStdinTTY?: () => void;
    /** Ctrl-C while checking: stop, nothing was sent. */
    signal?: AbortSignal;
  },
): Promise<PreparedInput> {
  const list = names.length ? [...names] : ['-'];
  if (list.filter((n) => n === '-').length > 1) {
    throw new UsageError('standard input (-) can be named only once');
  }
  // Missing or unreadable files are reported before anything is read or sent.
  for (const name of list) {
    if (name === '-') continue;
    let fd: number;
    try {
      fd = openSync(name, 'r');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code;
      throw new UsageError(`cannot read ${name}: ${why}`);
    }
    try {
      if (fstatSync(fd).isDirectory()) throw new UsageError(`cannot read ${name}: is a directory`);
    } finally {
      closeSync(fd);
    }
  }
  let spool: string | undefined;
  const cleanup = () => {
    if (spool) rmSync(spool, { force: true });
  };
  const files: InputFile[] = [];
  const out: PreparedInput = { files, totalBytes: 0, rejected: 0, totalLines: 0, cleanup };
  try {
    for (const name of list) {
      let readPath = name;
      if (name === '-') {
        if (opts.stdin.isTTY) opts.onStdinTTY?.();
        mkdirSync(opts.spoolDir, { recursive: true, mode: 0o700 });
        removeStaleSpools(opts.spoolDir);
        spool = join(opts.spoolDir, `stdin-${process.pid}-${randomBytes(4).toString('hex')}.spool`);
        await spoolStream(opts.stdin, spool);
        readPath = spool;
      }
      const size = statSync(readPath).size;
      const { sha256, firstBad, rejected, lines } = await checkFile(
        readPath,
        opts.stopAtFirstBad,
        opts.signal,
      );
      files.push({ name, readPath, size, sha256 });
      out.totalBytes += size;
      out.rejected += rejected;
      out.totalLines += lines;
      if (firstBad && !out.firstBad) {
        out.firstBad = { file: displayName(name), ...firstBad };
        if (opts.stopAtFirstBad) break;
      }
    }
  } catch (error) {
    cleanup();
    throw error;
  }
  return out;
}

const SPOOL = /^stdin-(\d+)-[0-9a-f]+\.spool$/;

/**
 * Spools left by runs that were killed (SIGKILL, a second Ctrl-C, a crash)
 * hold serials: removed once their process is gone.
 */
function removeStaleSpools(dir: string): void {
  for (const name of readdirSync(dir)) {
    const pid = Number(SPOOL.exec(name)?.[1]);
    if (pid > 0 && pid !== process.pid && !isRunning(pid)) rmSync(join(dir, name), { force: true });
  }
}

async function spoolStream(stdin: InStream, path: string): Promise<void> {
  const fh = await open(path, 'wx', 0o600);
  try {
    for await (const chunk of stdin as AsyncIterable<Buffer | string>) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      await fh.write(buf);
    }
  } finally {
    await fh.close();
  }
}

async function checkFile(
  path: string,
  stopAtFirstBad: boolean,
  signal?: AbortSignal,
): Promise<{
  sha256: string;
  firstBad?: { line: number; reason: string };
  rejected: number;
  lines: number;
}> {
  const hash = createHash('sha256');
  let line = 0;
  let rejected = 0;
  let firstBad: { line: number; reason: string } | undefined;
  const check = (r: Normalised) => {
    line++;
    if (r.kind === 'rejected') {
      rejected++;
      firstBad ??= { line, reason: r.reason };
    }
  };
  const splitter = new LineSplitter(
    (buf, start, end, tooLong) => check(normaliseLine(buf, start, end, line === 0, tooLong, false)),
    MAX_RAW_LINE_BYTES,
  );
  for await (const chunk of readChunks(path)) {
    if (signal?.aborted) throw new InterruptedError('interrupted; nothing was sent');
    hash.update(chunk);
    if (!(stopAtFirstBad && firstBad)) splitter.push(chunk);
  }
  if (!(stopAtFirstBad && firstBad)) splitter.end();
  return { sha256: hash.digest('hex'), firstBad, rejected, lines: line };
}

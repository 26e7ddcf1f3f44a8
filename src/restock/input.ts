// The input side of a restock: checking the files (or spooling stdin) before
// anything is sent. read.ts reads them back as units of serials.
//
// Before the first request, every input is opened once, read once and
// checked line by line (exit 2 naming file and line on the first bad one)
// while its SHA-256 is taken, whole and per block (chunks.ts): the whole
// hash is what `--resume` compares, so changed input is refused; the block
// hashes let every later read of the same descriptor prove it reads what was
// checked. The descriptors stay open until cleanup(), so what the run reads
// is what was checked even if a file is renamed over or deleted.
//
// Standard input cannot be read twice, so it is first copied to a private
// 0600 spool file under the config folder, then treated like any other file.
// The spool is the only copy of that input: a restock journal records it, and
// it is removed only when no journal refers to it (the restock completed or
// was abandoned). `--resume` of a stdin restock reads the spool again
// (`savedStdin`) instead of standard input.
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { InStream } from '../context.js';
import { CliError, ExitCode, InterruptedError, UsageError } from '../errors.js';
import { checkBlocks, type Pinned } from './chunks.js';
import { syncDir } from './durable.js';
import { isRunning } from './journal.js';
import { MAX_RAW_LINE_BYTES, type Normalised, normaliseLine } from './normalize.js';
import { LineSplitter } from './splitter.js';

export interface InputFile extends Pinned {
  /** As the user named it; `-` for stdin. */
  name: string;
  /** What was opened (the spool file for stdin). */
  readPath: string;
  sha256: string;
  /** Lines counted at the check (all of them only when the file was checked to its end). */
  lines: number;
}

export interface PreparedInput {
  files: InputFile[];
  totalBytes: number;
  /** First line that is not a serial, if any. */
  firstBad?: { file: string; line: number; reason: string };
  rejected: number;
  /** Lines in all files (counted while checking; only when every file was checked to the end). */
  totalLines: number;
  /** The private copy of standard input read, if any. */
  spool?: string;
  /** Closes the inputs; removes the stdin spool unless a restock journal refers to it. */
  cleanup(): void;
}

export function displayName(name: string): string {
  return name === '-' ? 'standard input' : name;
}

function cannotRead(name: string, error: unknown): UsageError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code;
  return new UsageError(`cannot read ${name}: ${why}`);
}

/** Standard input could not be saved (a full disk, a quota): said in a line, nothing sent. */
function cannotSave(dir: string, error: unknown): unknown {
  const { code, syscall } = error as NodeJS.ErrnoException;
  // Reading standard input itself failed: that is not the folder's doing.
  if (typeof code !== 'string' || !syscall || syscall === 'read') return error;
  const why =
    code === 'ENOSPC'
      ? 'no space left on the device'
      : code === 'EDQUOT'
        ? 'disk quota exceeded'
        : code;
  return new CliError(
    `cannot save standard input in ${dir}: ${why}; nothing was sent`,
    ExitCode.failure,
    {
      hint: 'a restock keeps piped serials in a file before sending them; make room there, or set ASTROSELL_CONFIG_DIR to a folder with room, and pipe them again',
      cause: error,
    },
  );
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
    /** Read `-` from this saved copy of an earlier run's standard input, not from stdin. */
    savedStdin?: string;
  },
): Promise<PreparedInput> {
  const list = names.length ? [...names] : ['-'];
  if (list.filter((n) => n === '-').length > 1) {
    throw new UsageError('standard input (-) can be named only once');
  }
  const fds = new Map<string, number>();
  let spool: string | undefined;
  let closed = false;
  const cleanup = () => {
    if (!closed) for (const fd of fds.values()) closeSync(fd);
    closed = true;
    if (spool && !spoolReferenced(opts.spoolDir, spool)) rmSync(spool, { force: true });
  };
  const files: InputFile[] = [];
  const out: PreparedInput = { files, totalBytes: 0, rejected: 0, totalLines: 0, cleanup };
  try {
    // Missing or unreadable files are reported before anything is read or sent.
    for (const name of list) {
      if (name === '-') continue;
      let fd: number;
      try {
        // Non-blocking: a named pipe with no writer would block the open (and
        // with it Ctrl-C) forever; it is refused below like any non-file.
        fd = openSync(name, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
      } catch (error) {
        throw cannotRead(name, error);
      }
      fds.set(name, fd);
      const st = fstatSync(fd);
      if (st.isDirectory()) throw new UsageError(`cannot read ${name}: is a directory`);
      // A pipe or a device cannot be read twice (checked, then sent) nor by position.
      if (!st.isFile()) {
        throw new UsageError(`cannot read ${name}: not a regular file`, {
          hint: `give it on standard input instead: … | astrosell … -`,
        });
      }
    }
    for (const name of list) {
      let readPath = name;
      if (name === '-') {
        if (opts.savedStdin) {
          spool = opts.savedStdin;
        } else {
          if (opts.stdin.isTTY) opts.onStdinTTY?.();
          try {
            mkdirSync(opts.spoolDir, { recursive: true, mode: 0o700 });
            removeStaleSpools(opts.spoolDir);
          } catch (error) {
            throw cannotSave(opts.spoolDir, error);
          }
          spool = join(
            opts.spoolDir,
            `stdin-${process.pid}-${randomBytes(4).toString('hex')}.spool`,
          );
          await spoolStream(opts.stdin, spool).catch((error) => {
            throw cannotSave(opts.spoolDir, error);
          });
        }
        readPath = spool;
        try {
          fds.set(name, openSync(spool, 'r'));
        } catch (error) {
          throw cannotRead(spool, error);
        }
      }
      const fd = fds.get(name)!;
      const checked = await checkFile(fd, opts.stopAtFirstBad, opts.signal);
      files.push({ name, readPath, fd, ...checked });
      out.totalBytes += checked.size;
      out.rejected += checked.rejected;
      out.totalLines += checked.lines;
      if (checked.firstBad && !out.firstBad) {
        out.firstBad = { file: displayName(name), ...checked.firstBad };
        if (opts.stopAtFirstBad) break;
      }
    }
  } catch (error) {
    cleanup();
    throw error;
  }
  if (spool) out.spool = spool;
  return out;
}

const SPOOL = /^stdin-(\d+)-[0-9a-f]+\.spool$/;

/** The text of every restock journal in `dir` (`<key>.json`). */
function journalTexts(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const texts: string[] = [];
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    try {
      texts.push(readFileSync(join(dir, name), 'utf8'));
    } catch {
      // gone meanwhile
    }
  }
  return texts;
}

/**
 * Whether a journal in `dir` names the spool: it is then the only copy of
 * an interrupted restock's input. Matched by name in the journal's text, so
 * a journal that cannot be parsed still keeps its spool.
 */
export function spoolReferenced(dir: string, spool: string, texts = journalTexts(dir)): boolean {
  const name = basename(spool);
  return texts.some((t) => t.includes(name));
}

/**
 * Spools left by runs that were killed (SIGKILL, a second Ctrl-C, a crash)
 * hold serials: removed once their process is gone, unless a journal refers
 * to them (an interrupted restock that `--resume` continues from its spool).
 */
function removeStaleSpools(dir: string): void {
  const texts = journalTexts(dir);
  for (const name of readdirSync(dir)) {
    const pid = Number(SPOOL.exec(name)?.[1]);
    if (pid > 0 && pid !== process.pid && !isRunning(pid) && !spoolReferenced(dir, name, texts)) {
      rmSync(join(dir, name), { force: true });
    }
  }
}

async function spoolStream(stdin: InStream, path: string): Promise<void> {
  const fh = await open(path, 'wx', 0o600);
  try {
    for await (const chunk of stdin as AsyncIterable<Buffer | string>) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      // A write may store less than asked (a disk filling up, a size limit):
      // the rest is written again, and the write that cannot store any fails.
      for (let done = 0; done < buf.length; ) {
        done += (await fh.write(buf, done, buf.length - done)).bytesWritten;
      }
    }
    // The only copy of piped serials once a journal names it: on disk before any is sent.
    await fh.datasync();
  } finally {
    await fh.close();
  }
  syncDir(dirname(path));
}

async function checkFile(
  fd: number,
  stopAtFirstBad: boolean,
  signal?: AbortSignal,
): Promise<{
  size: number;
  sha256: string;
  blocks: Buffer;
  firstBad?: { line: number; reason: string };
  rejected: number;
  lines: number;
}> {
  const hash = createHash('sha256');
  const hashes: Buffer[] = [];
  let size = 0;
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
  for await (const block of checkBlocks(fd, hashes)) {
    if (signal?.aborted) throw new InterruptedError('interrupted; nothing was sent');
    hash.update(block);
    size += block.length;
    if (!(stopAtFirstBad && firstBad)) splitter.push(block);
  }
  if (!(stopAtFirstBad && firstBad)) splitter.end();
  return {
    size,
    sha256: hash.digest('hex'),
    blocks: Buffer.concat(hashes),
    firstBad,
    rejected,
    lines: line,
  };
}

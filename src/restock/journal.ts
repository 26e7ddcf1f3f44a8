// The restock journal: what a later `--resume` needs, and nothing secret.
//
// One JSON file per (base URL, target, input names) under
// <config>/restock/<key>.json, mode 0600. It holds line offsets, counters,
// the SHA-256 of each input file, the path of the stdin spool (input.ts) and
// the orders snapshot, never a serial.
// Every write goes whole to a temp file, is checked (every byte written) and
// fdatasynced, renamed over the journal, and the folder fsynced, so on disk
// it always says:
//   - lines [0, committedLine) are settled: counted, and any of their serials
//     not stored are in the unsent file's first unsentBytes or the uncertain
//     file's first uncertainBytes;
//   - lines [inflight.fromLine, inflight.toLine) are the unit being sent: of
//     its serials the first `sentUpTo` went out and may be stored wholly, in
//     part or not at all (a resume reads the pool back before sending any of
//     them again); `mayStillLand` says whether a request of it may still be
//     processed by the service; the unit's other serials were never sent;
//   - nothing after that was sent.
// The journal is written before each request, so the in-flight record always
// covers every request that may be out.
//
// A lock file beside it (pid and a random token inside) keeps two runs off
// one journal. A lock whose pid no longer runs is stale; taking it over is
// atomic (src/fs/file-lock.ts, the project's one lock).
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, ExitCode } from '../errors.js';
import { FileLock, isRunning, readText } from '../fs/file-lock.js';
import { FileWriteError, syncDir, syncFile, writeAllSync } from './durable.js';
import type { Sizing } from './policy.js';
import type { SalesSnapshot } from './sales.js';

export { isRunning };

export const JOURNAL_VERSION = 3;

export interface Counters {
  /** Lines settled, = committedLine. */
  lines: number;
  blank: number;
  rejected: number;
  /** Repeats within the input dropped before sending (--remove-duplicates). */
  duplicates: number;
  /** Serials sent whose outcome is known stored: added + droppedByPool + foundStored. */
  sent: number;
  /** The service's count of serials stored, from its answers. */
  added: number;
  /** Sent, answered, not added: the pool dropped them as present or repeated. */
  droppedByPool: number;
  /** Sent, answer lost, found in the pool on read-back (or delivered by an order since). */
  foundStored: number;
  /** Of foundStored: delivered by an order of this run before the read-back. */
  soldDuringReconcile: number;
  /** Known not stored: listed in the unsent file. */
  unsent: number;
  /** Outcome unknown (may be in the pool): listed in the uncertain file. */
  uncertain: number;
  /** Stock requests made. */
  batches: number;
  unsentReasons: Record<string, number>;
}

/**
 * The unit's first `upTo` serials, settled as stored by answers (or a read-back
 * that proved them), with their counts: a resume need not read them back.
 * `requests`: requests of the unit sent by then.
 */
export interface SettledPrefix {
  upTo: number;
  added: number;
  dropped: number;
  found: number;
  requests: number;
}

/**
 * The unit being sent: input lines [fromLine, toLine). Of its serials, the
 * first `sentUpTo` went out in `requests` requests (the rest never did);
 * `mayStillLand`: one of those requests may still be processed.
 */
export interface Inflight {
  fromLine: number;
  toLine: number;
  sentUpTo: number;
  /** Of those, the first `prefix.upTo` are settled as stored, with their counts. */
  prefix?: SettledPrefix;
  /** Positions (ranges of the unit's serials) carried by requests that got no answer, or in flight. */
  open?: Array<[number, number]>;
  /**
   * Positions sent before and known not stored (answered so, or read back
   * absent with no request of them open), not sent again yet: a resume sends
   * them again without reading them back. Absent in earlier journals.
   */
  notStored?: Array<[number, number]>;
  /** Positions the last request carried: the journal's pool size is from just before it. */
  last?: Array<[number, number]>;
  requests: number;
  mayStillLand: boolean;
  sentAt: number;
}

export interface JournalState {
  version: number;
  key: string;
  /**
   * `pool`: the pool the target stored into when the run began (`warehouse:<id>`,
   * `product:<id>`); a product pointed at another warehouse since is not resumed.
   * Absent in journals of earlier versions.
   */
  target: { kind: 'warehouse' | 'product'; id: string; baseUrl: string; pool?: string };
  inputs: Array<{ name: string; size: number; sha256: string }>;
  /** --remove-duplicates: repeats within the input are dropped before sending. */
  removeDuplicates: boolean;
  /** The `removeDuplicates` sent with every stock add (the flag, or the pool's own setting). */
  poolDedup: boolean;
  /** The batch size in use, what the service is known to take, and what bounds it (policy.ts). */
  sizing: Sizing;
  committedLine: number;
  inflight: Inflight | null;
  counters: Counters;
  unsentFile: string;
  unsentBytes: number;
  uncertainFile: string;
  uncertainBytes: number;
  /** Orders before the first send (pools whose sold keys leave). */
  sales: SalesSnapshot | null;
  /** The pool's size when last observed (before the request in flight, if one is). */
  poolTotal: number | null;
  /**
   * Keys delivered since the orders snapshot that `poolTotal` already
   * reflects (seen by an orders read before that size was observed), so a
   * resumed run knows which sales came after it. Absent in earlier journals:
   * none known, and every sale since the snapshot may have come after.
   */
  deliveredAtTotal?: number;
  /** A read-back found the pool changed in a way the run cannot explain (another writer). */
  otherWriter: boolean;
  /** Lines in all inputs (absent in journals of earlier versions). */
  totalLines?: number;
  /**
   * The private copy of standard input (absolute path), when it is an input:
   * the only copy of those serials, kept while this journal refers to it and
   * read again by `--resume`. Absent in journals of earlier versions.
   */
  spool?: string | null;
  startedAt: string;
  updatedAt: string;
}

export function emptyCounters(): Counters {
  return {
    lines: 0,
    blank: 0,
    rejected: 0,
    duplicates: 0,
    sent: 0,
    added: 0,
    droppedByPool: 0,
    foundStored: 0,
    soldDuringReconcile: 0,
    unsent: 0,
    uncertain: 0,
    batches: 0,
    unsentReasons: {},
  };
}

export function journalDir(configDir: string): string {
  return join(configDir, 'restock');
}

/**
 * The journal folder, for a command that will read or write it: a config
 * folder that is not one (a file in its place or on its path) is said so,
 * in a line.
 */
export function usableJournalDir(configDir: string): string {
  let why: string | undefined;
  try {
    if (!statSync(configDir).isDirectory()) why = 'not a folder';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') why = 'a file is on its path';
    else if (code !== 'ENOENT') why = code ?? String(error);
  }
  if (why) {
    throw new CliError(`cannot use config folder ${configDir}: ${why}`, ExitCode.failure, {
      hint: 'set ASTROSELL_CONFIG_DIR to a folder (or remove what is in its place)',
    });
  }
  return journalDir(configDir);
}

const KEY = /^[0-9a-f]{24}$/;

export function isJournalKey(key: string): boolean {
  return KEY.test(key);
}

/** The keys of the journals in `dir` (interrupted restocks, or running ones). */
export function journalKeys(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .filter((n) => n.endsWith('.json') && KEY.test(n.slice(0, -5)))
    .map((n) => n.slice(0, -5))
    .sort();
}

/** The journal key: the same target and the same named inputs give the same journal. */
export function journalKey(
  baseUrl: string,
  kind: string,
  id: string,
  inputNames: readonly string[],
): string {
  return createHash('sha256')
    .update(JSON.stringify([baseUrl, kind, id, ...inputNames]))
    .digest('hex')
    .slice(0, 24);
}

export class Journal {
  readonly path: string;
  readonly lockPath: string;
  private readonly fileLock: FileLock;

  constructor(
    readonly dir: string,
    readonly key: string,
  ) {
    this.path = join(dir, `${key}.json`);
    this.lockPath = join(dir, `${key}.lock`);
    this.fileLock = new FileLock(this.lockPath, {
      fileMode: 0o600,
      dirMode: 0o700,
      busy: ({ pid }, path) =>
        new CliError(
          `another restock of the same target and input is running (pid ${pid})`,
          ExitCode.failure,
          { hint: `wait for it to finish; if it is gone, remove ${path}` },
        ),
    });
  }

  /** Takes the lock or throws (exit 1) naming the other run's pid (see src/fs/file-lock.ts). */
  lock(pid = process.pid, alive: (pid: number) => boolean = isRunning): void {
    this.fileLock.lock(pid, alive);
  }

  /** The pid of a live process holding the lock (a run of this restock), if any. */
  holder(alive: (pid: number) => boolean = isRunning): number | undefined {
    const pid = Number.parseInt(readText(this.lockPath) ?? '', 10);
    return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
  }

  unlock(): void {
    this.fileLock.unlock();
  }

  /**
   * The journal of an interrupted run, or undefined if there is none. One
   * that does not parse or lacks what a resume needs (edited or damaged by
   * hand: saves are atomic) is refused and left untouched.
   */
  load(): JournalState | undefined {
    const text = readText(this.path);
    if (text === undefined) return undefined;
    let state: JournalState;
    try {
      state = JSON.parse(text) as JournalState;
    } catch {
      throw damaged(`the restock journal ${this.path} is not valid JSON`);
    }
    const version = (state as Partial<JournalState> | null)?.version;
    if (typeof version === 'number' && version !== JOURNAL_VERSION) {
      throw new CliError(
        `the restock journal ${this.path} has version ${version}; this astrosell reads ${JOURNAL_VERSION}`,
        ExitCode.failure,
        { hint: `finish it with the astrosell that wrote it; ${START_OVER}` },
      );
    }
    const bad = badField(state);
    if (bad !== undefined) {
      throw damaged(`the restock journal ${this.path} is damaged: ${bad} is missing or wrong`);
    }
    return state;
  }

  /**
   * Atomic and durable: a crash leaves the old or the new state, never a
   * torn one. Written whole to a temp file and synced, renamed over the
   * journal, then the folder synced. If any step fails the journal on disk
   * is the previous one (the temp file is removed) and a FileWriteError
   * naming the journal is thrown: the run must stop.
   */
  save(state: JournalState): void {
    const tmp = `${this.path}.tmp`;
    let fd: number | undefined;
    try {
      fd = openSync(tmp, 'w', 0o600);
      writeAllSync(fd, Buffer.from(JSON.stringify(state)), 0);
      // The data must be on disk before the rename makes it the journal.
      syncFile(fd);
      const done = fd;
      fd = undefined;
      closeSync(done);
      renameSync(tmp, this.path);
      syncDir(this.dir);
    } catch (error) {
      const open = fd;
      if (open !== undefined) quietly(() => closeSync(open));
      quietly(() => rmSync(tmp, { force: true }));
      throw new FileWriteError('restock journal', this.path, error);
    }
  }

  remove(): void {
    rmSync(this.path, { force: true });
    rmSync(`${this.path}.tmp`, { force: true });
  }
}

/**
 * A damaged journal is no reason to resend everything: a pool that keeps
 * duplicates would store what was stored twice.
 */
const START_OVER =
  'do not just move it away to start over: that resends every serial, and a pool that keeps duplicates would store them twice; compare the input with the pool first (astrosell warehouses diff <warehouse-id> <file> --show missing > missing.txt), restock only missing.txt, then move the journal away';

function damaged(message: string): CliError {
  return new CliError(message, ExitCode.failure, {
    hint: `it was left untouched; ${START_OVER}`,
  });
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isText = (v: unknown): v is string => typeof v === 'string' && v !== '';

const COUNTERS = Object.keys(emptyCounters()).filter((k) => k !== 'unsentReasons') as Array<
  Exclude<keyof Counters, 'unsentReasons'>
>;

/** The first field a resume needs that is missing or of the wrong kind, if any. */
function badField(s: unknown): string | undefined {
  if (!isObject(s)) return 'the whole state';
  const checks: Array<[string, (v: unknown) => boolean]> = [
    ['version', (v) => v === JOURNAL_VERSION],
    ['key', isText],
    [
      'target',
      (v) =>
        isObject(v) &&
        (v.kind === 'warehouse' || v.kind === 'product') &&
        isText(v.id) &&
        isText(v.baseUrl) &&
        (v.pool === undefined || isText(v.pool)),
    ],
    [
      'inputs',
      (v) =>
        Array.isArray(v) &&
        v.every((f) => isObject(f) && isText(f.name) && isCount(f.size) && isText(f.sha256)),
    ],
    ['removeDuplicates', (v) => typeof v === 'boolean'],
    ['poolDedup', (v) => typeof v === 'boolean'],
    [
      'sizing',
      (v) =>
        isObject(v) &&
        isCount(v.size) &&
        v.size > 0 &&
        (v.ceiling === null || (isCount(v.ceiling) && v.ceiling > 0)) &&
        isCount(v.max) &&
        v.max > 0 &&
        typeof v.pinned === 'boolean',
    ],
    ['committedLine', isCount],
    [
      'inflight',
      (v) =>
        v === null ||
        (isObject(v) &&
          isCount(v.fromLine) &&
          isCount(v.toLine) &&
          v.toLine >= v.fromLine &&
          isCount(v.sentUpTo) &&
          (v.open === undefined || isRanges(v.open)) &&
          (v.notStored === undefined || isRanges(v.notStored)) &&
          (v.last === undefined || isRanges(v.last)) &&
          isCount(v.requests) &&
          typeof v.sentAt === 'number' &&
          typeof v.mayStillLand === 'boolean'),
    ],
    [
      'counters',
      (v) =>
        isObject(v) &&
        COUNTERS.every((k) => isCount(v[k])) &&
        isObject(v.unsentReasons) &&
        Object.values(v.unsentReasons).every(isCount),
    ],
    ['unsentFile', isText],
    ['unsentBytes', isCount],
    ['uncertainFile', isText],
    ['uncertainBytes', isCount],
    [
      'sales',
      (v) =>
        v === null ||
        (isObject(v) &&
          typeof v.whole === 'boolean' &&
          (v.at === undefined || typeof v.at === 'number') &&
          Array.isArray(v.statuses) &&
          v.statuses.every(
            (p) =>
              Array.isArray(p) &&
              (p.length === 2 ||
                (p.length === 3 && isCount(p[2])) ||
                (p.length === 4 && isCount(p[2]) && typeof p[3] === 'string')) &&
              typeof p[0] === 'string' &&
              typeof p[1] === 'string',
          )),
    ],
    ['poolTotal', (v) => v === null || isCount(v)],
    ['deliveredAtTotal', (v) => v === undefined || isCount(v)],
    ['otherWriter', (v) => typeof v === 'boolean'],
    // Shown by `restocks list`; a journal of any version has them.
    ['startedAt', isText],
    ['updatedAt', isText],
  ];
  for (const [field, ok] of checks) if (!ok(s[field])) return field;
  return undefined;
}

/** Ranges [from, to) of a unit's positions. */
function isRanges(v: unknown): boolean {
  return (
    Array.isArray(v) &&
    v.every(
      (r) => Array.isArray(r) && r.length === 2 && isCount(r[0]) && isCount(r[1]) && r[1] > r[0],
    )
  );
}

/** Clean-up after a failed write: the write's own failure is what counts. */
function quietly(step: () => void): void {
  try {
    step();
  } catch {
    // nothing more to do
  }
}

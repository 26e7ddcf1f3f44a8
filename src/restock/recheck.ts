// The last look at the uncertain serials, at the end of a run that went
// through its whole input. A serial is uncertain because a request carrying
// it may still have been processed (or a sale may have been missed) when it
// was read back. By the end of the run such a request has often landed. In a
// pool that drops duplicates a serial present is in the pool once, whoever
// put it there, so every uncertain serial found now is stored; one delivered
// by an order of this run was stored and sold. The rest stay uncertain. (In a
// pool that keeps duplicates presence proves nothing: no second look.)
//
// The uncertain file is rewritten only after the journal is gone (the run is
// complete, nothing is left to resume), as a whole new file renamed over the
// old one: a crash leaves the old list, which is still true ("may be stored").
import {
  closeSync,
  fdatasyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { type Run, readBack } from './settle.js';

/** More uncertain serials than this are not looked at again (the read-back keeps each in memory). */
export const RECHECK_LIMIT = 200_000;

export interface Recheck {
  /** Found in the pool, or delivered by an order of this run. */
  found: number;
  sold: number;
  /** Still uncertain, in file order. */
  remaining: string[];
}

export async function recheckUncertain(run: Run, path: string): Promise<Recheck> {
  const listed = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  const v = await readBack(run, listed, true, false, null);
  return { found: v.stored + v.sold, sold: v.sold, remaining: v.uncertain };
}

/** Replaces the list at `path` by `serials` (none: the file goes), atomically and durably. */
export function replaceList(path: string, serials: readonly string[]): void {
  if (serials.length === 0) {
    rmSync(path, { force: true });
    return;
  }
  const tmp = `${path}.recheck`;
  const buf = Buffer.from(`${serials.join('\n')}\n`);
  const fd = openSync(tmp, 'w', 0o600);
  try {
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off, off);
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

// One restock per pool on this machine. Two restocks into the same pool at
// once make each other's read-backs lie (the other's serials look like ours,
// the pool's growth is not ours alone), whatever their input or config
// folder. So the lock is keyed by the service's base URL and the pool (a
// warehouse, also when a product drawing from it is restocked; a product
// with stock of its own) and lives in a folder every user and every config
// folder shares: `astrosell-restock-locks` under the system's temp folder,
// sticky and open to all (like /tmp), each lock 0644 so a refused run can
// name the holder's pid and what it restocks.
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { CliError, ExitCode } from '../errors.js';
import { FileLock } from '../fs/file-lock.js';
import type { Target } from './target.js';

export function poolLockDir(): string {
  return join(tmpdir(), 'astrosell-restock-locks');
}

export function poolLockPath(baseUrl: string, poolId: string): string {
  const key = createHash('sha256')
    .update(JSON.stringify([baseUrl, poolId]))
    .digest('hex')
    .slice(0, 24);
  return join(poolLockDir(), `${key}.lock`);
}

/** What a run restocks, in a line: `product p1 (warehouse w1) from keys.txt`. */
export function restockLabel(target: Target, inputs: readonly string[]): string {
  const pool = target.poolId.replace(':', ' ');
  const what = `${target.kind} ${target.id}`;
  const first =
    inputs[0] === undefined || inputs[0] === '-' ? 'standard input' : basename(inputs[0]);
  const more = inputs.length > 1 ? ` and ${inputs.length - 1} more` : '';
  return `${what}${pool === what ? '' : ` (${pool})`} from ${first}${more}`;
}

/** The lock of the target's pool at this service; `inputs` name what the run restocks. */
export function poolLock(baseUrl: string, target: Target, inputs: readonly string[]): FileLock {
  return new FileLock(poolLockPath(baseUrl, target.poolId), {
    fileMode: 0o644,
    dirMode: 0o1777,
    shared: true,
    label: restockLabel(target, inputs),
    busy: ({ pid, label }, path) =>
      new CliError(
        `another restock into the same pool is running (pid ${pid}${label ? `: ${label}` : ''})`,
        ExitCode.failure,
        {
          hint: `two restocks into one pool would misread each other's read-backs; wait for it to finish (if it is gone, remove ${path})`,
        },
      ),
  });
}

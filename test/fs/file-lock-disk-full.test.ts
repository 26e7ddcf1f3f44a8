// The lock's token file when the disk refuses to hold it (full, or over the
// user's file size limit): played by a process of its own run under
// `ulimit -f 0`, where any write of a byte fails (EFBIG) after the file is
// made. A process of its own, so no other test runs under that limit.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { childScript, tempDir } from '../helpers/cli.js';

const tmp = tempDir('astrosell-file-lock-full-');
afterAll(() => tmp.cleanup());

const RUNNER = `
const [mod, path] = process.argv.slice(2);
const { FileLock } = await import(mod);
const lock = new FileLock(path, { fileMode: 0o600, dirMode: 0o700, busy: () => new Error('busy') });
try {
  lock.lock();
  process.stdout.write('taken');
} catch (e) {
  process.stdout.write(String(e.code ?? e.message));
}
`;

let mod = '';
let runner = '';
beforeAll(async () => {
  ({ mod, runner } = await childScript(tmp.dir, 'src/fs/file-lock.ts', RUNNER));
});

/** What the runner said, run under a file size limit of 0. */
function lockWithoutRoom(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'bash',
      ['-c', 'ulimit -f 0 && exec "$@"', 'bash', process.execPath, runner, mod, path],
      // A pipe, not a file: the limit would stop the runner's own output.
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('exit', () => resolve(out));
  });
}

it('a disk that cannot hold the token says so, and leaves no temp file in the lock folder', async () => {
  const dir = join(tmp.dir, 'locks');
  const said = await lockWithoutRoom(join(dir, 'a.lock'));
  expect(said).toBe('EFBIG');
  expect(readdirSync(dir)).toEqual([]);
});

// Drive main() as on a terminal: stdin and stderr are TTYs, and each answer
// is typed only once the prompt it answers is on screen (a prompt reading
// ahead would swallow the next one's keys).
import { PassThrough, Writable } from 'node:stream';
import { main } from '../../src/cli.js';
import { cleanEnv, type RunResult } from './cli.js';

/** A stream that says it is a terminal and keeps what was written. */
export class Tty extends Writable {
  text = '';
  isTTY = true;
  columns = 100;
  rows = 40;
  override _write(c: Buffer, _e: BufferEncoding, cb: () => void) {
    this.text += c.toString();
    cb();
  }
}

export async function typeInto(
  argv: string[],
  env: Record<string, string>,
  answers: Array<[RegExp, string]>,
): Promise<RunResult> {
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  const stdout = new Tty();
  const stderr = new Tty();
  const done = main(argv, { stdin, stdout, stderr, env: cleanEnv(env) });
  for (const [prompt, keys] of answers) {
    for (let i = 0; !prompt.test(stderr.text); i++) {
      if (i > 200) throw new Error(`no prompt ${prompt}; stderr: ${stderr.text}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    stdin.write(keys);
  }
  const code = await Promise.race([
    done,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`still waiting; stderr: ${stderr.text}`)), 5000),
    ),
  ]);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

// A real short write, without mocking node:fs: a child Node process under
// `ulimit -f` (a file size limit, in 1 KiB blocks). A write that would pass
// the limit stores what fits; the next one fails with EFBIG (Node ignores
// SIGXFSZ, so the process lives on). The child imports the restock's file
// modules from a bundle made once per test file.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT, tempDir } from './cli.js';

let bundle: Promise<string> | undefined;

/** src/restock/{journal,unsent,durable}.ts as one ES module, for child processes. */
function restockFiles(): Promise<string> {
  bundle ??= (async () => {
    const tmp = tempDir('astrosell-file-limit-');
    process.once('exit', tmp.cleanup);
    const outfile = join(tmp.dir, 'restock-files.mjs');
    await build({
      stdin: {
        contents: ['journal', 'unsent', 'durable']
          .map((m) => `export * from './src/restock/${m}.ts';`)
          .join('\n'),
        resolveDir: ROOT,
        loader: 'ts',
      },
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile,
      logLevel: 'silent',
    });
    return outfile;
  })();
  return bundle;
}

/**
 * Runs `script` (an ES module body; `m` holds the restock's file modules,
 * `args` the given arguments) in a child process whose files may not grow
 * past `kib` KiB. Whatever the script prints with `out(value)` comes back.
 */
export async function underFileLimit(
  kib: number,
  script: string,
  args: string[] = [],
): Promise<unknown> {
  const mod = await restockFiles();
  const body = `const m = await import(${JSON.stringify(mod)});
const args = ${JSON.stringify(args)};
const out = (v) => process.stdout.write(JSON.stringify(v));
${script}`;
  return new Promise((resolve, reject) => {
    const child = spawn(
      'bash',
      ['-c', `ulimit -f ${kib} && exec "$0" --input-type=module -e "$1"`, process.execPath, body],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) {
        reject(new Error(`child under ulimit -f ${kib} ended ${signal ?? code}: ${stderr}`));
        return;
      }
      resolve(JSON.parse(stdout));
    });
  });
}

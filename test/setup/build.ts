// Vitest global setup: the binary tests run dist/, the in-process tests run
// src/; both must be the same code. When any source is newer than the last
// build (or there is no build), build now; with ASTROSELL_TEST_NO_BUILD=1,
// refuse instead, naming the newer file.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** The first source newer than the build, or why the build is missing; null when current. */
export function staleBecause(root = ROOT): string | null {
  // The build writes dist/metafile.json after bundling, so its time is the build's.
  const stamp = join(root, 'dist', 'metafile.json');
  if (!existsSync(stamp)) return 'dist/ has not been built';
  const built = statSync(stamp).mtimeMs;
  const sources = [
    ...files(join(root, 'src')),
    join(root, 'package.json'),
    join(root, 'scripts', 'build.mjs'),
    join(root, 'bin', 'astrosell.js'),
  ];
  for (const file of sources) {
    if (statSync(file).mtimeMs > built) return `${relative(root, file)} is newer than dist/`;
  }
  return null;
}

export default function setup(): void {
  const why = staleBecause();
  if (why === null) return;
  if (process.env.ASTROSELL_TEST_NO_BUILD === '1') {
    throw new Error(`stale build: ${why}; run \`npm run build\` before the tests`);
  }
  process.stderr.write(`building dist/ (${why})\n`);
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0)
    throw new Error(`npm run build failed (exit ${r.status}); the tests need dist/`);
  const still = staleBecause();
  if (still) throw new Error(`stale build after building: ${still}`);
}

// The global setup's staleness check, on a throwaway tree.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { staleBecause } from './build.js';

let cleanup = () => {};
afterEach(() => cleanup());

function tree(): string {
  const t = tempDir('astrosell-stale-');
  cleanup = t.cleanup;
  for (const d of ['src/api', 'scripts', 'bin']) mkdirSync(join(t.dir, d), { recursive: true });
  for (const f of [
    'src/cli.ts',
    'src/api/client.ts',
    'package.json',
    'scripts/build.mjs',
    'bin/astrosell.js',
  ])
    writeFileSync(join(t.dir, f), '');
  return t.dir;
}

function at(path: string, seconds: number): void {
  utimesSync(path, seconds, seconds);
}

describe('staleBecause', () => {
  it('no build yet', () => {
    expect(staleBecause(tree())).toBe('dist/ has not been built');
  });

  it('current when the build is newer than every source, stale when one source is newer', () => {
    const root = tree();
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist', 'metafile.json'), '{}');
    for (const f of [
      'src/cli.ts',
      'src/api/client.ts',
      'package.json',
      'scripts/build.mjs',
      'bin/astrosell.js',
    ])
      at(join(root, f), 1_000);
    at(join(root, 'dist', 'metafile.json'), 2_000);
    expect(staleBecause(root)).toBeNull();
    at(join(root, 'src/api/client.ts'), 3_000);
    expect(staleBecause(root)).toBe('src/api/client.ts is newer than dist/');
  });
});

// The licences of the npm packages that esbuild put into a bundle: the
// package ships no node_modules, so their licence texts must travel in it.
// Which packages are bundled comes from esbuild's metafile, not from
// package.json, so a dependency that is only used at build time is not listed
// and one that is bundled can never be forgotten.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const LICENSE_FILE = /^(licen[cs]e|copying|notice)(\b|[-._])/i;

/** Package folders (absolute) whose files the metafile's inputs include. */
function bundledPackageDirs(metafile, root) {
  const dirs = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    // The last node_modules segment: a nested copy is a package of its own.
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m?.[1]) dirs.add(resolve(root, m[1]));
  }
  return [...dirs];
}

/**
 * One text with, for each bundled package (sorted by name and version), its
 * name, version, declared licence and every licence or notice file it ships.
 * Throws when a package ships no licence file: a bundle must not go out
 * without one.
 */
export function thirdPartyLicenses(metafile, root, { header = '' } = {}) {
  const entries = bundledPackageDirs(metafile, root).map((dir) => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const files = readdirSync(dir)
      .filter((f) => LICENSE_FILE.test(f))
      .sort();
    if (files.length === 0) {
      throw new Error(`${pkg.name}@${pkg.version} is bundled but ships no licence file (${dir})`);
    }
    const texts = files.map((f) => readFileSync(join(dir, f), 'utf8').trim());
    const licence = typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? '?');
    return { id: `${pkg.name}@${pkg.version}`, licence, texts };
  });
  // Two folders can hold the same name and version (deduplicated differently).
  const unique = new Map(entries.map((e) => [e.id, e]));
  const sorted = [...unique.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const rule = '-'.repeat(78);
  const parts = sorted.map((e) => `${rule}\n${e.id} (${e.licence})\n\n${e.texts.join('\n\n')}\n`);
  return {
    count: sorted.length,
    text:
      `Third-party software bundled in astrosell\n\n${header}` +
      `This file lists the ${sorted.length} npm packages whose code is part of the bundle,\n` +
      `each with its licence as shipped by the package.\n\n${parts.join('\n')}`,
  };
}

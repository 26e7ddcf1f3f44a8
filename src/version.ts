// Replaced at build time by esbuild's `define`; read from package.json when
// running from source (tests import src/ directly).
declare const __ASTROSELL_VERSION__: string | undefined;
// Defined only by the single-executable build (scripts/build-exe.mjs).
declare const __ASTROSELL_SEA__: boolean | undefined;
export const VERSION: string =
  typeof __ASTROSELL_VERSION__ === 'string' ? __ASTROSELL_VERSION__ : '0.0.0-dev';

/**
 * `astrosell --version [--verbose]`: the version alone on the first line (what
 * scripts parse); with --verbose, the Node.js running it (handed in by
 * cli.ts, which owns the process) on a second line.
 */
export function versionText(
  verbose: boolean,
  node: Pick<NodeJS.Process, 'version' | 'platform' | 'arch'>,
): string {
  if (!verbose) return `${VERSION}\n`;
  const sea = typeof __ASTROSELL_SEA__ === 'boolean' && __ASTROSELL_SEA__;
  const how = sea ? ', built into this single executable' : '';
  return `${VERSION}\nnode ${node.version} (${node.platform}-${node.arch}${how})\n`;
}

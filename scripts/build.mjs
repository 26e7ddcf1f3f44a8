// Bundles the CLI with esbuild: one entry chunk that loads almost nothing,
// and lazily imported chunks for each command and heavy dependency, so that
// `astrosell --version` does not pay for undici, conf or inquirer.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli.ts', sandbox: 'src/sandbox/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.18',
  sourcemap: 'linked',
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS dependencies (cli-table3, ajv) call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __astrosellCreateRequire } from 'node:module'; const require = __astrosellCreateRequire(import.meta.url);",
  },
  define: { __ASTROSELL_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});

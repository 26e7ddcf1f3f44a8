// Bundles the CLI with esbuild: one entry chunk that loads little more than
// commander, and lazily imported chunks for each command and heavy
// dependency, so that `astrosell --version` does not pay for undici, conf or
// inquirer. dist/ is overwritten in place (never emptied first) so that a
// CLI already running from it — a test, a second build — is not broken
// mid-load; files of earlier builds that this one did not write are removed after.
// Every dependency is bundled: the published package has no dependencies, and
// dist/THIRD-PARTY-LICENSES.txt carries the licences of the bundled code.
// The library's entry points (astrosell, astrosell/sandbox) also get type
// declarations, emitted by tsc into dist/types/ while esbuild bundles.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { thirdPartyLicenses } from './licenses.mjs';
import { sqliteWasm } from './sqlite-wasm.mjs';

// `npm pack` and `npm publish` run prepack and then prepare: prepack has just
// built, so prepare (there for installs from git and `npm install` in a
// checkout) need not build a second time.
if (
  process.env.npm_lifecycle_event === 'prepare' &&
  ['pack', 'publish'].includes(process.env.npm_command ?? '')
) {
  process.exit(0);
}

const root = resolve(new URL('..', import.meta.url).pathname);
const outdir = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const declarations = new Promise((resolveRun, reject) => {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const child = spawn(process.execPath, [tsc, '-p', 'tsconfig.lib.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  child.on('error', reject);
  child.on('exit', (code) =>
    code === 0 ? resolveRun() : reject(new Error(`tsc (declarations) exited ${code}`)),
  );
});
const result = await build({
  absWorkingDir: root,
  entryPoints: {
    cli: 'src/cli.ts',
    index: 'src/index.ts',
    sandbox: 'src/sandbox/index.ts',
    // bin/astrosell.js answers a bare --version from this alone.
    version: 'src/version.ts',
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.18',
  sourcemap: 'linked',
  legalComments: 'none',
  metafile: true,
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS dependencies (cli-table3, ajv) call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __astrosellCreateRequire } from 'node:module'; const require = __astrosellCreateRequire(import.meta.url);",
  },
  define: { __ASTROSELL_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
  // The order history's SQLite (WebAssembly) carries its .wasm inside the bundle.
  plugins: [sqliteWasm],
});

// Which sources each output holds: test/perf reads it to check that a
// command loads no module it should not.
writeFileSync(join(outdir, 'metafile.json'), JSON.stringify(result.metafile));
const licenses = thirdPartyLicenses(result.metafile, root);
writeFileSync(join(outdir, 'THIRD-PARTY-LICENSES.txt'), licenses.text);
const written = new Set(Object.keys(result.metafile.outputs).map((p) => resolve(root, p)));
written.add(join(outdir, 'metafile.json'));
written.add(join(outdir, 'THIRD-PARTY-LICENSES.txt'));
const walk = (dir) =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
      )
    : [];
await declarations;
for (const file of walk(join(outdir, 'types'))) written.add(file);
for (const file of walk(outdir)) {
  if (!written.has(file)) rmSync(file, { force: true });
}
// On stderr: `npm pack --json` runs this (prepack) and its stdout must stay JSON.
console.error(`built ${written.size} files into ${relative(process.cwd(), outdir) || 'dist'}/`);

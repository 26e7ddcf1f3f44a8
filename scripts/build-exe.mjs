// `npm run build:exe`: one executable file for machines without Node.js,
// made with Node's single executable applications (SEA): the CLI bundled
// as one CommonJS file (a SEA runs a single script and can require() only
// Node's built-ins), turned into a blob by `node --experimental-sea-config`,
// and injected with postject into a copy of the Node binary running this
// script. The result runs on this platform and architecture only.
//   node scripts/build-exe.mjs [--out FILE]
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { inject } from 'postject';
import { thirdPartyLicenses } from './licenses.mjs';
import { sqliteWasm } from './sqlite-wasm.mjs';

const root = resolve(new URL('..', import.meta.url).pathname);
const outArg = process.argv.indexOf('--out');
const exe = resolve(
  outArg > 0
    ? process.argv[outArg + 1]
    : join(root, 'dist-exe', process.platform === 'win32' ? 'astrosell.exe' : 'astrosell'),
);
const outdir = dirname(exe);
const work = join(outdir, 'sea-work');
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

function die(message) {
  console.error(`error: ${message}`);
  process.exit(1);
}

// Node 20.18 (our minimum) has SEA; a Node built without it (some distribution
// packages) lacks the fuse postject looks for, and the copy would be useless.
const node = process.execPath;
if (!readFileSync(node).includes(FUSE)) {
  die(
    `${node} cannot be made into a single executable (no SEA fuse); use an official Node.js build`,
  );
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
mkdirSync(work, { recursive: true });
const bundle = join(work, 'astrosell.cjs');
const result = await build({
  absWorkingDir: root,
  stdin: {
    // CommonJS has no top-level await: a rejection still ends the process.
    contents: "import { runFromProcess } from './src/cli.ts';\nrunFromProcess();\n",
    resolveDir: root,
    sourcefile: 'sea-main.ts',
    loader: 'ts',
  },
  outfile: bundle,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.18',
  legalComments: 'none',
  metafile: true,
  define: {
    __ASTROSELL_VERSION__: JSON.stringify(pkg.version),
    __ASTROSELL_SEA__: 'true',
  },
  logLevel: 'warning',
  // The order history's SQLite (WebAssembly) carries its .wasm inside the bundle.
  plugins: [sqliteWasm],
}).catch(() => die('bundling for the single executable failed'));

const blob = join(work, 'astrosell.blob');
const config = join(work, 'sea-config.json');
writeFileSync(
  config,
  JSON.stringify({
    main: bundle,
    output: blob,
    disableExperimentalSEAWarning: true,
    // V8's compiled code of the bundle goes into the blob: faster start-up.
    useCodeCache: true,
  }),
);
const made = spawnSync(node, ['--experimental-sea-config', config], { stdio: 'inherit' });
if (made.status !== 0) die('node --experimental-sea-config failed');

rmSync(exe, { force: true });
copyFileSync(node, exe);
chmodSync(exe, 0o755);
const mac = process.platform === 'darwin';
if (mac) spawnSync('codesign', ['--remove-signature', exe], { stdio: 'inherit' });
await inject(exe, 'NODE_SEA_BLOB', readFileSync(blob), {
  sentinelFuse: FUSE,
  ...(mac ? { machoSegmentName: 'NODE_SEA' } : {}),
});
// macOS refuses to run an unsigned binary on Apple silicon: sign it ad hoc.
if (mac) spawnSync('codesign', ['--sign', '-', exe], { stdio: 'inherit' });

writeFileSync(
  join(outdir, 'THIRD-PARTY-LICENSES.txt'),
  thirdPartyLicenses(result.metafile, root, {
    header:
      `The executable is Node.js ${process.version} with astrosell injected; Node.js's own\n` +
      `licence and those of the code it contains are in its LICENSE file:\n` +
      `https://github.com/nodejs/node/blob/${process.version}/LICENSE\n\n`,
  }).text,
);
rmSync(work, { recursive: true, force: true });

const probe = spawnSync(exe, ['--version'], { encoding: 'utf8' });
if (probe.status !== 0 || probe.stdout.trim() !== pkg.version) {
  die(`the executable does not run: ${probe.stderr || probe.stdout || probe.error}`);
}
const mib = (readFileSync(exe).length / 2 ** 20).toFixed(1);
console.log(`built ${relative(process.cwd(), exe) || exe} (${mib} MiB, node ${process.version})`);

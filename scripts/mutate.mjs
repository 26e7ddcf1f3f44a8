// npm run mutate [folder…]: StrykerJS over src/api, src/render, src/config,
// src/restock, src/commands, src/records, src/history, src/fs and `top` (the
// files directly in src/: cli.ts, mask.ts, names.ts, query.ts, …), or the
// folders named, one folder at a time, each with its own incremental file, so a run after a change re-tests only
// the mutants that change could affect. Reports: reports/mutation/<folder>.html
// and .json; the last lines are the score of each folder.
// `npm run mutate -- --survivors [folder…]` runs nothing: it lists the
// surviving and uncovered mutants of the latest reports, one a line
// (`--by-file`: a line per file with its score and counts instead).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

const root = resolve(new URL('..', import.meta.url).pathname);
const FOLDERS = [
  'render',
  'config',
  'api',
  'commands',
  'restock',
  'records',
  'history',
  'fs',
  'top',
];
/** What a folder name mutates: `top` is the files directly in src/. */
const sources = (folder) => (folder === 'top' ? 'src/*.ts' : `src/${folder}/**/*.ts`);
const listOnly = process.argv.includes('--survivors');
const byFile = process.argv.includes('--by-file');
const asked = process.argv.slice(2).filter((a) => a !== '--survivors' && a !== '--by-file');
for (const f of asked) {
  if (!FOLDERS.includes(f)) {
    console.error(`error: unknown folder "${f}"; one of ${FOLDERS.join(', ')}`);
    process.exit(2);
  }
}
const base = JSON.parse(readFileSync(join(root, 'stryker.config.json'), 'utf8'));
const out = join(root, 'reports', 'mutation');
mkdirSync(out, { recursive: true });
// The incremental results are committed (gzipped, ~150 KB a folder) in
// test/mutation/, so a fresh clone re-tests only what changed since the last
// committed run instead of starting over (hours on two cores).
const baselines = join(root, 'test', 'mutation');
const incremental = (folder) => join(root, 'reports', `stryker-incremental-${folder}.json`);
const baseline = (folder) => join(baselines, `${folder}.incremental.json.gz`);

/** Mutation score as Stryker counts it: detected / (detected + undetected). */
function score(report) {
  const n = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0 };
  for (const file of Object.values(report.files)) {
    for (const m of file.mutants) if (m.status in n) n[m.status]++;
  }
  const detected = n.Killed + n.Timeout;
  const valid = detected + n.Survived + n.NoCoverage;
  return { ...n, valid, score: valid ? (100 * detected) / valid : 100 };
}

if (listOnly) {
  for (const folder of asked.length ? asked : FOLDERS) {
    // The latest report, else the committed incremental results (the same
    // schema: every mutant with its status and the file's source).
    const path = join(out, `${folder}.json`);
    let report;
    if (existsSync(path)) report = JSON.parse(readFileSync(path, 'utf8'));
    else if (existsSync(baseline(folder)))
      report = JSON.parse(gunzipSync(readFileSync(baseline(folder))).toString('utf8'));
    else {
      console.error(`(no results for ${sources(folder)} yet: npm run mutate ${folder})`);
      continue;
    }
    for (const [file, { source, mutants }] of Object.entries(report.files)) {
      const lines = source.split('\n');
      if (byFile) {
        const s = score({ files: { [file]: { mutants } } });
        if (s.Survived + s.NoCoverage > 0)
          console.log(
            `${file}\t${s.score.toFixed(1)}%\t${s.Survived} survived\t${s.NoCoverage} no coverage`,
          );
        continue;
      }
      for (const m of mutants) {
        if (m.status !== 'Survived' && m.status !== 'NoCoverage') continue;
        const at = `${file}:${m.location.start.line}`;
        const line = lines[m.location.start.line - 1].trim().slice(0, 80);
        console.log(
          `${m.status}\t${at}\t${m.mutatorName}\t${JSON.stringify(m.replacement ?? '')}\t${line}`,
        );
      }
    }
  }
  process.exit(0);
}

/**
 * Stryker reuses a mutant's earlier result while its code and covering tests
 * are unchanged, even once the mutant is known to be static (code run when
 * its module loads, which `ignoreStatic` leaves out): a "Survived" from before
 * would stand for ever. Such results are dropped, so the run classifies them
 * afresh (no test is run for them).
 */
function forgetStaleStatics(path) {
  if (!existsSync(path)) return;
  const inc = JSON.parse(readFileSync(path, 'utf8'));
  let dropped = 0;
  for (const file of Object.values(inc.files)) {
    const keep = file.mutants.filter((m) => !(m.static && m.status !== 'Ignored'));
    dropped += file.mutants.length - keep.length;
    file.mutants = keep;
  }
  if (dropped === 0) return;
  writeFileSync(path, JSON.stringify(inc));
  console.error(`(${dropped} earlier results of static mutants dropped: classified afresh)`);
}

const results = [];
for (const folder of asked.length ? asked : FOLDERS) {
  const config = {
    ...base,
    mutate: [sources(folder)],
    // Many tests wait on real time (timeouts, late answers) more than they
    // use the CPU: MUTATE_CONCURRENCY=4 overlaps those waits on two cores.
    concurrency: Number(process.env.MUTATE_CONCURRENCY ?? base.concurrency),
    incrementalFile: `reports/stryker-incremental-${folder}.json`,
    // Its own sandbox folder, so two folders can be mutated at once.
    tempDirName: `.stryker-tmp/${folder}`,
    jsonReporter: { fileName: `reports/mutation/${folder}.json` },
    htmlReporter: { fileName: `reports/mutation/${folder}.html` },
  };
  const file = join(out, `stryker.${folder}.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  if (!existsSync(incremental(folder)) && existsSync(baseline(folder))) {
    writeFileSync(incremental(folder), gunzipSync(readFileSync(baseline(folder))));
    console.error(
      `(starting from the committed results in test/mutation/${folder}.incremental.json.gz)`,
    );
  }
  forgetStaleStatics(incremental(folder));
  console.error(`\n==> mutating ${sources(folder)}`);
  const r = spawnSync(
    process.execPath,
    [join(root, 'node_modules/@stryker-mutator/core/bin/stryker.js'), 'run', file],
    {
      cwd: root,
      stdio: 'inherit',
      // vitest.stryker.config.ts runs test/history only for src/history.
      env: { ...process.env, MUTATE_FOLDER: folder },
    },
  );
  if (r.status !== 0) {
    console.error(`stryker failed on ${sources(folder)} (exit ${r.status})`);
    process.exit(1);
  }
  const report = join(out, `${folder}.json`);
  if (existsSync(report)) results.push([folder, score(JSON.parse(readFileSync(report, 'utf8')))]);
  if (existsSync(incremental(folder))) {
    mkdirSync(baselines, { recursive: true });
    writeFileSync(baseline(folder), gzipSync(readFileSync(incremental(folder)), { level: 9 }));
  }
}
console.log('\nfolder     score   killed timeout survived no-coverage');
for (const [folder, s] of results) {
  console.log(
    `${sources(folder).replace('/**/*.ts', '').padEnd(14)} ${s.score.toFixed(1).padStart(5)}%  ${String(s.Killed).padStart(6)} ${String(s.Timeout).padStart(7)} ${String(s.Survived).padStart(8)} ${String(s.NoCoverage).padStart(11)}`,
  );
}

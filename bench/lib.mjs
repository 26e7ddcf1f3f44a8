// Shared bits for the benchmark scripts: timing child processes, medians,
// and a sandbox in a child process (so the server never shares the measured
// process's event loop).
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';

export const BIN = new URL('../bin/astrosell.js', import.meta.url).pathname;

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Wall time of one run of a command, in ms; throws when it fails. */
export function timeRun(cmd, args, env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) {
    throw new Error(
      `${[cmd, ...args].join(' ')} exited ${r.status}: ${r.stderr.toString().slice(0, 500)}`,
    );
  }
  return ms;
}

/** Run A and B alternately `runs` times (after a warm-up of each) and compare medians. */
export function compare(name, a, b, runs) {
  timeRun(...a);
  timeRun(...b);
  const ta = [];
  const tb = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      ta.push(timeRun(...a));
      tb.push(timeRun(...b));
    } else {
      tb.push(timeRun(...b));
      ta.push(timeRun(...a));
    }
  }
  const ma = median(ta);
  const mb = median(tb);
  return { name, runs, a: ma, b: mb, ratio: ma / mb };
}

export async function startSandboxProcess(args = []) {
  const child = spawn(process.execPath, [BIN, 'sandbox', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const it = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const url = (await it.next()).value;
  const key = (await it.next()).value;
  if (!url?.startsWith('http')) throw new Error('sandbox did not start');
  return { url, key, stop: () => child.kill('SIGINT') };
}

export function printTable(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  console.log(line(headers));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(r));
}

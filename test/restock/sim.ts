// The restock fault simulation: one seed draws a shop (one of the four pool
// kinds: removeDuplicates × removeSold), an input, and a schedule of faults
// between the CLI and the sandbox (test/helpers/fault-proxy.ts), sales during
// the run (including serials sold before it and added again), a cap, and
// Ctrl-C once (in-process), twice or SIGKILL (a child process), each followed
// by --resume. Then the oracle:
//   - every input serial is in the pool, the unsent file or the uncertain
//     file (or was delivered by an order of the run after it was stored);
//   - none was stored twice by the CLI, and none both stored and "unsent";
//   - the uncertain file is empty whenever the outcome was knowable;
//   - the final summary adds up.
// runSeed() returns the problems found (none: the promise held) and the
// command that replays the seed.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { mulberry32 } from '../../src/sandbox/rng.js';
import { BIN, cleanEnv, ROOT, runMain, tempDir } from '../helpers/cli.js';
import { type StockFault, startFaultProxy } from '../helpers/fault-proxy.js';

type Stop = 'none' | 'int1' | 'int2' | 'kill';

export interface SeedResult {
  seed: number;
  problems: string[];
  replay: string;
  /** What the seed drew, for the failure message. */
  drawn: string;
}

const TIMEOUT_S = 1;

export function replayCommand(seed: number): string {
  return `SIM_SEED=${seed} npx vitest run test/restock/fault-sim.test.ts`;
}

export async function runSeed(seed: number): Promise<SeedResult> {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const dedup = seed % 2 === 0;
  const removeSold = Math.floor(seed / 2) % 2 === 0;
  const key = `nsk_test_sim${String(seed).padStart(20, '0')}`;
  const sandbox: Sandbox = await startSandbox({
    host: '127.0.0.1',
    port: 0,
    keys: [key],
    empty: true,
  });
  const tmp = tempDir('astrosell-sim-');
  const store = sandbox.store;
  const w = store.createWarehouse({
    name: 'sim',
    removeDuplicates: dedup,
    removeSold,
    lowStockThreshold: null,
  });
  const product = store.createProduct({
    title: 'sim',
    price: 1,
    type: 'serials',
    currency: 'USD',
    visibility: 'public',
    purchaseNote: null,
    warehouseId: w.id,
  });
  const items = () => store.warehouses.get(w.id)!.pool.list();
  // Sold before the run (a refund, say), and added again in the input.
  const refunded = Array.from({ length: int(0, 3) }, (_, i) => `R${seed}-${i}`);
  if (refunded.length) {
    store.addStock(store.warehouse(w.id).pool, refunded.join('\n'), dedup);
    store.purchase(product.id, refunded.length, 'early@example.com');
  }
  const older = Array.from({ length: int(5, 15) }, (_, i) => `OLD${seed}-${i}`);
  store.addStock(store.warehouse(w.id).pool, older.join('\n'), dedup);
  // A crypto payment that sits pending through the run delivers nothing.
  store.orders.set(`AS-PEND${seed}`, {
    invoiceId: `AS-PEND${seed}`,
    productId: product.id,
    productTitle: 'sim',
    quantity: 1,
    total: 1,
    currency: 'USD',
    status: 'pending',
    gateway: 'crypto',
    customerEmail: 'p@example.com',
    createdAt: store.stamp().toISOString(),
    deliveredItems: [],
  });
  const initial = new Map<string, number>();
  for (const s of items()) initial.set(s, (initial.get(s) ?? 0) + 1);
  const ordersBefore = new Set(store.orders.keys());

  const fresh = Array.from(
    { length: int(15, 50) },
    (_, i) => `S${seed}-${String(i).padStart(3, '0')}`,
  );
  const input = [...fresh];
  for (const r of refunded) input.splice(int(0, input.length), 0, r);
  const repeat = rnd() < 0.2;
  if (repeat) input.splice(int(0, input.length), 0, pick(fresh));
  // Keeping duplicates, a repeated serial makes a read-back ambiguous while sales
  // change the pool's size: its batch may then be listed as uncertain.
  let unknowable = !dedup && repeat && removeSold;
  const lines = [...input];
  if (rnd() < 0.3) lines.splice(int(0, lines.length), 0, '');
  const file = join(tmp.dir, 'in.txt');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const unsentPath = join(tmp.dir, 'unsent.txt');
  const batch = int(3, 8);

  const stop: Stop = pick(['none', 'none', 'none', 'int1', 'int1', 'int2', 'kill']);
  const stopAt = int(0, 5);
  const faultRate = pick([0.15, 0.3, 0.5]);
  const refuseAt = rnd() < 0.15 ? int(1, 8) : -1;
  const capAt = rnd() < 0.15 ? int(0, 8) : -1;
  const faults: string[] = [];
  /** A request held past the timeout may land after its serials were resent and then refused, capped or stopped. */
  let stalled = false;
  const plan = (n: number): StockFault => {
    let f: StockFault = { kind: 'ok' };
    if (n === refuseAt) f = { kind: 'refuse', status: pick([400, 400, 422, 401]) };
    else if (rnd() < faultRate) {
      const kind = pick([
        '5xx-before',
        '5xx-after',
        'drop-after',
        'stall',
        'truncate',
        'truncate',
        'malformed',
      ] as const);
      if (kind === 'stall') f = { kind, ms: TIMEOUT_S * 1000 + 300 };
      else if (kind === 'truncate') f = { kind, keep: int(0, batch - 1) };
      else if (kind === 'malformed') {
        f = {
          kind,
          body: pick([
            '{"added":1}',
            'not json',
            '{"added":"1","total":1,"truncated":false,"capped":false}',
            '{"added":1,"total":1,"truncated":"no","capped":false}',
            '',
          ]),
        };
      } else f = { kind };
      // Keeping duplicates, an answer lost while the request may still land cannot be settled.
      if (!dedup && kind === 'stall') unknowable = true;
      stalled ||= kind === 'stall';
      // An answer lost for a request the full pool stored nothing of: it may yet land, as far as anyone can tell.
      if (kind === 'drop-after' && capAt >= 0 && n >= capAt) unknowable = true;
    }
    faults.push(`${n}:${f.kind}`);
    return f;
  };

  let child: ChildProcess | undefined;
  let abort: AbortController | undefined;
  let signalled = false;
  const proxy = await startFaultProxy({
    upstream: sandbox.url,
    plan,
    poolSize: () => store.warehouses.get(w.id)!.pool.size,
    onStock(n) {
      if (n === capAt) {
        sandbox.setLimits({ maxPool: store.warehouses.get(w.id)!.pool.size + int(0, batch) });
      }
      if (rnd() < 0.25 && store.warehouses.get(w.id)!.pool.size > 0) {
        store.purchase(product.id, 1, 'buyer@example.com');
      }
      if (n === stopAt && !signalled && stop !== 'none') {
        signalled = true;
        if (stop === 'int1') abort?.abort();
        else if (child && stop === 'int2') {
          child.kill('SIGINT');
          setTimeout(() => child?.kill('SIGINT'), 5);
        } else if (child && stop === 'kill') child.kill('SIGKILL');
      }
    },
  });
  const env = cleanEnv({
    ASTROSELL_BASE_URL: proxy.url,
    ASTROSELL_API_KEY: key,
    ASTROSELL_CONFIG_DIR: join(tmp.dir, 'cfg'),
    ASTROSELL_MAX_RETRIES: '2',
  });
  const args = (resume: boolean) => [
    'warehouses',
    'restock',
    w.id,
    file,
    '--batch-size',
    String(batch),
    '--unsent-file',
    unsentPath,
    '--timeout',
    String(TIMEOUT_S),
    '--json',
    ...(resume ? ['--resume'] : []),
  ];
  const inProcess = async (resume: boolean) => {
    abort = new AbortController();
    return runMain(args(resume), { env, signal: abort.signal });
  };
  const inChild = () =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      child = spawn(process.execPath, [BIN, ...args(false)], {
        env,
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (d) => (stdout += d));
      child.stderr!.on('data', (d) => (stderr += d));
      child.on('close', (code, sig) =>
        // Killed by a signal: the shell's code, 128 + its number (SIGINT 130, SIGKILL 137).
        resolve({ code: code ?? 128 + (sig ? constants.signals[sig] : 0), stdout, stderr }),
      );
    });

  const problems: string[] = [];
  const codes: number[] = [];
  let last = { code: -1, stdout: '', stderr: '' };
  try {
    last = stop === 'int2' || stop === 'kill' ? await inChild() : await inProcess(false);
    codes.push(last.code);
    let stderrs = last.stderr;
    if (stop === 'int2' || stop === 'kill') unknowable ||= !dedup;
    for (let i = 0; i < 4 && [130, 137, 1, 6].includes(last.code); i++) {
      if (last.code === 1 && !/--resume/.test(last.stderr)) break;
      last = await inProcess(true);
      codes.push(last.code);
      stderrs += last.stderr;
    }
    await proxy.idle();
    const pool = items();
    const unsent = readList(unsentPath);
    const uncertain = readList(`${unsentPath}.uncertain`);
    const soldInRun = [...store.orders.values()]
      .filter((o) => !ordersBefore.has(o.invoiceId))
      .flatMap((o) => o.deliveredItems);
    const count = (xs: readonly string[]) => {
      const m = new Map<string, number>();
      for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
      return m;
    };
    const inPool = count(pool);
    const inputCount = count(input);
    const sold = removeSold ? count(soldInRun) : new Map<string, number>();
    const unsentSet = new Set(unsent);
    const uncertainSet = new Set(uncertain);
    for (const [s, want] of inputCount) {
      const added = (inPool.get(s) ?? 0) + (sold.get(s) ?? 0) - (initial.get(s) ?? 0);
      const present = (inPool.get(s) ?? 0) + (sold.get(s) ?? 0) > 0;
      if (!present && !unsentSet.has(s) && !uncertainSet.has(s)) problems.push(`lost: ${s}`);
      const max = dedup ? Math.max(0, 1 - (initial.get(s) ?? 0)) : want;
      if (added > max) problems.push(`stored ${added} times (at most ${max}): ${s}`);
      // (A repeat in the input may be stored once and listed once.)
      if (unsentSet.has(s) && added >= want && !uncertainSet.has(s)) {
        problems.push(`in the unsent file but stored: ${s}`);
      }
    }
    // A request given up on by a timeout the schedule did not plan (a loaded machine) counts as stalled.
    stalled ||= proxy.abandoned > 0;
    // Or one the CLI timed out on after the proxy answered (its event loop starved by the load).
    if (proxy.abandoned > 0 || /timed out/.test(stderrs)) unknowable = true;
    const lostInFlight = stalled || stop === 'int2' || stop === 'kill';
    if (lostInFlight && (codes.some((c) => c !== 0) || capAt >= 0)) unknowable = true;
    if (uncertain.length && !unknowable) {
      problems.push(
        `uncertain file not empty though the outcome was knowable: ${uncertain.join(' ')}`,
      );
    }
    if (![0, 7, 2, 3].includes(last.code))
      problems.push(`final exit ${last.code}: ${last.stderr.trim()}`);
    if (last.code === 0 || last.code === 7 || (last.code !== 2 && last.stdout.trim())) {
      try {
        const s = JSON.parse(last.stdout) as Record<string, number>;
        const accounted =
          s.blank! + s.rejected! + s.duplicates! + s.sent! + s.unsent! + s.uncertain!;
        if (s.lines !== lines.length || accounted !== s.lines) {
          problems.push(`summary lines do not add up: ${last.stdout}`);
        }
        if (s.added! + s.droppedByPool! + s.foundStored! !== s.sent) {
          problems.push(`summary sent ≠ added + droppedByPool + foundStored: ${last.stdout}`);
        }
        if (s.unsent !== unsent.length || s.uncertain !== uncertain.length) {
          problems.push(
            `summary counts ${s.unsent}/${s.uncertain} but the files list ${unsent.length}/${uncertain.length}`,
          );
        }
      } catch {
        problems.push(
          `no JSON summary on stdout (exit ${last.code}): ${last.stdout}${last.stderr}`,
        );
      }
    }
    if (problems.length)
      problems.push(`last stderr: ${last.stderr.trim()}`, `last stdout: ${last.stdout.trim()}`);
  } finally {
    await proxy.close();
    await sandbox.close();
    tmp.cleanup();
  }
  return {
    seed,
    problems,
    replay: replayCommand(seed),
    drawn: `pool removeDuplicates=${dedup} removeSold=${removeSold}; ${input.length} serials (${refunded.length} sold before and added again), batch ${batch}; stop ${stop}@${stopAt}; faults ${faults.join(' ')}; exits ${codes.join(',')}`,
  };
}

function readList(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter(Boolean);
}

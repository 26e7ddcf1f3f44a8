// The body of `astrosell sandbox`: validate options, start, print the base
// URL (first line of stdout) and the accepted keys, serve until `signal`
// aborts, then close cleanly (saving --data). Errors are thrown as one-line
// messages; the CLI maps them to exit codes.
import type { RateLimit } from './gate.js';
import { SANDBOX_KEY, type Sandbox, startSandbox } from './start.js';

export interface SandboxCommandOptions {
  port?: number;
  host?: string;
  key?: string[];
  data?: string;
  empty?: boolean;
  maxLines?: number;
  maxPool?: number;
  /** e.g. "10/s", "100/min", "5/250ms", "1000/h". */
  rateLimit?: string;
  latency?: number;
  errorRate?: number;
  dropRate?: number;
  seed?: number;
}

export interface SandboxIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export const DEFAULT_SANDBOX_PORT = 4010;

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hour: 3_600_000,
};

/** "10/s" → { requests: 10, perMs: 1000 }; "5/250ms"; "100/min"; "3/10s". */
export function parseRateLimit(text: string): RateLimit {
  const m = /^\s*(\d+)\s*\/\s*(\d*)\s*([a-z]+)\s*$/i.exec(text);
  const word = m?.[3]?.toLowerCase() ?? '';
  const unit = UNIT_MS[word] ?? (word.endsWith('s') ? UNIT_MS[word.slice(0, -1)] : undefined);
  const requests = Number(m?.[1]);
  const times = m?.[2] ? Number(m[2]) : 1;
  if (!m || unit === undefined || requests < 1 || times < 1) {
    throw new Error(
      `invalid --rate-limit "${text}": use requests/period, e.g. 10/s, 100/min, 5/250ms`,
    );
  }
  return { requests, perMs: unit * times };
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

const isInt = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n);
const isRate = (n: unknown) => typeof n === 'number' && n >= 0 && n <= 1;

function validate(o: SandboxCommandOptions): void {
  if (o.port !== undefined) {
    check(
      isInt(o.port) && o.port >= 0 && o.port <= 65535,
      `invalid --port "${o.port}": use 0–65535 (0 picks a free port)`,
    );
  }
  if (o.host !== undefined) check(o.host.trim() !== '', '--host must not be empty');
  for (const k of o.key ?? []) {
    check(
      /^nsk_\S+$/.test(k),
      'every --key must start with nsk_ and contain no spaces (e.g. nsk_test_123)',
    );
  }
  for (const [name, v] of [
    ['--max-lines', o.maxLines],
    ['--max-pool', o.maxPool],
  ] as const) {
    if (v !== undefined)
      check(isInt(v) && v >= 1, `invalid ${name} "${v}": use a positive integer`);
  }
  if (o.latency !== undefined) {
    check(
      typeof o.latency === 'number' && o.latency >= 0 && Number.isFinite(o.latency),
      `invalid --latency "${o.latency}": use milliseconds ≥ 0`,
    );
  }
  if (o.errorRate !== undefined) check(isRate(o.errorRate), '--error-rate must be between 0 and 1');
  if (o.dropRate !== undefined) check(isRate(o.dropRate), '--drop-rate must be between 0 and 1');
  check(
    (o.errorRate ?? 0) + (o.dropRate ?? 0) <= 1,
    '--error-rate plus --drop-rate must be at most 1',
  );
  if (o.seed !== undefined) check(isInt(o.seed), `invalid --seed "${o.seed}": use an integer`);
}

/** Commander hands over strings unless told to parse; accept "4010" as 4010. */
function numeric(o: SandboxCommandOptions): SandboxCommandOptions {
  const out: Record<string, unknown> = { ...o };
  for (const k of ['port', 'maxLines', 'maxPool', 'latency', 'errorRate', 'dropRate', 'seed']) {
    const v = out[k];
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) out[k] = Number(v);
  }
  return out as SandboxCommandOptions;
}

export async function runSandboxCommand(
  options: SandboxCommandOptions,
  io: SandboxIO,
  signal: AbortSignal,
): Promise<number> {
  const opts = numeric(options);
  validate(opts);
  const rateLimit = opts.rateLimit === undefined ? undefined : parseRateLimit(opts.rateLimit);
  const port = opts.port ?? DEFAULT_SANDBOX_PORT;
  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox({
      port,
      host: opts.host ?? '127.0.0.1',
      keys: opts.key,
      dataFile: opts.data,
      empty: opts.empty,
      maxLines: opts.maxLines,
      maxPool: opts.maxPool,
      rateLimit,
      faults: {
        seed: opts.seed,
        latencyMs: opts.latency,
        errorRate: opts.errorRate,
        dropRate: opts.dropRate,
      },
      log: (line) => io.stderr.write(`${line}\n`),
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new Error(
        opts.port === undefined
          ? `port ${port} is in use; pass --port 0 for a free port`
          : `port ${port} is in use; pick another with --port, or pass --port 0 for a free port`,
      );
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new Error(`cannot listen on host ${opts.host}: ${code}`);
    }
    throw e;
  }
  io.stdout.write(`${sandbox.url}\n`);
  for (const k of sandbox.keys) io.stdout.write(`${k}\n`);
  const s = sandbox.store;
  const shop = `${s.products.size} products, ${s.warehouses.size} warehouses, ${s.orders.size} orders, ${s.coupons.length} coupons`;
  io.stderr.write(
    [
      `AstroSell sandbox listening (${shop}${opts.data ? `; saved to ${opts.data}` : ''}).`,
      'Point the CLI at it:',
      `  export ASTROSELL_BASE_URL=${sandbox.url} ASTROSELL_API_KEY=${sandbox.keys[0]}`,
      ...(opts.key?.length
        ? []
        : [
            `${SANDBOX_KEY} is the sandbox's fixed, public key: the same at every start, for the sandbox only.`,
          ]),
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await sandbox.close();
  io.stderr.write(`sandbox stopped${opts.data ? `; shop saved to ${opts.data}` : ''}\n`);
  return 0;
}

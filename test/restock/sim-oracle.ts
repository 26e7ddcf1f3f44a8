// The restock simulation's oracle (sim.ts runs a seed, this judges it), a
// pure function of what happened: the input, the pool before and after, the
// orders of the run, what each stock add of the CLI carried, was answered and
// added to the pool (the fault proxy's records, on its logical clock), what
// the other writer did, and the two lists.
//
//   - nothing lost: every input serial is in the pool, or was delivered by an
//     order of the run, or is listed (unsent or uncertain); in a pool that
//     keeps duplicates, each occurrence was stored by the CLI (or a copy of
//     the same key by the other writer) or listed;
//   - nothing stored twice by the CLI (a sold key put back in stock by a late
//     landing is stored twice);
//   - nothing both stored by the CLI and listed as unsent;
//   - uncertain only when unknowable: see mayBeUncertain.
import type { ReadRecord, StockRecord } from '../helpers/fault-proxy.js';

/** A change to the pool that was not the CLI's: the other writer's add, or a sale. */
export interface Change {
  at: number;
  kind: 'add' | 'sale';
  /** The pool's content changed (an add stored something; a sale removed keys). */
  changed: boolean;
}

export interface Facts {
  dedup: boolean;
  removeSold: boolean;
  /** The input's serials, in order (repeats included). */
  input: readonly string[];
  /** The pool before the run (counts). */
  initial: ReadonlyMap<string, number>;
  /** The pool after the run and every late landing. */
  pool: readonly string[];
  /** Delivered by orders created during the run. */
  soldInRun: readonly string[];
  /** Copies each stock add of the CLI added to the pool, by request number. */
  landed: ReadonlyMap<number, ReadonlyMap<string, number>>;
  /** Copies the other writer added. */
  other: ReadonlyMap<string, number>;
  stock: readonly StockRecord[];
  reads: readonly ReadRecord[];
  changes: readonly Change[];
  unsent: readonly string[];
  uncertain: readonly string[];
  /** Set when the CLI gave up on requests the proxy answered (a loaded machine): the uncertain rule is off. */
  loadRelax?: string;
}

export function countOf(xs: Iterable<string>): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

const get = (m: ReadonlyMap<string, number> | undefined, s: string) => m?.get(s) ?? 0;

/** The answer itself says what became of `s` (its outcome needs no read-back). */
function settledByAnswer(f: Facts, q: StockRecord, s: string): boolean {
  if (q.answer === 'whole') return true;
  if (f.dedup || (q.answer !== 'truncated' && q.answer !== 'capped') || q.added === undefined) {
    return false;
  }
  // Keeping duplicates, a truncated or capped answer stored exactly the first `added` lines.
  return q.serials.every((x, i) => x !== s || i < q.added!);
}

const units = new WeakMap<Facts, Set<number>>();
/** Stock adds carrying a serial no earlier one carried: the first request of a unit. */
function startsUnit(f: Facts): Set<number> {
  let out = units.get(f);
  if (out) return out;
  out = new Set();
  const seen = new Set<string>();
  for (const r of f.stock) {
    if (r.serials.some((s) => !seen.has(s))) out.add(r.n);
    for (const s of r.serials) seen.add(s);
  }
  units.set(f, out);
  return out;
}

/** When a run of the CLI first read the orders (its snapshot, for run 0); never: infinity. */
function firstOrdersRead(f: Facts, run: number): number {
  const t = f.reads.find((r) => r.run === run && /\/orders/.test(r.path))?.arrivedAt;
  return run === 0 ? (t ?? Number.POSITIVE_INFINITY) : -1;
}

/** The engine must read the pool back to know what this request stored. */
function needsLook(f: Facts, r: StockRecord): boolean {
  if (r.answer === 'none' || r.answer === 'unusable') return true;
  return f.dedup && (r.answer === 'truncated' || r.answer === 'capped');
}

/**
 * Why `s` may be listed as uncertain, or undefined when its outcome was
 * knowable; judged per unit that carried it (an input repeat is carried by
 * two). Only from what the proxy did:
 *   - in progress: a stock add that carried it got no answer (held, dropped,
 *     given up on, the CLI killed) and had not stored it in the pool by the
 *     run's last good read of the pool for its unit (it landed later, or
 *     never, or stored nothing of it: a full pool), or (dropping duplicates)
 *     the key was sold during the run: the copy sold may have been an older
 *     one, and the request may store the key again after the sale;
 *   - pool changed: the pool keeps duplicates, and between the last thing the
 *     run learnt of the pool before a request of it needing a read-back and
 *     that read-back, another writer added something, a sale removed keys,
 *     or a request of the run given up on landed late;
 *   - no read-back: its last request needed one and none was had (the last
 *     read of the pool for it failed or was given up on, or an orders read
 *     was given up on where sold keys leave);
 * and not when the last request carrying it was answered in a way that says
 * what was stored (unless that answer was lost with a stopped process and
 * the resumed run had to read the pool back).
 */
export function mayBeUncertain(f: Facts, s: string): string | undefined {
  return allowance(f, s).reasons[0];
}

/** How many occurrences of `s` may be uncertain, and why. */
export function allowance(f: Facts, s: string): { count: number; reasons: string[] } {
  const out = { count: 0, reasons: [] as string[] };
  const starts = startsUnit(f);
  // The requests carrying `s`, by unit (a repeat in the input: one unit per occurrence).
  const groups: StockRecord[][] = [];
  let unit = -1;
  let current: StockRecord[] | undefined;
  for (const r of f.stock) {
    if (starts.has(r.n)) unit = r.n;
    if (!r.serials.includes(s)) continue;
    if (!current || (current as StockRecord[] & { unit?: number }).unit !== unit) {
      current = Object.assign([], { unit });
      groups.push(current);
    }
    current.push(r);
  }
  for (const g of groups) {
    const why = groupReason(f, s, g);
    if (why) {
      out.count += g[0]!.serials.filter((x) => x === s).length;
      out.reasons.push(why);
    }
  }
  // Dropping duplicates where sold keys leave, a later line with a key whose
  // request may still land is not sent at all (the engine's rule 2): every
  // copy of it is as uncertain as that request.
  if (out.count > 0 && f.dedup && f.removeSold) {
    const copies = f.input.filter((x) => x === s).length;
    if (copies > out.count) {
      out.count = copies;
      out.reasons.push('a later copy held back: a request carrying it may still land');
    }
  }
  return out;
}

function groupReason(f: Facts, s: string, carrying: StockRecord[]): string | undefined {
  const q = carrying.at(-1)!;
  // Its unit is settled until the engine sends serials never sent before (the next unit).
  const end =
    f.stock.find((r) => r.arrivedAt > q.arrivedAt && startsUnit(f).has(r.n))?.arrivedAt ??
    Number.POSITIVE_INFINITY;
  const first = carrying[0]!;
  const tried = f.reads.filter((r) => r.pool && r.arrivedAt > first.arrivedAt && r.arrivedAt < end);
  const looks = tried.filter((r) => r.ok);
  const lastLook = looks.at(-1)?.servedAt;
  const settled = settledByAnswer(f, q, s);
  if (settled && !tried.length) return undefined;
  if (!settled) {
    for (const r of carrying) {
      if (r.answer !== 'none') continue;
      // Dropping duplicates, a delivery proves only that some copy was in the pool: an
      // older one may have been sold, and this request may store the key after the sale.
      if (f.dedup && f.removeSold && f.soldInRun.includes(s)) {
        return `stock add #${r.n} (${r.fault}) got no answer, and the key was sold during the run`;
      }
      const stored = get(f.landed.get(r.n), s) > 0;
      // Keeping duplicates, presence proves nothing: once its own read-back missed
      // it, a later look cannot tell its landing from another copy.
      const ownLook = tried.find((x) => x.ok && x.arrivedAt > r.arrivedAt)?.servedAt;
      const missedByOwn = !f.dedup && (ownLook === undefined || (r.landedAt ?? 0) > ownLook);
      if (
        r.landedAt === undefined ||
        lastLook === undefined ||
        r.landedAt > lastLook ||
        !stored ||
        missedByOwn
      ) {
        return `stock add #${r.n} (${r.fault}${r.release ? `→${r.release}` : ''}) may still have been in progress`;
      }
    }
  }
  // A request of it needing a read-back, or (a resume) a read-back anyway.
  const ambiguous = carrying.find((r) => needsLook(f, r)) ?? (tried.length ? first : undefined);
  if (!f.dedup && ambiguous && lastLook !== undefined) {
    const infoTimes = [
      // (Where sold keys leave, a size read before the run's orders snapshot proves nothing.)
      ...f.reads
        .filter(
          (r) =>
            r.ok &&
            r.method === 'GET' &&
            /\/warehouses(\/[^/]+)?$/.test(r.path) &&
            (!f.removeSold || r.arrivedAt > firstOrdersRead(f, r.run)),
        )
        .map((r) => r.servedAt ?? r.arrivedAt),
      ...f.stock
        .filter((r) => r.answer === 'whole' || r.answer === 'truncated' || r.answer === 'capped')
        .map((r) => r.answeredAt ?? r.arrivedAt),
    ].filter((t) => t < ambiguous.arrivedAt);
    const start = Math.max(0, ...infoTimes);
    const within = (t: number | undefined) => t !== undefined && t > start && t <= lastLook;
    // The client learns of sales only when it reads the orders (after a pool read,
    // and a resumed run knows none of its own yet): a sale counts from the last
    // orders read of the same run before what it knew of the pool.
    const runOf = ambiguous.run;
    const ordersReads = f.reads
      .filter((r) => r.ok && r.run === runOf && /\/orders/.test(r.path))
      .map((r) => r.servedAt ?? r.arrivedAt)
      .filter((t) => t < start);
    const salesFrom = runOf === 0 && ordersReads.length ? Math.max(...ordersReads) : -1;
    const saleWithin = (t: number) => t > salesFrom && t <= lastLook;
    const change = f.changes.find(
      (c) => c.changed && (c.kind === 'sale' ? saleWithin(c.at) : within(c.at)),
    );
    if (change) return `the pool (keeping duplicates) changed meanwhile (${change.kind})`;
    const late = f.stock.find(
      (r) => r.answer === 'none' && !carrying.includes(r) && within(r.landedAt),
    );
    if (late) return `stock add #${late.n} of the run landed late meanwhile`;
  }
  const after = f.reads.filter((r) => r.arrivedAt > q.arrivedAt && r.arrivedAt < end);
  const poolReads = after.filter((r) => r.pool);
  if (needsLook(f, q) && !poolReads.some((r) => r.ok)) {
    return 'no read of the pool succeeded after its last request';
  }
  if (poolReads.length && !poolReads.at(-1)!.ok) return 'the last read of the pool for it failed';
  if (
    (needsLook(f, q) || poolReads.length) &&
    f.removeSold &&
    after.some((r) => !r.pool && r.abandoned)
  ) {
    return 'a read of the orders was given up on';
  }
  if (f.loadRelax) return `load: ${f.loadRelax}`;
  return undefined;
}

/** The problems found; none: the promise held. */
export function judge(f: Facts): string[] {
  const problems: string[] = [];
  const want = countOf(f.input);
  const inPool = countOf(f.pool);
  const sold = countOf(f.soldInRun);
  const unsent = countOf(f.unsent);
  const uncertain = countOf(f.uncertain);
  const cli = new Map<string, number>();
  for (const delta of f.landed.values()) {
    for (const [s, k] of delta) cli.set(s, (cli.get(s) ?? 0) + k);
  }
  // The harness itself: every copy in the pool (or sold from it) came from
  // before the run, the CLI or the other writer.
  const all = new Set([...inPool.keys(), ...sold.keys(), ...cli.keys(), ...f.other.keys()]);
  for (const s of all) {
    const out = get(inPool, s) + (f.removeSold ? get(sold, s) : 0);
    const inn = get(f.initial, s) + get(cli, s) + get(f.other, s);
    if (out !== inn) problems.push(`harness: ${s} accounted ${out} ≠ ${inn}`);
  }
  for (const [s, w] of want) {
    const byCli = get(cli, s);
    const listed = get(unsent, s) + get(uncertain, s);
    if (f.dedup) {
      const present = get(inPool, s) + get(sold, s) > 0;
      if (!present && listed === 0) problems.push(`lost: ${s}`);
    } else if (byCli + get(f.other, s) + listed < w) {
      // The other writer's copy of the same key counts: the key is in stock.
      problems.push(`lost: ${s} (stored ${byCli} of ${w} by the CLI, listed ${listed})`);
    }
    // A repeat in the input may be stored again once a sale took the first copy.
    const max = f.dedup && w === 1 ? 1 : w;
    if (byCli > max) {
      const n = get(sold, s);
      const back = f.removeSold && n > 0 && get(inPool, s) > 0;
      const fate = back
        ? ` — sold by an order of the run and back in the pool`
        : f.removeSold && n > 1
          ? ` — delivered by ${n} orders of the run`
          : '';
      problems.push(`stored ${byCli} times by the CLI (at most ${max}): ${s}${fate}`);
    }
    const unsentButStored = f.dedup
      ? get(unsent, s) > 0 && byCli >= 1 && get(unsent, s) >= w
      : get(unsent, s) > 0 && byCli + get(unsent, s) > w;
    if (unsentButStored) problems.push(`in the unsent file but stored by the CLI: ${s}`);
  }
  for (const s of new Set([...f.unsent, ...f.uncertain])) {
    if (!want.has(s)) problems.push(`listed but not in the input: ${s}`);
  }
  const knowable = [...uncertain]
    .filter(([s, n]) => want.has(s) && n > allowance(f, s).count)
    .map(([s]) => s);
  if (knowable.length) {
    problems.push(`uncertain though the outcome was knowable: ${knowable.join(' ')}`);
  }
  return problems;
}

// The one owner of a restock's record: the counters, the journal and the two
// lists (unsent: known not stored; uncertain: outcome unknown). The engine
// tells it what happened, unit by unit; it keeps the journal, the files and
// the counts in step, in this order:
//   begin(unit)   the journal declares the unit in flight (before it is sent)
//   commit(unit)  its unsent/uncertain serials are written, then it is counted
//   stop(...)     a stopped run: the journal keeps the unit in flight for
//                 --resume; the files get a tail listing every serial not
//                 proven stored (a resume cuts the tails off again)
// The journal records a list's length only once its bytes are synced: a
// crash never leaves a list shorter than the journal says.
import type { Clock } from '../context.js';
import { InputChangedError } from '../errors.js';
import { FileWriteError } from './durable.js';
import type { KeySet } from './hashset.js';
import type { Journal, JournalState } from './journal.js';
import type { Unit, UnitReader } from './read.js';
import type { SerialList } from './serials.js';
import { emptyOutcome, type SettledPrefix, type UnitOutcome } from './settle.js';
import { UnsentFile } from './unsent.js';

/** The pool's size when last observed, and the keys delivered since the orders snapshot that it reflects. */
export interface PoolSeen {
  total: number | null;
  deliveredAtTotal: number;
}

/** Serials a stopped run could not write to their list: the journal still covers their lines. */
export interface Unlisted {
  list: 'unsent' | 'uncertain';
  /** Why, naming the file. */
  error: FileWriteError;
  count: number;
  /** The input lines [fromLine, toLine) that hold them (numbered across all files from 0). */
  fromLine: number;
  toLine: number;
}

/** What a stopped run's tails hold: counts of serials, whether listed or not. */
export interface Tails {
  /** Not yet sent (meant for the unsent file). */
  notSent: number;
  /** Of the unit in flight: sent, fate unknown (meant for the uncertain file). */
  inflight: number;
  /** The journal could not be updated: the one on disk is an earlier one. */
  saveError?: Error;
  /** What could not be listed, by list. */
  unlisted: Unlisted[];
  /** An input changed: serials from its `line` on are in neither list. */
  changed?: InputChangedError;
}

export class Ledger {
  readonly unsent: UnsentFile;
  readonly uncertain: UnsentFile;
  /** Stock requests made by this run (a run that made none has nothing to resume). */
  requests = 0;
  /** The unit drain() was committing: if that fails, a stop still lists it. */
  private draining: Unit | undefined;

  constructor(
    readonly journal: Journal,
    readonly state: JournalState,
    private readonly clock: Clock,
  ) {
    this.unsent = new UnsentFile(state.unsentFile, state.unsentBytes, 'unsent', journal.dir);
    this.uncertain = new UnsentFile(
      state.uncertainFile,
      state.uncertainBytes,
      'uncertain',
      journal.dir,
    );
  }

  get counters() {
    return this.state.counters;
  }

  /** The lists' bytes on disk, then the journal that records their lengths. */
  private save(): void {
    this.unsent.sync();
    this.uncertain.sync();
    this.state.updatedAt = new Date(this.clock.now()).toISOString();
    this.journal.save(this.state);
  }

  /** The unit is next: nothing of it sent yet (the journal is written at its first request). */
  begin(unit: Unit): void {
    this.state.inflight = {
      fromLine: unit.fromLine,
      toLine: unit.toLine,
      sentUpTo: 0,
      requests: 0,
      mayStillLand: false,
      sentAt: this.clock.now(),
    };
  }

  /**
   * A request of the unit is about to go out, carrying serials up to
   * `sentUpTo`: the journal says so first (a throw means it was not sent).
   */
  sending(
    sentUpTo: number,
    pool: PoolSeen,
    prefix?: SettledPrefix,
    open?: Array<[number, number]>,
    notStored?: Array<[number, number]>,
    last?: Array<[number, number]>,
  ): void {
    const f = this.state.inflight;
    if (!f) throw new Error('internal error: a request outside a unit');
    const was = { ...f };
    const poolWas = this.poolSeen();
    Object.assign(f, { sentUpTo, requests: f.requests + 1, mayStillLand: true });
    if (prefix) f.prefix = prefix;
    if (open) f.open = open;
    if (notStored) f.notStored = notStored;
    if (last) f.last = last;
    f.sentAt = this.clock.now();
    this.seen(pool);
    try {
      this.save();
    } catch (error) {
      // Not sent: the record stays as it was.
      Object.assign(f, was);
      this.seen(poolWas);
      throw error;
    }
  }

  /** What the journal says of the pool: its size when last observed, and the sales that size reflects. */
  poolSeen(): PoolSeen {
    return { total: this.state.poolTotal, deliveredAtTotal: this.state.deliveredAtTotal ?? 0 };
  }

  private seen(pool: PoolSeen): void {
    this.state.poolTotal = pool.total;
    this.state.deliveredAtTotal = pool.deliveredAtTotal;
  }

  /** A unit settled: its lists first (a failed write leaves it in flight), then its counts. */
  commit(unit: Unit, o: UnitOutcome, pool: PoolSeen): void {
    this.requests += o.requests;
    this.writeLists(o.unsent, o.uncertain);
    const c = this.state.counters;
    c.lines += unit.toLine - unit.fromLine;
    c.blank += unit.blank;
    c.rejected += unit.rejected;
    c.duplicates += unit.duplicates;
    c.sent += o.sent;
    c.added += o.added;
    c.droppedByPool += o.dropped;
    c.foundStored += o.found;
    c.soldDuringReconcile += o.sold;
    c.batches += o.requests;
    for (const { serials, reason } of o.unsent) {
      c.unsent += serials.length;
      c.unsentReasons[reason] = (c.unsentReasons[reason] ?? 0) + serials.length;
    }
    c.uncertain += o.uncertain.length;
    this.state.committedLine = unit.toLine;
    this.state.inflight = null;
    this.state.unsentBytes = this.unsent.bytes;
    this.state.uncertainBytes = this.uncertain.bytes;
    this.seen(pool);
  }

  /** After a refusal, a full pool or endless truncation: the rest of the input, counted as unsent. */
  async drain(reader: UnitReader, reason: string): Promise<void> {
    for (let u = await reader.next(10_000); u; u = await reader.next(10_000)) {
      const o = emptyOutcome();
      o.unsent = [{ serials: u.serials, reason }];
      this.draining = u;
      this.commit(u, o, this.poolSeen());
      this.draining = undefined;
      reader.release(u);
    }
  }

  /** The run ended: nothing to resume. The lists are then the only record, so they go to disk first. */
  finish(): void {
    this.unsent.sync();
    this.uncertain.sync();
    this.journal.remove();
    this.unsent.removeIfEmpty();
    this.uncertain.removeIfEmpty();
  }

  /**
   * A stopped run. The journal keeps the settled part and the unit in flight
   * (`mayStillLand` as last known); the files get tails listing that unit's
   * serials not proven stored (uncertain: sent, fate unknown; unsent: not
   * sent) and every serial after it (unsent). A list that cannot be written
   * does not stop the other: what could not be listed is told, by lines
   * (the journal still covers them). Returns the tails' sizes.
   */
  async stop(
    inflight: { unit: Unit; outcome: UnitOutcome } | undefined,
    reader: UnitReader,
    /** Keys a request of this run may still store: never listed as "not stored". */
    held: Pick<KeySet, 'has' | 'size'> = new Set(),
  ): Promise<Tails> {
    const tails: Tails = { notSent: 0, inflight: 0, unlisted: [] };
    /** Not sent: the unsent tail, except keys an open request may still store (uncertain). */
    const notSent = (serials: SerialList, unit: Unit) => {
      if (held.size === 0) return tail(this.unsent, serials, unit);
      const all = [...serials];
      tail(
        this.uncertain,
        all.filter((x) => held.has(x)),
        unit,
      );
      tail(
        this.unsent,
        all.filter((x) => !held.has(x)),
        unit,
      );
    };
    const end = inflight?.outcome.end;
    if (this.state.inflight && end?.kind === 'stop') {
      this.state.inflight.mayStillLand = end.mayStillLand;
      this.state.inflight.prefix = { ...inflight!.outcome.prefix };
      this.state.inflight.open = inflight!.outcome.openRanges;
      this.state.inflight.notStored = inflight!.outcome.notStored;
    }
    // A unit none of whose serials went out needs nothing settled on resume.
    if (this.state.inflight?.sentUpTo === 0) this.state.inflight = null;
    try {
      this.save();
    } catch (error) {
      // The journal on disk is an earlier one, which still covers every line that may have been sent.
      tails.saveError = error as Error;
    }
    const failed = new Map<UnsentFile, Unlisted>();
    const tail = (list: UnsentFile, serials: SerialList, unit: Unit) => {
      if (list === this.unsent) tails.notSent += serials.length;
      else tails.inflight += serials.length;
      if (serials.length === 0) return;
      const f = failed.get(list);
      if (f) {
        // Once a list failed, the rest of its tail is told as unlisted too.
        f.count += serials.length;
        f.toLine = unit.toLine;
        return;
      }
      try {
        list.write(serials);
      } catch (error) {
        if (!(error instanceof FileWriteError)) throw error;
        failed.set(list, {
          list: list.label,
          error,
          count: serials.length,
          fromLine: unit.fromLine,
          toLine: unit.toLine,
        });
      }
    };
    if (inflight && end?.kind === 'stop') {
      const o = inflight.outcome;
      tail(this.uncertain, [...o.uncertain, ...end.inflight], inflight.unit);
      for (const u of o.unsent) notSent(u.serials, inflight.unit);
      notSent(end.pending, inflight.unit);
    }
    // A drained unit whose commit failed: not sent, and not listed yet.
    if (this.draining) notSent(this.draining.serials, this.draining);
    this.draining = undefined;
    try {
      for (let u = await reader.next(10_000); u; u = await reader.next(10_000)) {
        notSent(u.serials, u);
      }
    } catch (error) {
      // Only what was checked is listed; the changed part is named, not written.
      if (!(error instanceof InputChangedError)) throw error;
      tails.changed = error;
    }
    // The tails on disk too, for an operator who gives up on --resume.
    for (const list of [this.uncertain, this.unsent]) {
      try {
        if (!failed.has(list)) list.sync();
      } catch (error) {
        // Written, but maybe not on disk: told as not listed.
        failed.set(list, {
          list: list.label,
          error: error as FileWriteError,
          count: list === this.unsent ? tails.notSent : tails.inflight,
          fromLine: inflight?.unit.fromLine ?? this.state.committedLine,
          toLine: reader.line,
        });
      }
    }
    tails.unlisted = [...failed.values()];
    return tails;
  }

  private writeLists(unsent: UnitOutcome['unsent'], uncertain: readonly string[]): void {
    const before = { bytes: this.unsent.bytes, lines: this.unsent.lines };
    try {
      for (const u of unsent) this.unsent.write(u.serials);
      this.uncertain.write(uncertain);
    } catch (error) {
      // Taken back, so a stopped run's unsent tail lists only serials not yet settled.
      this.unsent.rewind(before.bytes, before.lines);
      throw error;
    }
  }

  close(): void {
    this.unsent.close();
    this.uncertain.close();
  }
}

// The one owner of a restock's record: the counters, the journal and the two
// lists (unsent: known not stored; uncertain: outcome unknown). The engine
// tells it what happened, unit by unit; it keeps the journal, the files and
// the counts in step, in this order:
//   begin(unit)   the journal declares the unit in flight (before it is sent)
//   commit(unit)  its unsent/uncertain serials are written, then it is counted
//   stop(...)     a stopped run: the journal keeps the unit in flight for
//                 --resume; the files get a tail listing every serial not
//                 proven stored (a resume cuts the tails off again)
import type { Clock } from '../context.js';
import { InputChangedError } from '../errors.js';
import type { Journal, JournalState } from './journal.js';
import type { Unit, UnitReader } from './read.js';
import { emptyOutcome, type UnitOutcome } from './settle.js';
import { UnsentFile } from './unsent.js';

export class Ledger {
  readonly unsent: UnsentFile;
  readonly uncertain: UnsentFile;
  /** Stock requests made by this run (a run that made none has nothing to resume). */
  requests = 0;

  constructor(
    readonly journal: Journal,
    readonly state: JournalState,
    private readonly clock: Clock,
  ) {
    this.unsent = new UnsentFile(state.unsentFile, state.unsentBytes);
    this.uncertain = new UnsentFile(state.uncertainFile, state.uncertainBytes, 'uncertain');
  }

  get counters() {
    return this.state.counters;
  }

  private save(): void {
    this.state.updatedAt = new Date(this.clock.now()).toISOString();
    this.journal.save(this.state);
  }

  begin(unit: Unit, poolTotal: number | null): void {
    this.state.inflight = {
      fromLine: unit.fromLine,
      toLine: unit.toLine,
      sentAt: this.clock.now(),
      mayStillLand: true,
    };
    this.state.poolTotal = poolTotal;
    this.save();
  }

  /** A unit settled: its lists first (a failed write leaves it in flight), then its counts. */
  commit(unit: Unit, o: UnitOutcome, batchSize: number, poolTotal: number | null): void {
    this.requests += o.requests;
    this.writeLists(
      o.unsent.map((u) => u.serial),
      o.uncertain,
    );
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
    c.unsent += o.unsent.length;
    for (const u of o.unsent) c.unsentReasons[u.reason] = (c.unsentReasons[u.reason] ?? 0) + 1;
    c.uncertain += o.uncertain.length;
    this.state.committedLine = unit.toLine;
    this.state.inflight = null;
    this.state.unsentBytes = this.unsent.bytes;
    this.state.uncertainBytes = this.uncertain.bytes;
    this.state.batchSize = batchSize;
    this.state.poolTotal = poolTotal;
  }

  /** After a refusal, a full pool or endless truncation: the rest of the input, counted as unsent. */
  async drain(reader: UnitReader, reason: string): Promise<void> {
    for (let u = await reader.next(10_000); u; u = await reader.next(10_000)) {
      const o = emptyOutcome();
      o.unsent = u.serials.map((serial) => ({ serial, reason }));
      this.commit(u, o, this.state.batchSize, this.state.poolTotal);
    }
  }

  /** The run ended: nothing to resume. */
  finish(): void {
    this.journal.remove();
  }

  /**
   * A stopped run. The journal keeps the settled part and the unit in flight
   * (`mayStillLand` as last known); the files get tails listing that unit's
   * serials not proven stored (uncertain: sent, fate unknown; unsent: not
   * sent) and every serial after it (unsent). Returns the tails' sizes.
   */
  async stop(
    inflight: { unit: Unit; outcome: UnitOutcome } | undefined,
    reader: UnitReader,
  ): Promise<{
    notSent: number;
    inflight: number;
    saveError?: Error;
    /** An input changed: serials from its `line` on are in neither list. */
    changed?: InputChangedError;
  }> {
    let saveError: Error | undefined;
    const end = inflight?.outcome.end;
    if (this.state.inflight && end?.kind === 'stop')
      this.state.inflight.mayStillLand = end.mayStillLand;
    try {
      this.save();
    } catch (error) {
      // The journal on disk is an earlier one, which still covers every line that may have been sent.
      saveError = error as Error;
    }
    let notSent = 0;
    let unsure = 0;
    const later: string[] = [];
    if (inflight && end?.kind === 'stop') {
      const o = inflight.outcome;
      const uncertain = [...o.uncertain, ...end.inflight];
      this.uncertain.write(uncertain);
      unsure = uncertain.length;
      later.push(...o.unsent.map((u) => u.serial), ...end.pending);
    }
    this.unsent.write(later);
    notSent += later.length;
    try {
      for (let u = await reader.next(10_000); u; u = await reader.next(10_000)) {
        this.unsent.write(u.serials);
        notSent += u.serials.length;
      }
    } catch (error) {
      // Only what was checked is listed; the changed part is named, not written.
      if (!(error instanceof InputChangedError)) throw error;
      return { notSent, inflight: unsure, saveError, changed: error };
    }
    return { notSent, inflight: unsure, saveError };
  }

  private writeLists(unsent: readonly string[], uncertain: readonly string[]): void {
    const before = { bytes: this.unsent.bytes, lines: this.unsent.lines };
    this.unsent.write(unsent);
    try {
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

// The upload loop: sends unit after unit, one request at a time, in input
// order, with the journal written beside the requests (see drive()).
import { InterruptedError } from '../errors.js';
import type { Unit } from './batch.js';
import type { Outcome, Run } from './run.js';
import { processUnit } from './send-unit.js';

/**
 * Units read ahead of the one being sent (see drive()). Each holds its
 * request body: memory still live at every young-generation GC, which is
 * what makes V8 grow that generation.
 */
const LOOKAHEAD = 8;
/** Batches' worth of lines a journal write declares beyond the units read ahead. */
const COVER_BEYOND = 8;

/**
 * Sends unit after unit; returns how the run ended.
 *
 * Journal pipelining: an fsync per request would cost as much as the request
 * itself, so journal writes run beside the requests, off the main thread.
 * Units are read up to LOOKAHEAD ahead. A write records the settled position
 * and declares every line up to the end of the units read so far, and
 * COVER_BEYOND batches' worth more, as "may have been sent" (inflight). A unit is sent only once a write covering it
 * has landed; a new write is queued whenever the landed cover runs less than
 * half the look-ahead ahead. So the journal on disk always covers every line
 * that may have been sent, and writes cost no wall time while they take less
 * than LOOKAHEAD/2 requests. A resume reconciles the whole declared range
 * (one pool read); lines in it that were never sent are simply found absent.
 */
export async function drive(run: Run): Promise<Outcome> {
  const { state, source, ctx } = run;
  // Rebuild the position (and the duplicate filter) from the input itself.
  // In bounded steps: a unit holds its serials (as a request body) in memory.
  while (source.line < state.committedLine) {
    await source.next(100_000, state.committedLine);
  }
  let reading: Promise<unknown> = Promise.resolve();
  const ahead: Array<Promise<Unit | undefined>> = [];
  const readNext = () => {
    const p = reading.then(() => source.next(state.batchSize));
    reading = p.catch(() => undefined);
    ahead.push(p);
  };
  let chain: Promise<void> = Promise.resolve();
  let covered = state.committedLine; // landed
  let saving: { until: number; done: Promise<void> } | undefined;
  run.flushJournal = async () => {
    await chain.catch(() => undefined);
  };
  /** `first`: a unit taken out of `ahead`, waiting to be sent. */
  const queueSave = async (first?: Unit): Promise<void> => {
    let until = Math.max(state.committedLine, first?.toLine ?? 0);
    for (const p of ahead) {
      const u = await p.catch(() => undefined);
      if (u) until = u.toLine;
    }
    // Declaring lines beyond the read-ahead costs nothing (a resume finds them
    // absent) and makes writes rarer: each fsync disturbs the requests a little.
    until += COVER_BEYOND * state.batchSize;
    state.inflight = { fromLine: state.committedLine, toLine: until, sentAt: ctx.clock.now() };
    state.updatedAt = new Date(ctx.clock.now()).toISOString();
    const text = JSON.stringify(state);
    state.inflight = null;
    const done = chain.then(() => run.journal.saveAsync(text));
    chain = done;
    const mine = { until, done };
    saving = mine;
    void done.then(
      () => {
        covered = Math.max(covered, until);
        if (saving === mine) saving = undefined;
      },
      () => undefined,
    );
  };
  const drainAhead = async () => {
    for (const p of ahead.splice(0)) {
      const u = await p.catch(() => undefined);
      if (u) run.uncommitted.push(u);
    }
  };
  /** Taken out of `ahead`, not yet handed to processUnit: the tail must still list it. */
  let current: Unit | undefined;
  try {
    if (state.inflight) {
      const unit = await source.next(Number.MAX_SAFE_INTEGER, state.inflight.toLine);
      if (unit) await processUnit(run, unit, state.inflight.sentAt);
    }
    for (let i = 0; i < LOOKAHEAD; i++) readNext();
    for (;;) {
      const unit = await ahead.shift()!;
      if (!unit) {
        await run.flushJournal();
        return { kind: 'done' };
      }
      current = unit;
      if (unit.toLine > covered) {
        // Not covered on disk yet: wait for a write that covers it (queue one if none will).
        if (!saving || saving.until < unit.toLine) await queueSave(unit);
        await saving!.done;
        covered = Math.max(covered, unit.toLine);
      }
      if (ctx.signal.aborted) {
        run.uncommitted.push(unit);
        current = undefined;
        await drainAhead();
        return { kind: 'stopped', error: new InterruptedError() };
      }
      // Start the request first, then read the next unit while it is in flight.
      // (processUnit marks the unit in flight before its first await.)
      current = undefined;
      const sending = processUnit(run, unit);
      readNext();
      await sending;
      if (!saving) {
        // Queue the next write once less than half the look-ahead is covered on disk.
        let probe: Unit | undefined;
        for (let i = Math.min(LOOKAHEAD / 2, ahead.length) - 1; i >= 0 && !probe; i--) {
          probe = await ahead[i]!.catch(() => undefined);
        }
        if (probe && probe.toLine > covered) await queueSave();
      }
    }
  } catch (error) {
    // A failed journal write while `current` waited for it: never sent, so it
    // belongs to the not-yet-sent tail like the units read ahead.
    if (current) run.uncommitted.push(current);
    await drainAhead();
    return { kind: 'stopped', error: error as Error };
  }
}

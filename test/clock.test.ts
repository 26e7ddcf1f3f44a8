// The system clock's waits: a long run (`orders watch` polls all day) waits
// thousands of times on the one Ctrl-C signal.
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';

describe('systemClock.sleep', () => {
  it('a wait that ends leaves nothing on the signal (else Node warns of a leak on stderr)', async () => {
    const ctrlC = new AbortController();
    for (let i = 0; i < 12; i++) await systemClock.sleep(1, ctrlC.signal);
    expect(getEventListeners(ctrlC.signal, 'abort')).toHaveLength(0);
  });
});

// A read-back is a verdict on what was stored, so it counts only when the
// body is whole and well-formed. A body cut off (between items, inside one,
// inside an escape), with something after its end, whose list does not hold
// as many items as its count says, with an item that is not a string, or
// with no list, is refused as an unusable answer: a failed read that the
// restock retries or stops on, never a smaller pool whose "missing" serials
// it would send again.
import { describe, expect, it } from 'vitest';
import { ServerError, UnusableAnswerError } from '../../src/errors.js';
import { PoolScanner, type PoolScanOptions } from '../../src/restock/pool-scan.js';
import { fakeShop, makeRun, settle, target } from './fake-shop.js';

function scan(body: string | Buffer[], options: PoolScanOptions = {}, key = 'items') {
  const s = new PoolScanner(key, ['K-1'], 2, options);
  for (const c of typeof body === 'string' ? [Buffer.from(body)] : body) s.push(c);
  return s.finish();
}

function refusal(body: string | Buffer[], options: PoolScanOptions = {}, key = 'items'): Error {
  try {
    scan(body, options, key);
  } catch (error) {
    expect(error).toBeInstanceOf(UnusableAnswerError);
    return error as Error;
  }
  throw new Error(`accepted: ${String(body)}`);
}

const WAREHOUSE = { countKey: 'count', what: 'warehouse w1' };
const PRODUCT = { countKey: 'stock', what: 'product p1' };

/** A well-formed pool with what a real one may carry around its list. */
const GOOD = JSON.stringify(
  {
    id: 'w1',
    name: 'keys "main" \\ pool',
    count: 4,
    removeDuplicates: false,
    settings: { items: ['decoy'], nested: [{ deep: [1, -2.5e-3, true, false, null] }] },
    items: ['K-1', 'quote"d', 'caf\u00e9 \ud83d\ude00', 'tab\tnew\nline'],
    futureField: { unknown: ['x', { y: 'z' }] },
  },
  null,
  1,
);

describe('a whole, well-formed body is read', () => {
  it('with unknown fields, nested objects, escapes and its count agreeing', () => {
    const r = scan(GOOD, WAREHOUSE);
    expect(r.size).toBe(4);
    expect(r.counts.get('K-1')).toBe(1);
    expect(r.tail).toEqual(['caf\u00e9 \ud83d\ude00', 'tab\tnew\nline']);
  });

  it('whatever its chunks, and with whitespace after its end', () => {
    const body = Buffer.from(`${GOOD}\r\n \t`);
    for (const size of [1, 2, 3, 7, 64]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < body.length; i += size) chunks.push(body.subarray(i, i + size));
      expect(scan(chunks, WAREHOUSE).size, `chunks of ${size}`).toBe(4);
    }
  });

  it('a count that is not an integer (a product without stock of its own) is not compared', () => {
    for (const stock of ['null', '"unlimited"', '2.5', '{}']) {
      const r = scan(`{"id":"p1","stock":${stock},"stockItems":["a"]}`, PRODUCT, 'stockItems');
      expect(r.size, stock).toBe(1);
    }
  });
});

describe('a body cut off is refused', () => {
  it('at any byte: no prefix of a pool is taken for the pool', () => {
    const body = Buffer.from(GOOD);
    for (let cut = 0; cut < body.length; cut++) {
      const e = refusal([body.subarray(0, cut)], WAREHOUSE);
      expect(e.message, `cut at ${cut}`).toMatch(/ended early/);
    }
  });

  it('between items: says so, and how many items came', () => {
    const e = refusal('{"id":"w1","items":["K-1","K-2",', WAREHOUSE);
    expect(e.message).toMatch(/warehouse w1 .*ended early, inside the list \(after 2 items\)/);
  });

  it('inside an item', () => {
    expect(refusal('{"items":["K-1","K-', WAREHOUSE).message).toMatch(/inside an item/);
  });

  it('inside an escape', () => {
    expect(refusal('{"items":["K-1","a\\', WAREHOUSE).message).toMatch(/inside an item/);
    expect(refusal('{"items":["K-1","a\\u00', WAREHOUSE).message).toMatch(/inside an item/);
  });

  it('after the list, before the object closed', () => {
    expect(refusal('{"items":["K-1"],"count":1', WAREHOUSE).message).toMatch(/after the list/);
  });

  it('empty', () => {
    expect(refusal('', WAREHOUSE).message).toMatch(/ended early/);
  });
});

describe('a malformed body is refused', () => {
  it.each([
    ['another object', '{"items":["K-1"]}{"items":[]}'],
    ['a stray comma', '{"items":["K-1"]},'],
    ['a word', '{"items":["K-1"]} ok'],
  ])('anything but whitespace after its end: %s', (_, body) => {
    expect(refusal(body, WAREHOUSE).message).toMatch(/after the end/);
  });

  it.each([
    ['a number', '{"items":["K-1",42]}'],
    ['an object', '{"items":[{"serial":"K-1"}]}'],
    ['a list', '{"items":[["K-1"]]}'],
    ['null', '{"items":["K-1",null]}'],
    ['true', '{"items":[true]}'],
  ])('an item that is not a string: %s', (_, body) => {
    expect(refusal(body, WAREHOUSE).message).toMatch(/an item of the list is not a string/);
  });

  it('a list that does not hold as many items as the count says, before or after it', () => {
    expect(refusal('{"count":3,"items":["K-1","K-2"]}', WAREHOUSE).message).toMatch(
      /lists 2 items but its "count" says 3/,
    );
    expect(refusal('{"items":["K-1","K-2"],"count":1}', WAREHOUSE).message).toMatch(/says 1/);
    expect(refusal('{"stock":0,"stockItems":["K-1"]}', PRODUCT, 'stockItems').message).toMatch(
      /product p1 .*"stock" says 0/,
    );
  });

  it('no list, the list key on something else, or the list twice', () => {
    expect(refusal('{"id":"w1","count":0}', WAREHOUSE).message).toMatch(
      /did not list the pool's items for warehouse w1/,
    );
    expect(refusal('{"items":null}', WAREHOUSE).message).toMatch(/"items" is not a list/);
    expect(refusal('{"items":["K-1"],"items":["K-2"]}', WAREHOUSE).message).toMatch(
      /"items" appears twice/,
    );
    expect(refusal('{"items":["K-1"],"count":1,"count":1}', WAREHOUSE).message).toMatch(
      /"count" appears twice/,
    );
  });

  it.each([
    ['not an object', '["K-1"]'],
    ['a missing comma', '{"items":["K-1" "K-2"]}'],
    ['a trailing comma', '{"items":["K-1",]}'],
    ['a missing colon', '{"items" ["K-1"]}'],
    ['an unquoted key', '{items:["K-1"]}'],
    ['single quotes', "{'items':['K-1']}"],
    ['an unknown escape', '{"items":["K\\x41"]}'],
    ['a short \\u escape', '{"items":["K\\u41"]}'],
    ['a raw line break in a string', '{"items":["K\n1"]}'],
    ['a leading zero', '{"n":01,"items":[]}'],
    ['a bare minus', '{"n":-,"items":[]}'],
    ['a bare dot', '{"n":1.,"items":[]}'],
    ['an unknown word', '{"n":tru,"items":[]}'],
    ['a mismatched bracket', '{"items":["K-1"}'],
  ])('not JSON: %s', (_, body) => {
    refusal(body, WAREHOUSE);
  });

  it('is a server error a restock treats as a failed read, naming the pool', () => {
    const e = refusal('{"items":["K-1"', WAREHOUSE);
    expect(e).toBeInstanceOf(ServerError);
    expect(e.message).toMatch(/^the service's answer for warehouse w1 is cut off or malformed/);
    expect(e.message).not.toMatch(/\n/);
  });

  it('nesting deeper than the scanner keeps is refused, not followed', () => {
    const deep = `{"x":${'['.repeat(100_000)}`;
    expect(refusal(deep, WAREHOUSE).message).toMatch(/nested deeper/);
  });
});

describe('a restock whose answer was lost, reading back a cut-off pool', () => {
  // The pool keeps duplicates and the lost answer was a 500 (the service is
  // done with it): serials found absent would be sent again. A body cut off
  // before the batch's serials would make them all look absent.
  it('reads again and never resends on the strength of a cut-off body', async () => {
    const whole = JSON.stringify({ id: 'W1', count: 4, items: ['OLD-1', 'OLD-2', 'S0', 'S1'] });
    const s = fakeShop({
      add: () => {
        throw new ServerError('stored, then failed', { status: 500 });
      },
      read: (n) => (n < 2 ? whole.slice(0, whole.indexOf('"S0"')) : whole),
    });
    const run = makeRun(s, { target: target({ dedup: false }), poolTotal: 2 });
    const o = await settle(run, ['S0', 'S1']);
    expect(s.adds.length, 'sent once').toBe(1);
    expect(s.reads.length, 'read until whole').toBe(3);
    expect(o.found).toBe(2);
    expect(o.end).toEqual({ kind: 'settled' });
  });

  it('stops with the batch in flight when every read-back is cut off', async () => {
    const s = fakeShop({
      add: () => {
        throw new ServerError('stored, then failed', { status: 500 });
      },
      read: () => '{"id":"W1","count":4,"items":["OLD-1","OLD-2",',
    });
    const run = makeRun(s, { target: target({ dedup: false }), poolTotal: 2 });
    const o = await settle(run, ['S0', 'S1']);
    expect(s.adds.length, 'sent once').toBe(1);
    expect(o.end).toMatchObject({ kind: 'stop', inflight: ['S0', 'S1'], pending: [] });
    expect((o.end as { error: Error }).error).toBeInstanceOf(UnusableAnswerError);
  });
});

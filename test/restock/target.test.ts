// The stock answer is strict, and each send error says whether the request
// may have been stored (unknown), provably was not (not-sent), or was refused.
import { describe, expect, it } from 'vitest';
import { answer } from '../../src/api/resources/answer.js';
import { parseStockAddResult } from '../../src/api/resources/stock.js';
import {
  ApiError,
  AuthError,
  CliError,
  InterruptedError,
  InterruptedUnsentError,
  NetworkError,
  NotFoundError,
  RateLimitError,
  ServerError,
  UsageError,
  ValidationError,
} from '../../src/errors.js';
import { Serials } from '../../src/restock/serials.js';
import { classifySendError, stockAnswer, stockBody } from '../../src/restock/target.js';

const ok = { added: 3, total: 10, truncated: false, capped: false };
const text = (o: unknown) => JSON.stringify(o);
/** A 2xx stock add answered with `body`, as the resource parses it: counted, or not (a malformed one is thrown). */
const parseStockAnswer = (body: string, sent: number, dedup: boolean) => {
  const res = { status: 201, headers: {}, text: body, durationMs: 0, attempts: 1 };
  try {
    return stockAnswer(
      answer(res, 'a stock add', parseStockAddResult, { strict: true }),
      sent,
      dedup,
    );
  } catch (error) {
    expect(error).toBeInstanceOf(ServerError);
    return undefined;
  }
};

describe('a stock answer counts only when whole and possible', () => {
  const good: Array<[string, unknown, number]> = [
    ['all stored', ok, 3],
    ['fewer added, neither flag (dropped duplicates)', { ...ok, added: 1 }, 3],
    ['nothing added', { ...ok, added: 0 }, 3],
    ['truncated', { ...ok, added: 2, truncated: true }, 3],
    ['capped', { ...ok, added: 0, capped: true }, 3],
    ['extra fields are ignored', { ...ok, note: 'x', id: 7 }, 3],
  ];
  for (const [name, body, sent] of good) {
    it(`counts: ${name}`, () => {
      const b = body as typeof ok;
      expect(parseStockAnswer(text(body), sent, true)).toEqual({
        added: b.added,
        total: b.total,
        truncated: b.truncated,
        capped: b.capped,
      });
    });
  }

  const bad: Array<[string, string, number]> = [
    ['not JSON', 'stored!', 3],
    ['empty body', '', 3],
    ['null', 'null', 3],
    ['a list', '[3,10,false,false]', 3],
    ['a number', '3', 3],
    ['{} (no fields at all)', '{}', 3],
    ['missing added', text({ total: 10, truncated: false, capped: false }), 3],
    ['missing total', text({ added: 3, truncated: false, capped: false }), 3],
    ['missing truncated', text({ added: 3, total: 10, capped: false }), 3],
    ['missing capped', text({ added: 3, total: 10, truncated: false }), 3],
    ['added as a string', text({ ...ok, added: '3' }), 3],
    ['total as a string', text({ ...ok, total: '10' }), 3],
    ['added a float', text({ ...ok, added: 2.5 }), 3],
    ['total a float', text({ ...ok, total: 9.5 }), 3],
    ['added null', text({ ...ok, added: null }), 3],
    ['truncated as a string', text({ ...ok, truncated: 'false' }), 3],
    ['capped as 0', text({ ...ok, capped: 0 }), 3],
    ['truncated null', text({ ...ok, truncated: null }), 3],
    ['added > sent', text({ ...ok, added: 4 }), 3],
    ['added negative', text({ ...ok, added: -1 }), 3],
    [
      'added NaN-ish (1e400 → Infinity)',
      '{"added":1e400,"total":1,"truncated":false,"capped":false}',
      3,
    ],
    ['nested under data', text({ data: ok }), 3],
  ];
  for (const [name, body, sent] of bad) {
    it(`unknown: ${name}`, () => expect(parseStockAnswer(body, sent, true)).toBeUndefined());
  }

  // A pool size below zero, or one smaller than what this very answer
  // added, is not a stock answer either; both pass today (weak, not a loss:
  // `total` only feeds the size check of a later keep-duplicates read-back).
  it('unknown: total negative', () => {
    expect(parseStockAnswer(text({ ...ok, total: -1 }), 3, true)).toBeUndefined();
  });
});

describe('stockBody', () => {
  it('sends removeDuplicates explicitly, both ways, and the serials one a line', () => {
    expect(JSON.parse(stockBody(Serials.of(['a', 'b']), false).toString())).toEqual({
      stock: 'a\nb',
      removeDuplicates: false,
    });
    expect(JSON.parse(stockBody(Serials.of(['a']), true).toString())).toEqual({
      stock: 'a',
      removeDuplicates: true,
    });
  });

  it('carries every serial exactly, quotes, backslashes and non-ASCII included', () => {
    const serials = ['KEY-"1"', 'C:\\x\\y', 'ÄÖÜ-ß', '日本-𝔘', 'a\u2028b', '', 'plain-01'];
    const body = stockBody(Serials.of(serials), false);
    expect(JSON.parse(body.toString('utf8')).stock.split('\n')).toEqual(serials);
    expect(body.toString('utf8')).toBe(
      JSON.stringify({ stock: serials.join('\n'), removeDuplicates: false }),
    );
  });
});

describe('classifySendError', () => {
  const cases: Array<[string, unknown, Record<string, unknown>]> = [
    [
      'Ctrl-C grace ended (InterruptedError): unknown, may still land',
      new InterruptedError(),
      { kind: 'unknown', finished: false, interrupted: true },
    ],
    [
      'Ctrl-C with no request outstanding, the last not processed (a 429 wait): not sent',
      new InterruptedUnsentError(),
      { kind: 'not-sent' },
    ],
    ['429 after the retries: not sent', new RateLimitError('slow down'), { kind: 'not-sent' }],
    [
      'connection refused (reachedServer false): not sent',
      new NetworkError('ECONNREFUSED', { reachedServer: false }),
      { kind: 'not-sent' },
    ],
    [
      'dropped or timed out (reachedServer unknown): unknown, may still land',
      new NetworkError('socket hang up', { reachedServer: 'unknown' }),
      { kind: 'unknown', finished: false, interrupted: false },
    ],
    [
      '500: the service answered, it is done',
      new ServerError('boom', { status: 500 }),
      { kind: 'unknown', finished: true, interrupted: false },
    ],
    [
      '503: the service answered, it is done',
      new ServerError('busy', { status: 503 }),
      { kind: 'unknown', finished: true, interrupted: false },
    ],
    [
      '502 (a gateway gave up): may still land',
      new ServerError('bad gateway', { status: 502 }),
      { kind: 'unknown', finished: false, interrupted: false },
    ],
    [
      '504 (a gateway timed out): may still land',
      new ServerError('gateway timeout', { status: 504 }),
      { kind: 'unknown', finished: false, interrupted: false },
    ],
    [
      '202 (accepted, not yet done) without a usable answer: may still land',
      new ServerError('not JSON', { status: 202 }),
      { kind: 'unknown', finished: false, interrupted: false },
    ],
    [
      '200 without a usable answer: the service answered, it is done',
      new ServerError('not JSON', { status: 200 }),
      { kind: 'unknown', finished: true, interrupted: false },
    ],
    [
      '400 ValidationError: refused',
      new ValidationError('stock is empty', { status: 400 }),
      { kind: 'refused' },
    ],
    [
      '422 ValidationError: refused',
      new ValidationError('bad', { status: 422 }),
      { kind: 'refused' },
    ],
    ['401 AuthError: refused', new AuthError('bad key', { status: 401 }), { kind: 'refused' }],
    ['403 AuthError: refused', new AuthError('forbidden', { status: 403 }), { kind: 'refused' }],
    ['404 NotFoundError: refused', new NotFoundError('no such warehouse'), { kind: 'refused' }],
    [
      '413 (a plain ApiError with a 4xx status): refused',
      new ApiError('too large', 1, { status: 413 }),
      { kind: 'refused' },
    ],
  ];
  for (const [name, error, want] of cases) {
    it(name, () => {
      const r = classifySendError(error);
      expect(r).toMatchObject(want);
      expect((r as { error: unknown }).error).toBe(error);
    });
  }

  it('anything else is not a send outcome: rethrown', () => {
    for (const e of [
      new Error('bug'),
      new UsageError('bad flag'),
      new CliError('x', 1),
      undefined,
    ]) {
      expect(() => classifySendError(e)).toThrow();
    }
  });

  it('a redirect asks for the request elsewhere: not processed here; a 303 may point at a result: unknown', () => {
    expect(classifySendError(new ApiError('moved', 1, { status: 307 })).kind).toBe('refused');
    expect(classifySendError(new ApiError('moved', 1, { status: 301 })).kind).toBe('refused');
    expect(classifySendError(new ApiError('see other', 1, { status: 303 }))).toMatchObject({
      kind: 'unknown',
      finished: true,
    });
  });

  // A ServerError without a status (raised by the client itself, not from a
  // status line) is taken as "finished": is that safe? Only when no request
  // can still be processed; documented here so a change is deliberate.
  it('a ServerError without a status counts as finished', () => {
    expect(classifySendError(new ServerError('odd'))).toMatchObject({
      kind: 'unknown',
      finished: true,
    });
  });
});

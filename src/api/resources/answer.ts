// What every resource call gives back: the service's bytes as received (for
// --json, printed untouched) and the typed data parsed from them, checked
// against the record's definition (src/records: documented fields of their
// type, null kept for "not set", fields the service adds later kept).
import { ServerError, UsageError } from '../../errors.js';
import type { ApiClient, ApiResponse, ApiStream, RequestOptions } from '../client.js';

export interface Answer<T> {
  /** The parsed, typed answer. Shape-checked when first read. */
  readonly data: T;
  /** The response body exactly as the service sent it. */
  readonly raw: string;
  readonly status: number;
}

export type { Extra } from '../../records/define.js';

export interface CallOptions {
  /** Cancels the request (default: the client's signal, Ctrl-C in the CLI). */
  signal?: AbortSignal;
}

export interface ReadOptions extends CallOptions {
  /** Refuse an answer larger than this rather than hold it whole (default: no limit). */
  maxBodyBytes?: number;
}

/**
 * A GET not yet sent, the one typed read of an endpoint: fetched whole and
 * typed, or its body handed over as it arrives, for output that must not be
 * held in memory whole (piped --json of a pool with millions of serials).
 * Options given when it is made apply to each of these; given again, they win.
 */
export interface Read<T> {
  fetch(o?: ReadOptions): Promise<Answer<T>>;
  /** 2xx only: any other answer is thrown as the same error fetch would throw. */
  stream(o?: CallOptions): Promise<ApiStream>;
  /**
   * The body read by `consume` as it arrives; a body cut off, or one it
   * throws UnusableAnswerError for, is read again per the retry policy.
   */
  consume<R>(consume: (body: AsyncIterable<Buffer>) => Promise<R>, o?: CallOptions): Promise<R>;
}

export function read<T>(
  api: ApiClient,
  path: string,
  query: RequestOptions['query'],
  parse: (json: unknown) => T,
  given: ReadOptions = {},
): Read<T> {
  const get = (o: ReadOptions) => ({
    method: 'GET',
    path,
    query,
    signal: o.signal ?? given.signal,
  });
  return {
    async fetch(o = {}) {
      const maxBodyBytes = o.maxBodyBytes ?? given.maxBodyBytes;
      return answer(await api.request({ ...get(o), maxBodyBytes }), path, parse);
    },
    stream: (o = {}) => api.stream(get(o)),
    consume: (consume, o = {}) => api.consume(get(o), consume),
  };
}

type Reads = Record<string, (...args: never[]) => Read<unknown>>;

/** Each read of a resource as the library hands it out: sent at once, answered whole. */
export type Fetched<R extends Reads> = {
  [K in keyof R]: R[K] extends (...args: infer A) => Read<infer T>
    ? (...args: A) => Promise<Answer<T>>
    : never;
};

export function fetched<R extends Reads>(reads: R): Fetched<R> {
  const each = Object.entries(reads).map(([name, r]) => [
    name,
    async (...args: never[]) => r(...args).fetch(),
  ]);
  return Object.fromEntries(each) as Fetched<R>;
}

/**
 * The answer of a call: the body must be JSON (else ServerError, as for any
 * read); its shape is checked only when `data` is read, so --json prints
 * what the service sent even when that is not what the reference describes.
 * `strict`: checked at once, for answers that decide what is recorded.
 */
export function answer<T>(
  res: ApiResponse,
  what: string,
  parse: (json: unknown) => T,
  options: { strict?: boolean } = {},
): Answer<T> {
  let json: unknown;
  try {
    json = JSON.parse(res.text);
  } catch {
    throw new ServerError(`the service answered ${what} with a body that is not JSON`, {
      status: res.status,
    });
  }
  let data: { value: T } | undefined = options.strict ? { value: parse(json) } : undefined;
  return {
    raw: res.text,
    status: res.status,
    get data() {
      data ??= { value: parse(json) };
      return data.value;
    },
  };
}

/** `/things/<id>`, refusing ids that URL resolution would turn into another path. */
export function idPath(prefix: string, id: string): string {
  // URLs resolve `.`/`..` segments (even as %2E), so `get ..` would fetch
  // another resource and render it as this one.
  if (id.trim() === '' || /^(\.|%2e){1,2}$/i.test(id)) throw new UsageError(`invalid id "${id}"`);
  return `${prefix}/${encodeURIComponent(id)}`;
}

/**
 * A create (POST of a new record). Not retried once it may have reached the
 * service: a second record would be created.
 */
export async function create<T>(
  api: ApiClient,
  path: string,
  body: unknown,
  parse: (json: unknown) => T,
  o: CallOptions = {},
): Promise<Answer<T>> {
  const res = await api.request({
    method: 'POST',
    path,
    body,
    idempotent: false,
    signal: o.signal,
  });
  return answer(res, path, parse);
}

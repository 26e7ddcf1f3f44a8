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
  /** The response's headers, names in lower case. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
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
 * One GET of an endpoint, its one typed read, sent when first used and at
 * most once. Awaited (or fetched) it is answered whole and typed, and
 * awaiting it again gives the same answer. Or its body is handed over as it
 * arrives, for output that must not be held in memory whole (piped --json
 * of a pool with millions of serials): a read already sent one way refuses
 * the other. Options given when it is made apply; given again, they win.
 * Typed as a Promise, as the library's reads always were; not one at run
 * time (`instanceof Promise` is false), and, like any thenable, it is sent
 * when an async function returns it.
 */
export interface Read<T> extends Promise<Answer<T>> {
  fetch(o?: ReadOptions): Promise<Answer<T>>;
  /** 2xx only: any other answer is thrown as the same error fetch would throw. */
  stream(o?: CallOptions): Promise<ApiStream>;
  /**
   * The body read by `consume` as it arrives; a body cut off, or one it
   * throws UnusableAnswerError for, is read again per the retry policy.
   */
  consume<R>(consume: (body: AsyncIterable<Buffer>) => Promise<R>, o?: CallOptions): Promise<R>;
}

/** `path`: a function for a path that may be refused (idPath), refused when the read is sent. */
export function read<T>(
  api: ApiClient,
  path: string | (() => string),
  query: RequestOptions['query'],
  parse: (json: unknown) => T,
  given: ReadOptions = {},
): Read<T> {
  let sent = false;
  let answered: Promise<Answer<T>> | undefined;
  const get = (o: ReadOptions) => ({
    method: 'GET',
    path: typeof path === 'string' ? path : path(),
    query,
    signal: o.signal ?? given.signal,
  });
  const send = async <R>(request: () => Promise<R>): Promise<R> => {
    if (sent) throw new Error('a read is sent once; make another to read again');
    sent = true;
    return request();
  };
  const fetch = (o: ReadOptions = {}) =>
    (answered ??= send(async () => {
      const r = get(o);
      const maxBodyBytes = o.maxBodyBytes ?? given.maxBodyBytes;
      return answer(await api.request({ ...r, maxBodyBytes }), r.path, parse);
    }));
  return {
    fetch,
    // biome-ignore lint/suspicious/noThenProperty: awaiting a read fetches it (see Read)
    then: (ok, fail) => fetch().then(ok, fail),
    catch: (fail) => fetch().catch(fail),
    finally: (done) => fetch().finally(done),
    [Symbol.toStringTag]: 'Read',
    stream: (o = {}) => send(() => api.stream(get(o))),
    consume: (consume, o = {}) => send(() => api.consume(get(o), consume)),
  };
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
    headers: res.headers,
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

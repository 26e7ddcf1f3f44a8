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
 * A GET not yet sent: fetched whole and typed, or its body handed over as it
 * arrives, for output that must not be held in memory whole (piped --json of
 * a pool with millions of serials).
 */
export interface Read<T> {
  fetch(o?: ReadOptions): Promise<Answer<T>>;
  /** 2xx only: any other answer is thrown as the same error fetch would throw. */
  stream(o?: CallOptions): Promise<ApiStream>;
}

export function read<T>(
  api: ApiClient,
  path: string,
  query: RequestOptions['query'],
  parse: (json: unknown) => T,
): Read<T> {
  return {
    async fetch(o = {}) {
      const res = await api.request({
        method: 'GET',
        path,
        query,
        signal: o.signal,
        maxBodyBytes: o.maxBodyBytes,
      });
      return answer(res, path, parse);
    },
    stream(o = {}) {
      return api.stream({ method: 'GET', path, query, signal: o.signal });
    },
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

// Keys are never printed whole. Everything the CLI writes to stdout and
// stderr passes through one masker (src/cli.ts wraps both streams), so text
// from outside — an error body that echoes the key, a title, a Location
// header, a --verbose trace, a stack — cannot carry a key or a URL's
// password to the screen or a CI log. It masks every key the CLI knows (the
// one in use, the stored ones) and anything shaped like a key.
import { maskKey } from './config/settings.js';
import type { OutStream } from './io.js';

/** `nsk_` + key characters; not our own masked form (`nsk_live_…abcd`), so masking twice changes nothing. */
const KEY_SHAPED = /nsk_(?!(?:[a-z]+_)?(?:…|\u00e2\u0080\u00a6))[A-Za-z0-9_-]+/gi;
/** `scheme://user:password@`: the credentials part of a URL. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi;
/** Shorter "keys" (a stray `a` in a config file) would mask every `a` printed. */
const MIN_KNOWN_KEY = 8;

export interface Masker {
  /** Remember a key (the one in use, a stored one) so it is masked wherever it appears. */
  add(key: string | undefined): void;
  text(s: string): string;
  /**
   * The same for bytes, left byte for byte as they were except for what is
   * masked (no UTF-8 round trip: a service's body is passed on untouched).
   */
  bytes(b: Buffer): Buffer;
  /** A stateful masker for a stream of chunks: a key split across two chunks is still masked. */
  chunks(): { push(b: Buffer): Buffer; end(): Buffer };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** UTF-8 text as latin1 "characters", one per byte, to splice into a latin1-decoded buffer. */
function asBytes(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

export function createMasker(keys: ReadonlyArray<string | undefined> = []): Masker {
  const known = new Set<string>();
  let knownPattern: RegExp | undefined;
  const add = (key: string | undefined) => {
    const k = key?.trim();
    if (!k || k.length < MIN_KNOWN_KEY || known.has(k)) return;
    known.add(k);
    // Longest first: a key that contains another is masked whole.
    const alts = [...known].sort((a, b) => b.length - a.length).map(escapeRegExp);
    knownPattern = new RegExp(alts.join('|'), 'g');
  };
  for (const k of keys) add(k);

  const maskWith = (s: string, encode: (r: string) => string): string => {
    let out = knownPattern ? s.replace(knownPattern, (k) => encode(maskKey(k))) : s;
    out = out.replace(KEY_SHAPED, (k) => encode(maskKey(k)));
    return out.replace(URL_CREDENTIALS, (_m, scheme: string) => `${scheme}${encode('…')}@`);
  };
  const text = (s: string) => maskWith(s, (r) => r);
  const bytes = (b: Buffer): Buffer => {
    const s = b.toString('latin1');
    const masked = maskWith(s, asBytes);
    return masked === s ? b : Buffer.from(masked, 'latin1');
  };

  /**
   * How much of the end of `s` could be the start of a key or a URL's
   * credentials, to be held back until the next chunk shows how it ends.
   */
  const unfinished = (s: string): number => {
    const tail = /[A-Za-z0-9_+.:/@-]*$/.exec(s)?.[0] ?? '';
    if (!tail) return 0;
    // A run of key characters this long is masked as it stands; holding
    // more would let a hostile body grow the buffer without bound.
    return Math.min(tail.length, 64 * 1024);
  };
  return {
    add,
    text,
    bytes,
    chunks() {
      let held = '';
      return {
        push(b) {
          const s = held + b.toString('latin1');
          const keep = unfinished(s);
          held = s.slice(s.length - keep);
          return Buffer.from(maskWith(s.slice(0, s.length - keep), asBytes), 'latin1');
        },
        end() {
          const s = held;
          held = '';
          return Buffer.from(maskWith(s, asBytes), 'latin1');
        },
      };
    },
  };
}

/**
 * The stream, with every write (and end) masked. A Proxy rather than a new
 * Writable: spinners, prompts and `isTTY`/`columns` checks see the real
 * terminal, and nothing is buffered between the two.
 */
export function maskedStream<S extends OutStream>(stream: S, masker: Masker): S {
  const mask = (chunk: unknown): unknown =>
    typeof chunk === 'string'
      ? masker.text(chunk)
      : Buffer.isBuffer(chunk)
        ? masker.bytes(chunk)
        : chunk instanceof Uint8Array
          ? masker.bytes(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))
          : chunk;
  // A spinner (ora) hooks `write` by assigning its own, which calls the one
  // it found: kept here, so the hook wraps the masked write, not the raw one.
  const hooked = new Map<PropertyKey, unknown>();
  return new Proxy(stream, {
    set(target, prop, value) {
      if (prop === 'write' || prop === 'end') {
        hooked.set(prop, value);
        return true;
      }
      return Reflect.set(target, prop, value, target);
    },
    get(target, prop) {
      if (hooked.has(prop)) return hooked.get(prop);
      if (prop === 'write') {
        return (chunk: unknown, ...rest: unknown[]) =>
          (target.write as (...a: unknown[]) => boolean)(mask(chunk), ...rest);
      }
      if (prop === 'end') {
        return (chunk: unknown, ...rest: unknown[]) =>
          typeof chunk === 'function' || chunk === undefined
            ? (target.end as (...a: unknown[]) => unknown)(chunk, ...rest)
            : (target.end as (...a: unknown[]) => unknown)(mask(chunk), ...rest);
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

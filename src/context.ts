// What every command receives. Commands never touch `process` directly: the
// streams, environment, clock, profile store and API client all come from
// here, so tests hand in their own.
import type { ApiClient } from './api/client.js';
import type { Resources } from './api/resources/index.js';
import type { Clock } from './clock.js';
import type { ResolvedSettings } from './config/settings.js';
import type { ProfileStore } from './config/store.js';
import type { IO } from './io.js';
import type { Masker } from './mask.js';
import type { Prompter } from './prompt.js';

// Lower layers take these from io.ts and clock.ts; restock still imports them from here.
export type { Clock } from './clock.js';
export type { InStream, IO, OutStream } from './io.js';

export interface GlobalOptions {
  /** JSON output: --json, or implied by --query. */
  json: boolean;
  /** --query: a JMESPath expression applied to the JSON output (src/query.ts). */
  query: string | undefined;
  verbose: boolean;
  noInput: boolean;
  profile: string | undefined;
  baseUrl: string | undefined;
  /** Limit for each whole request (connecting, answer and body), in milliseconds. */
  timeoutMs: number;
  color: boolean | undefined;
}

export interface Context {
  io: IO;
  env: NodeJS.ProcessEnv;
  globals: GlobalOptions;
  clock: Clock;
  /**
   * What masks keys in printed text. stdout and stderr already pass through
   * it; a body streamed in chunks uses its `chunks()` so a key split across
   * two chunks is masked too.
   */
  masker?: Masker;
  /** Aborted on the first Ctrl-C. Long operations check it between steps. */
  signal: AbortSignal;
  /** Lazily opened profile store (loads `conf` only when needed). */
  profiles(): Promise<ProfileStore>;
  /** Settings resolved by precedence flag > env > profile > default. */
  settings(): Promise<ResolvedSettings>;
  /** Lazily built API client for the resolved settings; throws AuthError (exit 3) with no key. */
  api(): Promise<ApiClient>;
  /** The typed resources (products, warehouses, …) on that client: what commands call. */
  shop(): Promise<Resources>;
  /**
   * The resources for a key and base URL of the caller's choosing, not the
   * settings' (`keys add` checks a key before storing it). Closed by `close()`.
   */
  shopFor(target: { apiKey: string; baseUrl: string }): Promise<Resources>;
  prompter(): Promise<Prompter>;
  /** Release what was opened (the HTTP pool); safe to call when nothing was. */
  close(): Promise<void>;
}

// What every command receives. Commands never touch `process` directly: the
// streams, environment, clock, profile store and API client all come from
// here, so tests hand in their own.
import type { ApiClient } from './api/client.js';
import type { ResolvedSettings } from './config/settings.js';
import type { ProfileStore } from './config/store.js';
import type { Masker } from './mask.js';
import type { Prompter } from './prompt.js';

export interface InStream extends NodeJS.ReadableStream {
  isTTY?: boolean;
}
export interface OutStream extends NodeJS.WritableStream {
  isTTY?: boolean;
  columns?: number;
}

export interface IO {
  stdin: InStream;
  stdout: OutStream;
  stderr: OutStream;
  /** stdout is a terminal: tables with borders, relative dates. */
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  stdinIsTTY: boolean;
  /** Colour on stdout/stderr, decided once from NO_COLOR, FORCE_COLOR, --no-color and TTY-ness. */
  color: boolean;
  /** Terminal width for truncation; 80 when unknown. */
  columns: number;
  /** Prompts allowed: stdin and stderr are terminals and --no-input was not given. */
  canPrompt: boolean;
}

export interface GlobalOptions {
  json: boolean;
  verbose: boolean;
  noInput: boolean;
  profile: string | undefined;
  baseUrl: string | undefined;
  /** Per-request timeout in milliseconds. */
  timeoutMs: number;
  color: boolean | undefined;
}

export interface Clock {
  now(): number;
  /** Resolves after ms; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
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
  prompter(): Promise<Prompter>;
  /** Release what was opened (the HTTP pool); safe to call when nothing was. */
  close(): Promise<void>;
}

// Typed errors. Everything below the CLI throws these, each with a kind;
// src/cli.ts alone turns a kind into the process's exit code, through
// EXIT_CODES (README's table of exit codes is tested against it).

/** The exit code of every outcome: the one table. */
export const EXIT_CODES = {
  ok: 0,
  failure: 1,
  usage: 2,
  auth: 3,
  notFound: 4,
  rateLimited: 5,
  network: 6,
  partialRestock: 7,
  lowStock: 8,
  serialsMissing: 9,
  historyGap: 10,
  hangup: 129,
  interrupted: 130,
} as const;
export type Outcome = keyof typeof EXIT_CODES;
export type ErrorKind = Exclude<Outcome, 'ok'>;

/**
 * The same table by its old name: src/restock still passes and compares
 * numbers (a CliError built from a number takes that number's kind).
 */
export const ExitCode = EXIT_CODES;

function kindOfCode(code: number): ErrorKind {
  for (const [kind, c] of Object.entries(EXIT_CODES)) {
    if (c === code && kind !== 'ok') return kind as ErrorKind;
  }
  return 'failure';
}

export class CliError extends Error {
  readonly kind: ErrorKind;
  /** A next step for the user, printed as a `hint:` line under the error. */
  readonly hint: string | undefined;
  constructor(
    message: string,
    kind: ErrorKind | number,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.kind = typeof kind === 'number' ? kindOfCode(kind) : kind;
    this.hint = options.hint;
  }
  /** The exit code of this error's kind. */
  get exitCode(): number {
    return EXIT_CODES[this.kind];
  }
}

/** Bad flag, bad value, bad input file: nothing was sent. */
export class UsageError extends CliError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, 'usage', options);
  }
}

export class InterruptedError extends CliError {
  constructor(message = 'interrupted', options: { hint?: string } = {}) {
    super(message, 'interrupted', options);
  }
}

/**
 * Ctrl-C while no request was outstanding and none was processed: before
 * the first attempt, or while waiting to resend one the service answered
 * without processing it (429) or provably never received. Nothing of the
 * request was stored.
 */
export class InterruptedUnsentError extends InterruptedError {}

/** Errors that come from talking to the service. */
export class ApiError extends CliError {
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  constructor(
    message: string,
    kind: ErrorKind | number,
    options: { status?: number; requestId?: string; hint?: string; cause?: unknown } = {},
  ) {
    super(message, kind, options);
    this.status = options.status;
    this.requestId = options.requestId;
  }
}

export class AuthError extends ApiError {
  constructor(
    message: string,
    options: { status?: number; hint?: string; requestId?: string } = {},
  ) {
    super(message, 'auth', options);
  }
}
export class NotFoundError extends ApiError {
  constructor(message: string, options: { requestId?: string; hint?: string } = {}) {
    super(message, 'notFound', { ...options, status: 404 });
  }
}
/** 400 and other 4xx the service rejected as invalid. */
export class ValidationError extends ApiError {
  constructor(message: string, options: { status?: number; requestId?: string } = {}) {
    super(message, 'usage', options);
  }
}
export class RateLimitError extends ApiError {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: { retryAfterMs?: number; requestId?: string } = {}) {
    super(message, 'rateLimited', { ...options, status: 429 });
    this.retryAfterMs = options.retryAfterMs;
  }
}
export class ServerError extends ApiError {
  constructor(message: string, options: { status?: number; requestId?: string } = {}) {
    super(message, 'failure', options);
  }
}
/**
 * An answer that cannot be used as what it claims to be: a body cut off,
 * malformed, or at odds with itself (a pool read back whose list does not
 * hold as many items as it says). A failed read, never a verdict.
 */
export class UnusableAnswerError extends ServerError {}

/**
 * The request failed on the wire. `reachedServer` is false only when the
 * request provably never reached the service (refused, DNS, TLS before send);
 * true or 'unknown' means it may have been processed.
 */
export class NetworkError extends ApiError {
  readonly reachedServer: false | 'unknown';
  constructor(message: string, options: { reachedServer: false | 'unknown'; cause?: unknown }) {
    super(message, 'network', { cause: options.cause });
    this.reachedServer = options.reachedServer;
  }
}

/** Some serials were not stored; the message names the file that lists them. */
export class PartialRestockError extends CliError {
  constructor(message: string, options: { hint?: string } = {}) {
    super(message, 'partialRestock', options);
  }
}

/**
 * A restock input no longer holds what was checked before the first send
 * (a block's hash, or its size, differs). Nothing of the changed part is
 * sent or listed. `line` is the first input line (0-based, across all
 * inputs) that was neither; `at` names it as a file and a 1-based line.
 */
export class InputChangedError extends CliError {
  constructor(
    message: string,
    readonly line: number,
    /** The input that changed. */
    readonly file: string,
    readonly at: { file: string; line: number },
  ) {
    super(message, 'failure');
  }
}

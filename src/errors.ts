// Typed errors. Everything below the CLI throws these; only src/cli.ts turns
// them into exit codes and the one `error: …` line the user sees.

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  auth: 3,
  notFound: 4,
  rateLimited: 5,
  network: 6,
  partialRestock: 7,
  lowStock: 8,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class CliError extends Error {
  readonly exitCode: number;
  /** A next step for the user, printed as a `hint:` line under the error. */
  readonly hint: string | undefined;
  constructor(message: string, exitCode: number, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = options.hint;
  }
}

/** Bad flag, bad value, bad input file: nothing was sent. */
export class UsageError extends CliError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, ExitCode.usage, options);
  }
}

/** A non-zero exit that is an answer, not a failure (e.g. `warehouses check` found low stock). */
export class ExitStatus extends CliError {
  constructor(exitCode: number) {
    super('', exitCode);
  }
}

export class InterruptedError extends CliError {
  constructor(message = 'interrupted', options: { hint?: string } = {}) {
    super(message, ExitCode.interrupted, options);
  }
}

/** Errors that come from talking to the service. */
export class ApiError extends CliError {
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  constructor(
    message: string,
    exitCode: number,
    options: { status?: number; requestId?: string; hint?: string; cause?: unknown } = {},
  ) {
    super(message, exitCode, options);
    this.status = options.status;
    this.requestId = options.requestId;
  }
}

export class AuthError extends ApiError {
  constructor(
    message: string,
    options: { status?: number; hint?: string; requestId?: string } = {},
  ) {
    super(message, ExitCode.auth, options);
  }
}
export class NotFoundError extends ApiError {
  constructor(message: string, options: { requestId?: string; hint?: string } = {}) {
    super(message, ExitCode.notFound, { ...options, status: 404 });
  }
}
/** 400 and other 4xx the service rejected as invalid. */
export class ValidationError extends ApiError {
  constructor(message: string, options: { status?: number; requestId?: string } = {}) {
    super(message, ExitCode.usage, options);
  }
}
export class RateLimitError extends ApiError {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: { retryAfterMs?: number; requestId?: string } = {}) {
    super(message, ExitCode.rateLimited, { ...options, status: 429 });
    this.retryAfterMs = options.retryAfterMs;
  }
}
export class ServerError extends ApiError {
  constructor(message: string, options: { status?: number; requestId?: string } = {}) {
    super(message, ExitCode.failure, options);
  }
}
/**
 * The request failed on the wire. `reachedServer` is false only when the
 * request provably never reached the service (refused, DNS, TLS before send);
 * true or 'unknown' means it may have been processed.
 */
export class NetworkError extends ApiError {
  readonly reachedServer: false | 'unknown';
  constructor(message: string, options: { reachedServer: false | 'unknown'; cause?: unknown }) {
    super(message, ExitCode.network, { cause: options.cause });
    this.reachedServer = options.reachedServer;
  }
}

/** Some serials were not stored; the message names the file that lists them. */
export class PartialRestockError extends CliError {
  constructor(message: string, options: { hint?: string } = {}) {
    super(message, ExitCode.partialRestock, options);
  }
}

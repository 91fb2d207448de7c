/** Exit codes, as documented in the README and design.md. */
export const ExitCode = {
  ok: 0,
  rejected: 1,
  usage: 2,
  config: 3,
  auth: 4,
  input: 5,
  partial: 6,
  unavailable: 7,
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Options shared by every evsend error. */
export interface ErrorOptions {
  /** How the user can fix it; printed after the message. */
  hint?: string;
  /** The underlying error, shown only with --verbose. */
  cause?: unknown;
}

/**
 * An error the user can act on. Services, transport and input throw these; only src/cli.ts
 * turns them into a message and an exit code.
 */
export class EvsendError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;

  constructor(exitCode: ExitCodeValue, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = options.hint;
  }
}

/** Exit 1: the service rejected the request (4xx other than authentication). */
export class RejectedError extends EvsendError {
  constructor(message: string, options?: ErrorOptions) {
    super(ExitCode.rejected, message, options);
  }
}

/** Exit 2: a bad command line. */
export class UsageError extends EvsendError {
  constructor(message: string, options?: ErrorOptions) {
    super(ExitCode.usage, message, options);
  }
}

/** Exit 3: missing or invalid configuration, profile or credential. */
export class ConfigError extends EvsendError {
  constructor(message: string, options?: ErrorOptions) {
    super(ExitCode.config, message, options);
  }
}

/** Exit 4: the service refused the credentials. */
export class AuthError extends EvsendError {
  constructor(message: string, options?: ErrorOptions) {
    super(ExitCode.auth, message, options);
  }
}

/** Exit 5: invalid input; nothing invalid was sent. */
export class InputError extends EvsendError {
  constructor(message: string, options?: ErrorOptions) {
    super(ExitCode.input, message, options);
  }
}

/** Exit 6: some events were accepted and some were not. */
export class PartialDeliveryError extends EvsendError {
  constructor(message: string, options?: ErrorOptions) {
    super(ExitCode.partial, message, options);
  }
}

/** Exit 7: network errors, timeouts, 429/5xx after every retry. */
export class UnavailableError extends EvsendError {
  constructor(message: string, options?: ErrorOptions) {
    super(ExitCode.unavailable, message, options);
  }
}

/** Exit 130: SIGINT or SIGTERM. */
export class InterruptedError extends EvsendError {
  constructor(message = "interrupted", options?: ErrorOptions) {
    super(ExitCode.interrupted, message, options);
  }
}

/** The exit code for any thrown value: an EvsendError's own code, 1 for a bug. */
export function exitCodeOf(error: unknown): ExitCodeValue {
  return error instanceof EvsendError ? error.exitCode : ExitCode.rejected;
}

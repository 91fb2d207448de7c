import type * as Http from "node:http";
import { createRequire } from "node:module";
import { Chalk, type ChalkInstance } from "chalk";
import { EvsendError } from "../errors.js";
import type { Redactor } from "../transport/redact.js";
import type { AttemptLog } from "../transport/send.js";
import { formatDuration } from "../units.js";
import { escapeControl, escapeJsonControl } from "./escape.js";
import { createProgress, NO_PROGRESS, type Progress } from "./progress.js";
import { guardStream, writeGuarded, type OutStream } from "./streams.js";

export type { OutStream } from "./streams.js";

/** Everything that decides how evsend talks to the user. */
export interface OutputOptions {
  stdout: OutStream;
  stderr: OutStream;
  env: NodeJS.ProcessEnv;
  /** NDJSON on stdout. */
  json: boolean;
  /** Only warnings, errors and JSON. */
  quiet: boolean;
  /** Log each request and show stack traces. */
  verbose: boolean;
  /** False when --no-color was passed. */
  color: boolean;
  redactor: Redactor;
}

/** A request shown by --dry-run; URL and headers are masked here. */
export interface DryRunRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  /** Extra facts to show (e.g. the lines a batch covers). */
  note?: string;
}

/** The only writer to stdout and stderr below src/cli.ts. */
export interface Output {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  /** Colours for stderr text (no-ops when colour is off). */
  readonly style: ChalkInstance;
  /**
   * A result: a human line on stdout, or `{ type: "result", ...data }`. Hidden by --quiet, unless
   * `whenQuiet` (what the command was run to print: the emulator's address, `config show`, a
   * completion script).
   */
  result(
    human: string | undefined,
    data: Record<string, unknown>,
    options?: { whenQuiet?: boolean },
  ): void;
  /** Progress and notes on stderr, hidden by --quiet and --json. */
  info(message: string): void;
  /** A warning on stderr (and a `warning` object with --json). */
  warn(message: string): void;
  /** A --verbose line on stderr. */
  debug(message: string): void;
  /**
   * One --verbose line per HTTP attempt; without --verbose, one line per scheduled retry (not
   * with --quiet), and with --json a `retry` object.
   */
  attempt(log: AttemptLog): void;
  /** A --dry-run request. */
  request(req: DryRunRequest): void;
  /**
   * The final summary; with --json always the last line. With --quiet, a summary of a run that
   * failed in part (exit code not 0) keeps its first line, on stderr.
   */
  summary(human: string[], data: Record<string, unknown>, exitCode: number): void;
  /** The final error: message and hint on stderr, an `error` object with --json. */
  error(error: unknown, exitCode: number): void;
  /** An error that a summary will account for: message and hint on stderr only. */
  problem(error: unknown): void;
  /** A spinner on a TTY stderr; a no-op elsewhere. */
  progress(text: string): Promise<Progress>;
}

const BODY_PREVIEW = 200;

/**
 * Top-level JSON fields whose word values are evsend's own (`"type":"result"`, `"service":"devo"`,
 * `"status":"partial"`, `"method":"POST"`): never masked, so that a one-character secret cannot
 * turn `result` into `r****sult` and break a consumer that dispatches on it.
 */
const OWN_WORDS = ["type", "service", "mode", "outcome", "status", "method"] as const;
const WORD = /^[A-Za-z][A-Za-z-]*$/;

/** `data` masked, but for its own words. */
function maskData(redactor: Redactor, data: Record<string, unknown>): Record<string, unknown> {
  const masked = redactor.mask(data);
  for (const key of OWN_WORDS) {
    const word = data[key];
    if (typeof word === "string" && WORD.test(word)) masked[key] = word;
  }
  return masked;
}

/**
 * The colour level for `stream`: none with --no-color (`color` false) or NO_COLOR, basic with
 * FORCE_COLOR, 256 colours on a terminal, none elsewhere.
 */
export function colorLevel(
  stream: OutStream,
  options: Pick<OutputOptions, "color" | "env">,
): 0 | 1 | 2 | 3 {
  if (!options.color || options.env.NO_COLOR) return 0;
  if (options.env.FORCE_COLOR && options.env.FORCE_COLOR !== "0") return 1;
  return stream.isTTY ? 2 : 0;
}

/** The start of a body on one line, masked before it is cut (a cut would leave part of a secret). */
function preview(body: Buffer | string | undefined, redactor: Redactor): string {
  if (body === undefined || body.length === 0) return "";
  const text = redactor.redact(
    typeof body === "string" ? body : body.subarray(0, BODY_PREVIEW * 4).toString("utf8"),
  );
  const oneLine = text.slice(0, BODY_PREVIEW).replace(/\r?\n/g, "\\n");
  return text.length > BODY_PREVIEW ? `${oneLine}…` : oneLine;
}

/** An error's message and fix, as printed and as put in JSON. */
export function describeError(error: unknown): { message: string; hint?: string } {
  const message = error instanceof Error ? error.message : String(error);
  const hint =
    error instanceof EvsendError
      ? error.hint
      : "this is a bug in evsend; please report it with the --verbose output";
  return hint ? { message, hint } : { message };
}

/** Text from outside masked, then its control characters escaped (`oneLine`: newlines too). */
type Clean = (text: string) => string;

/**
 * Whether a spinner may draw: stderr is a terminal that reports a width (some pseudo-terminals
 * report none and a spinner redraws badly), no --json or --quiet, and not in CI.
 */
function spinnerAllowed(options: OutputOptions): boolean {
  const { stderr, json, quiet, env } = options;
  return (
    !!stderr.isTTY &&
    (stderr.columns ?? 0) > 0 &&
    !json &&
    !quiet &&
    env.CI !== "true" &&
    env.CI !== "1"
  );
}

/** The --verbose line for one HTTP attempt, before it is dimmed. */
function attemptText(log: AttemptLog, clean: Clean): string {
  const outcome = log.status !== undefined ? String(log.status) : `failed: ${log.error ?? "?"}`;
  const retry = log.retryInMs !== undefined ? `, retry in ${formatDuration(log.retryInMs)}` : "";
  return `${clean(`${log.method} ${log.url} → ${outcome}`)} (${formatDuration(log.durationMs)}, attempt ${log.attempt}${retry})`;
}

/** HTTP's reason phrases, loaded on the first retry line: node:http is not needed to start. */
let statusCodes: Record<number, string | undefined> | undefined;

/** Why an attempt is retried: `503 Service Unavailable`, or the network error. */
function retryReason(log: AttemptLog): string {
  if (log.status === undefined) return log.error ?? "no answer";
  statusCodes ??= (createRequire(import.meta.url)("node:http") as typeof Http).STATUS_CODES;
  const text = statusCodes[log.status];
  return text ? `${log.status} ${text}` : String(log.status);
}

/** The line that says a retry is scheduled: `retrying in 1.2s: 503 Service Unavailable (attempt 2 of 6)`. */
function retryText(log: AttemptLog, retryInMs: number): string {
  return `retrying in ${formatDuration(retryInMs)}: ${retryReason(log)} (attempt ${log.attempt + 1} of ${log.maxAttempts})`;
}

/** A --dry-run request as human lines; `headers` are masked already. */
function requestText(
  req: DryRunRequest,
  headers: Record<string, string>,
  size: number,
  redactor: Redactor,
  cleanLine: Clean,
): string {
  // Header names are evsend's own: a secret that happens to spell one must not mask it.
  const lines = [`${req.method} ${cleanLine(req.url)}`];
  for (const [name, value] of Object.entries(headers))
    lines.push(`  ${escapeControl(name, true)}: ${cleanLine(value)}`);
  if (size > 0) lines.push(`  body: ${size} bytes: ${cleanLine(preview(req.body, redactor))}`);
  if (req.note) lines.push(`  ${cleanLine(req.note)}`);
  return lines.join("\n");
}

/** An error's stderr lines: message, hint, and with --verbose its stack and its cause's. */
function problemLines(
  error: unknown,
  verbose: boolean,
  style: ChalkInstance,
  clean: Clean,
): string[] {
  const { message, hint } = describeError(error);
  const lines = [`${style.red("error:")} ${clean(message)}`];
  if (hint) lines.push(`${style.dim("hint:")} ${clean(hint)}`);
  if (verbose && error instanceof Error && error.stack) {
    lines.push(style.dim(clean(error.stack)));
    if (error.cause instanceof Error && error.cause.stack)
      lines.push(style.dim(`cause: ${clean(error.cause.stack)}`));
  }
  return lines;
}

/** Builds the output object once per run from the streams, environment and global flags. */
export function createOutput(options: OutputOptions): Output {
  const { stdout, stderr, redactor, json, quiet, verbose } = options;
  guardStream(stdout);
  guardStream(stderr);
  const style = new Chalk({ level: colorLevel(stderr, options) });
  const spinner = spinnerAllowed(options);
  let active: Progress | undefined;

  // Text from anywhere is masked, then its control characters escaped; evsend's own colours are
  // added after that, so they survive. `out` and `err` take text that is already clean.
  const clean: Clean = (text) => escapeControl(redactor.redact(text));
  const cleanLine: Clean = (text) => escapeControl(redactor.redact(text), true);
  const out = (text: string): void => writeGuarded(stdout, text + "\n");
  const err = (text: string): void => {
    active?.clear();
    writeGuarded(stderr, text + "\n");
    active?.render();
  };
  // Mask the values, then serialize: masking serialized text would cut through JSON syntax.
  const emit = (data: Record<string, unknown>): void =>
    out(escapeJsonControl(JSON.stringify(maskData(redactor, data))));

  return {
    json,
    quiet,
    verbose,
    style,
    result(human, data, options) {
      if (json) emit({ type: "result", ...data });
      else if ((!quiet || options?.whenQuiet) && human !== undefined) out(clean(human));
    },
    info(message) {
      if (!json && !quiet) err(clean(message));
    },
    warn(message) {
      if (json) emit({ type: "warning", message });
      err(`${style.yellow("warning:")} ${clean(message)}`);
    },
    debug(message) {
      if (verbose) err(style.dim(clean(message)));
    },
    attempt(log) {
      if (verbose) err(style.dim(attemptText(log, clean)));
      if (log.retryInMs === undefined) return;
      if (json)
        emit({
          type: "retry",
          attempt: log.attempt + 1,
          maxAttempts: log.maxAttempts,
          inMs: log.retryInMs,
          reason: retryReason(log),
          ...(log.status !== undefined ? { status: log.status } : {}),
          method: log.method,
          url: log.url,
        });
      else if (!verbose && !quiet) err(clean(retryText(log, log.retryInMs)));
    },
    request(req) {
      const headers = redactor.redactHeaders(req.headers);
      const size = req.body === undefined ? 0 : Buffer.byteLength(req.body);
      if (json) {
        emit({
          type: "request",
          method: req.method,
          url: req.url,
          headers,
          bodyBytes: size,
          bodyStart: preview(req.body, redactor),
          ...(req.note ? { note: req.note } : {}),
        });
        return;
      }
      out(requestText(req, headers, size, redactor, cleanLine));
    },
    summary(human, data, exitCode) {
      if (json) emit({ type: "summary", exitCode, ...data });
      else if (!quiet) for (const line of human) out(clean(line));
      // A run that did not deliver everything keeps one line under --quiet (cron mails stderr):
      // how much was delivered of how much.
      else if (exitCode !== 0 && human[0] !== undefined) err(clean(human[0]));
    },
    error(error, exitCode) {
      if (json) emit({ type: "error", exitCode, ...describeError(error) });
      this.problem(error);
    },
    problem(error) {
      for (const line of problemLines(error, verbose, style, clean)) err(line);
    },
    async progress(text) {
      active?.stop();
      // No line is shown: its texts (made on every tick) are not masked for nothing either.
      if (!spinner) return (active = NO_PROGRESS);
      const shown = await createProgress(cleanLine(text), { stream: stderr, enabled: spinner });
      active = { ...shown, update: (next) => shown.update(cleanLine(next)) };
      return active;
    },
  };
}

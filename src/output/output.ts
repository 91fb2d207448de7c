import type { Writable } from "node:stream";
import { Chalk, type ChalkInstance } from "chalk";
import { EvsendError } from "../errors.js";
import type { Redactor } from "../transport/redact.js";
import type { AttemptLog } from "../transport/send.js";
import { formatDuration } from "../parse.js";
import { createProgress, type Progress } from "./progress.js";

/** A writable that may be a terminal. */
export type OutStream = Writable & { isTTY?: boolean; columns?: number };

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
  /** A result: a human line on stdout, or `{ type: "result", ...data }`. */
  result(human: string | undefined, data: Record<string, unknown>): void;
  /** Progress and notes on stderr, hidden by --quiet and --json. */
  info(message: string): void;
  /** A warning on stderr (and a `warning` object with --json). */
  warn(message: string): void;
  /** A --verbose line on stderr. */
  debug(message: string): void;
  /** One --verbose line per HTTP attempt. */
  attempt(log: AttemptLog): void;
  /** A --dry-run request. */
  request(req: DryRunRequest): void;
  /** The final summary; with --json always the last line. */
  summary(human: string[], data: Record<string, unknown>, exitCode: number): void;
  /** The final error: message and hint on stderr, an `error` object with --json. */
  error(error: unknown, exitCode: number): void;
  /** An error that a summary will account for: message and hint on stderr only. */
  problem(error: unknown): void;
  /** A spinner on a TTY stderr; a no-op elsewhere. */
  progress(text: string): Promise<Progress>;
}

const BODY_PREVIEW = 200;

function colorLevel(stream: OutStream, options: OutputOptions): 0 | 1 | 2 | 3 {
  if (!options.color || options.env.NO_COLOR) return 0;
  if (options.env.FORCE_COLOR && options.env.FORCE_COLOR !== "0") return 1;
  return stream.isTTY ? 2 : 0;
}

function preview(body: Buffer | string | undefined): string {
  if (body === undefined || body.length === 0) return "";
  const text =
    typeof body === "string" ? body : body.subarray(0, BODY_PREVIEW * 4).toString("utf8");
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

/** Builds the output object once per run from the streams, environment and global flags. */
export function createOutput(options: OutputOptions): Output {
  const { stdout, stderr, redactor, json, quiet, verbose } = options;
  const style = new Chalk({ level: colorLevel(stderr, options) });
  // A terminal that reports no width (some pseudo-terminals) makes a spinner redraw badly.
  const spinnerAllowed =
    !!stderr.isTTY &&
    (stderr.columns ?? 0) > 0 &&
    !json &&
    !quiet &&
    options.env.CI !== "true" &&
    options.env.CI !== "1";
  let active: Progress | undefined;

  const out = (text: string): void => {
    stdout.write(redactor.redact(text) + "\n");
  };
  const err = (text: string): void => {
    active?.clear();
    stderr.write(redactor.redact(text) + "\n");
    active?.render();
  };
  const emit = (data: Record<string, unknown>): void => out(JSON.stringify(data));

  return {
    json,
    quiet,
    verbose,
    style,
    result(human, data) {
      if (json) emit({ type: "result", ...data });
      else if (!quiet && human !== undefined) out(human);
    },
    info(message) {
      if (!json && !quiet) err(message);
    },
    warn(message) {
      if (json) emit({ type: "warning", message: redactor.redact(message) });
      err(`${style.yellow("warning:")} ${message}`);
    },
    debug(message) {
      if (verbose) err(style.dim(message));
    },
    attempt(log) {
      if (!verbose) return;
      const outcome = log.status !== undefined ? String(log.status) : `failed: ${log.error ?? "?"}`;
      const retry =
        log.retryInMs !== undefined ? `, retry in ${formatDuration(log.retryInMs)}` : "";
      err(
        style.dim(
          `${log.method} ${log.url} → ${outcome} (${formatDuration(log.durationMs)}, attempt ${log.attempt}${retry})`,
        ),
      );
    },
    request(req) {
      const headers = redactor.redactHeaders(req.headers);
      const size = req.body === undefined ? 0 : Buffer.byteLength(req.body);
      if (json) {
        emit({
          type: "request",
          method: req.method,
          url: redactor.redact(req.url),
          headers,
          bodyBytes: size,
          bodyStart: preview(req.body),
          ...(req.note ? { note: req.note } : {}),
        });
        return;
      }
      const lines = [`${req.method} ${req.url}`];
      for (const [name, value] of Object.entries(headers)) lines.push(`  ${name}: ${value}`);
      if (size > 0) lines.push(`  body: ${size} bytes: ${preview(req.body)}`);
      if (req.note) lines.push(`  ${req.note}`);
      out(lines.join("\n"));
    },
    summary(human, data, exitCode) {
      if (json) emit({ type: "summary", exitCode, ...data });
      else if (!quiet) for (const line of human) out(line);
    },
    error(error, exitCode) {
      if (json) emit({ type: "error", exitCode, ...describeError(error) });
      this.problem(error);
    },
    problem(error) {
      const { message, hint } = describeError(error);
      err(`${style.red("error:")} ${message}`);
      if (hint) err(`${style.dim("hint:")} ${hint}`);
      if (verbose && error instanceof Error && error.stack) {
        err(style.dim(error.stack));
        if (error.cause instanceof Error && error.cause.stack)
          err(style.dim(`cause: ${error.cause.stack}`));
      }
    },
    async progress(text) {
      active?.stop();
      active = await createProgress(text, { stream: stderr, enabled: spinnerAllowed });
      return active;
    },
  };
}

import type { Context } from "../../context.js";
import { UsageError } from "../../errors.js";
import { parseDate } from "./dates.js";
import { buildPushRequest, interpretResponse } from "./protocol.js";
import { resolveDataboomSettings } from "./settings.js";
import { parseSignalArguments } from "./signals.js";

/** What `databoom push` was asked to do. */
export interface DataboomPushOptions {
  /** `signal=value` arguments, in order. */
  args: string[];
  /** `--date` as typed; undefined lets Databoom use the reception time. */
  date?: string;
  allowText: boolean;
  /** Connection fields passed as flags. */
  flags: Record<string, unknown>;
}

/** `--date` → ISO 8601 UTC; a bad date is a usage error naming the option. */
function dateOption(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    return parseDate(text);
  } catch (error) {
    throw new UsageError(`--date: ${(error as Error).message}`);
  }
}

/** Pushes the current values of one device's signals in one request. */
export async function runDataboomPush(ctx: Context, options: DataboomPushOptions): Promise<void> {
  // Everything the user typed is checked before any setting is resolved or anything is sent.
  const signals = parseSignalArguments(options.args, options.allowText);
  const date = dateOption(options.date);
  const target = await resolveDataboomSettings(ctx, options.flags);
  const count = `${signals.length} signal${signals.length === 1 ? "" : "s"}`;
  const { sendOneEvent } = await import("../../send-one.js");
  await sendOneEvent(ctx, {
    request: buildPushRequest(target, signals, date),
    note: `${count} of device ${target.device}`,
    interpret(response) {
      const { warning } = interpretResponse(response);
      const ms = Math.round(response.durationMs);
      return {
        ...(warning ? { warning } : {}),
        text: `accepted: ${count} of device ${target.device} (HTTP ${response.status}, ${ms}ms)`,
        json: {
          service: "databoom",
          mode: "push",
          status: response.status,
          attempts: response.attempts,
          device: target.device,
          signals: signals.map((s) => s.name),
          ...(date === undefined ? {} : { date }),
        },
        debug:
          "a signal name Databoom does not know yet creates a new signal, which may need validating " +
          "in Databoom (Edit/validation of a signal) before its values are recorded",
        summary: {
          signals: signals.length,
          accepted: signals.length,
          delivered: signals.length,
          durationMs: ms,
        },
      };
    },
  });
}

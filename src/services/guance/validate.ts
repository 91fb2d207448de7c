/** Guance's field rules (apis/guance.md), checked before anything is sent. Pure. */

/** Event statuses Guance accepts (`fatal` is in newer docs). */
export const EVENT_STATUSES = ["critical", "error", "warning", "info", "ok", "fatal"] as const;

/** Names a user-defined field must not take (Guance's list). */
export const RESERVED_FIELDS: readonly string[] = [
  "date",
  "status",
  "source",
  "title",
  "message",
  "dimension_tags",
  "check_value",
  "time",
  "time_us",
  "timestamp",
  "workspace_uuid",
  "workspace_name",
  "extra_data",
  "create_time",
];

/** The event's documented fields; every other top-level field is user-defined. */
const KNOWN_FIELDS = new Set([
  "status",
  "date",
  "title",
  "message",
  "dimension_tags",
  "check_value",
  "labels",
]);

/** Dates past this are milliseconds, not seconds (year 5138 in seconds). */
const MILLISECONDS_FROM = 1e11;

/** `a string`, `a number`, `an array`, `null`… for messages. */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return type === "object" ? "an object" : `a ${type}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The four rules for one user-defined field; `tagKeys` are the names taken by dimension_tags/labels. */
export function customFieldViolations(
  name: string,
  value: unknown,
  tagKeys: ReadonlySet<string>,
): string[] {
  const at = `event.${name}`;
  const found: string[] = [];
  if (typeof value !== "string")
    found.push(`${at} must be a string (user-defined fields take strings), not ${kindOf(value)}`);
  if (name === "") found.push("a user-defined field has an empty name");
  if (name.startsWith("_") || name.startsWith("df_"))
    found.push(`${at}: a user-defined field name must not start with _ or df_`);
  if (tagKeys.has(name)) found.push(`${at} is also a dimension_tags or labels key`);
  if (RESERVED_FIELDS.includes(name))
    found.push(`${at}: "${name}" is reserved; prefix your own fields, e.g. ext_${name}`);
  return found;
}

/** dimension_tags: an object whose values are strings. */
function tagViolations(tags: unknown): string[] {
  if (tags === undefined) return [];
  if (!isObject(tags)) return [`event.dimension_tags must be an object, not ${kindOf(tags)}`];
  return Object.entries(tags)
    .filter(([, v]) => typeof v !== "string")
    .map(([k, v]) => `event.dimension_tags.${k} must be a string, not ${kindOf(v)}`);
}

/** The names labels take: an object's keys or a list's strings. */
function labelNames(labels: unknown): string[] {
  if (isObject(labels)) return Object.keys(labels);
  if (Array.isArray(labels)) return labels.filter((l): l is string => typeof l === "string");
  return [];
}

function dateViolations(date: unknown): string[] {
  if (date === undefined) return [];
  if (typeof date !== "number" || !Number.isInteger(date) || date < 0)
    return [
      `event.date must be a whole number of seconds since the epoch, not ${typeof date === "number" ? date : kindOf(date)}`,
    ];
  if (date >= MILLISECONDS_FROM)
    return [
      `event.date ${date} looks like milliseconds; Guance wants seconds (${Math.floor(date / 1000)})`,
    ];
  return [];
}

/** Every rule broken by one event object, in field order. */
export function eventViolations(event: Record<string, unknown>): string[] {
  const found: string[] = [];
  const { status } = event;
  if (status === undefined)
    found.push(`event.status is required: one of ${EVENT_STATUSES.join(", ")}`);
  else if (typeof status !== "string" || !(EVENT_STATUSES as readonly string[]).includes(status))
    found.push(
      `event.status ${typeof status === "string" ? `"${status}"` : kindOf(status)} is not one of ${EVENT_STATUSES.join(", ")}`,
    );
  found.push(...dateViolations(event.date));
  for (const key of ["title", "message"]) {
    const value = event[key];
    if (value !== undefined && typeof value !== "string")
      found.push(`event.${key} must be a string, not ${kindOf(value)}`);
  }
  found.push(...tagViolations(event.dimension_tags));
  const check = event.check_value;
  if (check !== undefined && typeof check !== "number")
    found.push(`event.check_value must be a number, not ${kindOf(check)}`);
  // JSON.parse reads 1e400 as Infinity, which JSON.stringify would send as null.
  else if (typeof check === "number" && !Number.isFinite(check))
    found.push(
      "event.check_value is too large a number (beyond ±1.8e308); it would be sent as null",
    );
  const labels = event.labels;
  if (labels !== undefined && !isObject(labels) && !Array.isArray(labels))
    found.push(`event.labels must be an object or a list, not ${kindOf(labels)}`);
  const tags = isObject(event.dimension_tags) ? Object.keys(event.dimension_tags) : [];
  const taken = new Set([...tags, ...labelNames(labels)]);
  for (const [name, value] of Object.entries(event)) {
    if (!KNOWN_FIELDS.has(name)) found.push(...customFieldViolations(name, value, taken));
  }
  return found;
}

/**
 * Every rule broken by a request body `{ event, extraData? }`, all at once; empty when it may be
 * sent. The emulator answers with the same list.
 */
export function bodyViolations(body: unknown): string[] {
  if (!isObject(body)) return [`the body must be an object with an event, not ${kindOf(body)}`];
  const found: string[] = [];
  for (const key of Object.keys(body)) {
    if (key !== "event" && key !== "extraData")
      found.push(
        `unknown top-level key "${key}": the body holds event and extraData` +
          (key === "extra_data" ? " (spelled extraData)" : ""),
      );
  }
  const { event, extraData } = body;
  if (event === undefined) found.push("event is required");
  else if (!isObject(event)) found.push(`event must be an object, not ${kindOf(event)}`);
  else found.push(...eventViolations(event));
  if (extraData !== undefined && !isObject(extraData))
    found.push(`extraData must be an object, not ${kindOf(extraData)}`);
  return found;
}

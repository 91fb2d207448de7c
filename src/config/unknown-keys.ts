import type { ServiceSpec } from "./types.js";
import { isPlainObject } from "./validate.js";

/** Warnings for keys in the profile's section of this service that the service does not know. */
export function unknownFields(spec: ServiceSpec, profileData: Record<string, unknown>): string[] {
  const section = profileData[spec.name];
  if (!isPlainObject(section)) return [];
  const known = spec.fields.map((f) => f.key);
  return Object.keys(section)
    .filter((key) => !known.includes(key))
    .map(
      (key) =>
        `unknown field ${spec.name}.${key} in the profile is ignored; known: ${known.join(", ")}`,
    );
}

function orList(items: string[]): string {
  return items.length < 2
    ? (items[0] ?? "")
    : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

/**
 * Warnings for keys directly under a profile that are not services, e.g. `endpoint:` written
 * without the `devo:` level. A key that is a field of some service gets "did you mean
 * devo.endpoint?". Warnings, not errors: a profile written for a newer evsend may hold a
 * service this one does not have, and the service's own "missing …" error follows anyway when
 * a required field is really absent.
 */
export function unknownProfileKeys(
  profileName: string,
  profileData: Record<string, unknown>,
  specs: ServiceSpec[],
): string[] {
  const services = specs.map((s) => s.name);
  return Object.keys(profileData)
    .filter((key) => !services.includes(key))
    .map((key) => {
      const owners = specs.filter((s) => s.fields.some((f) => f.key === key));
      const guess =
        owners.length > 0
          ? `; did you mean ${orList(owners.map((s) => `${s.name}.${key}`))}? (fields go under the service: ${owners[0]?.name}: { ${key}: … })`
          : "";
      return `unknown key "${key}" in profile "${profileName}" is ignored; a profile holds services (${services.join(", ")})${guess}`;
    });
}

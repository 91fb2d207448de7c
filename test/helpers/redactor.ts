import { Redactor } from "../../src/transport/redact.js";
import { services } from "../../src/services/index.js";

/** A Redactor that knows every service's secret forms, as a run's context has. */
export function serviceRedactor(): Redactor {
  return new Redactor(services.flatMap((s) => s.secretForms ?? []));
}

import { join } from "node:path";
import { completionScript, SHELLS, type Shell } from "../../src/commands/completion.js";
import { configSchema, SCHEMA_FILE } from "../../src/config/schema.js";
import { services } from "../../src/services/index.js";
import { programTree } from "./runtime.js";

/** The repository's root. */
export const ROOT = join(import.meta.dirname, "..", "..");

/** Where each shell's script is kept: the names each shell looks for when installed. */
export const COMPLETION_FILES: Record<Shell, string> = {
  bash: "completions/evsend.bash",
  zsh: "completions/_evsend",
  fish: "completions/evsend.fish",
};

/** The files generated from the code, by path from the repository's root, as they should read. */
export async function generatedFiles(
  what: "completions" | "schema",
): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  if (what === "completions") {
    const program = programTree();
    for (const shell of SHELLS)
      files[COMPLETION_FILES[shell]] = (await completionScript(program, shell)).trimEnd() + "\n";
  }
  if (what === "schema")
    files[SCHEMA_FILE] = JSON.stringify(configSchema(services.map((s) => s.spec)), null, 2) + "\n";
  return files;
}

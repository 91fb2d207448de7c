import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { generatedFiles, ROOT } from "./generated.js";

// `npm run completions` and `npm run schema`: write the files generated from the code.
const what = process.argv[2];
if (what !== "completions" && what !== "schema") throw new Error("usage: completions|schema");
for (const [path, text] of Object.entries(await generatedFiles(what))) {
  await mkdir(dirname(join(ROOT, path)), { recursive: true });
  await writeFile(join(ROOT, path), text);
  process.stdout.write(`wrote ${path}\n`);
}

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, posix, relative } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/**
 * docs/architecture.md's rules, read from src/'s imports (type-only and dynamic ones included):
 * no import cycle, each file imports only from its own layer or below, only the composition root
 * imports the registry, a service imports no other service, and nothing outside src/services/
 * names a service in code.
 */

const SRC = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "src");

/** The services' names, as code outside src/services/ must not spell them. */
const SERVICE_NAME = /devo|databoom|eventhos|guance/i;

/** A module graph: each file (relative to src/, `/`-separated) and the files it imports. */
type Graph = Map<string, string[]>;

function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [relative(SRC, path).split("\\").join("/")] : [];
  });
}

/** `./x.js` from `bulk/a.ts` → `bulk/x.ts`; bare specifiers (packages, node:) are not ours. */
function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  return posix.join(posix.dirname(from), specifier).replace(/\.js$/, ".ts");
}

function readGraph(): Graph {
  const graph: Graph = new Map();
  for (const file of sourceFiles()) {
    const text = readFileSync(join(SRC, file), "utf8");
    const imported = ts.preProcessFile(text, true, true).importedFiles;
    const targets = imported.flatMap((i) => resolveImport(file, i.fileName) ?? []);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Every import cycle, as the files of each strongly connected component (Tarjan). */
function findCycles(graph: Graph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next);
    next += 1;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || graph.get(file)?.includes(file)) cycles.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles;
}

/** docs/architecture.md's layers, bottom up; `input/` sits below `bulk/` in layer 3. */
const LAYERS: ReadonlyArray<[number, RegExp]> = [
  [1, /^(errors|units|clock|fs-async)\.ts$|^cli\/(arg-parser|first-operand|vocabulary)\.ts$/],
  [2, /^(transport|emulator)\//],
  [3, /^input\//],
  // The bulk runner and its shared options are a command's plumbing: layer 5, below.
  [3.5, /^bulk\/(?!run-bulk-command\.ts$|options\.ts$)/],
  [4, /^(config|output)\//],
  [
    5,
    /^(context|send-one)\.ts$|^cli\/(command|field-option|unknown-option|completion-tree|help)\.ts$|^bulk\/(run-bulk-command|options)\.ts$/,
  ],
  [6, /^services\//],
  [7, /^commands\//],
  [8, /^program\.ts$/],
  [9, /^cli\.ts$/],
];

/** The imports up a layer that docs/architecture.md names, and no other. */
const EXCEPTIONS: ReadonlyArray<[RegExp, string]> = [
  // The settings resolver takes the Context a command hands it (a type).
  [/^config\/settings\.ts$/, "context.ts"],
  // The CA file is read with the inputs' bounded read.
  [/^transport\/ca\.ts$/, "input/open.ts"],
  // The engine's contract (types only): what input/'s readers and parsers hand on.
  [/^input\//, "bulk/types.ts"],
];

function layerOf(file: string): number | undefined {
  return LAYERS.find(([, pattern]) => pattern.test(file))?.[0];
}

/** Every broken rule of the graph, one line each (empty when the code keeps them). */
function ruleViolations(graph: Graph): string[] {
  const problems: string[] = [];
  for (const [file, targets] of graph) {
    const layer = layerOf(file);
    if (layer === undefined) {
      problems.push(`${file}: in no layer (add it to docs/architecture.md and this test)`);
      continue;
    }
    const service = /^services\/([^/]+)\//.exec(file)?.[1];
    for (const target of targets) {
      if (target === "services/index.ts" && file !== "program.ts") {
        problems.push(`${file} imports the registry (only program.ts may)`);
      }
      const other = /^services\/([^/]+)\//.exec(target)?.[1];
      if (service && other && other !== service) {
        problems.push(`${file} imports another service's ${target}`);
      }
      const up = layerOf(target);
      if (up === undefined || up <= layer) continue;
      if (EXCEPTIONS.some(([from, to]) => from.test(file) && to === target)) continue;
      problems.push(`${file} (layer ${layer}) imports ${target} (layer ${up}), a layer up`);
    }
  }
  return problems;
}

/**
 * Where `text` names a service in code: identifiers, strings and templates (comments are skipped).
 * `stringsAllowed`: only identifiers count (the root help's examples in program.ts).
 */
function serviceNames(text: string, stringsAllowed = false): string[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  const found: string[] = [];
  const strings = new Set([
    ts.SyntaxKind.StringLiteral,
    ts.SyntaxKind.NoSubstitutionTemplateLiteral,
    ts.SyntaxKind.TemplateHead,
    ts.SyntaxKind.TemplateMiddle,
    ts.SyntaxKind.TemplateTail,
  ]);
  // What each open `{` is: a block's, or a template's `${` (whose `}` goes on with the template).
  const braces: boolean[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.OpenBraceToken) braces.push(false);
    if (kind === ts.SyntaxKind.CloseBraceToken && braces.pop()) {
      kind = scanner.reScanTemplateToken(false);
    }
    if (kind === ts.SyntaxKind.TemplateHead || kind === ts.SyntaxKind.TemplateMiddle) {
      braces.push(true);
    }
    if (strings.has(kind) && stringsAllowed) continue;
    const token = scanner.getTokenText();
    if (SERVICE_NAME.test(token)) {
      const line = text.slice(0, scanner.getTokenStart()).split("\n").length;
      found.push(`${line}: ${token}`);
    }
  }
  return found;
}

describe("architecture (docs/architecture.md)", () => {
  const graph = readGraph();

  it("reads the source tree", () => {
    assert.ok(graph.size > 100, `only ${graph.size} files under src/`);
    assert.ok(graph.get("program.ts")?.includes("services/index.ts"));
  });

  it("has no import cycle, type-only imports included", () => {
    assert.deepEqual(findCycles(graph), []);
  });

  it("keeps the layers: imports go down, only program.ts imports the registry", () => {
    assert.deepEqual(ruleViolations(graph), []);
  });

  it("names no service outside src/services/ (program.ts's help examples aside)", () => {
    const named = [...graph.keys()]
      .filter((file) => !file.startsWith("services/"))
      .flatMap((file) => {
        const text = readFileSync(join(SRC, file), "utf8");
        return serviceNames(text, file === "program.ts").map((where) => `${file}:${where}`);
      });
    assert.deepEqual(named, []);
  });

  it("writes to stdout/stderr only in src/output/ and src/cli.ts, and exits only in src/cli.ts", () => {
    const found = [...graph.keys()].flatMap((file) => {
      const text = readFileSync(join(SRC, file), "utf8");
      const problems: string[] = [];
      if (file !== "cli.ts" && !file.startsWith("output/")) {
        if (/\bprocess\.(stdout|stderr)\b|\bconsole\./.test(text)) problems.push(`${file} writes`);
      }
      if (file !== "cli.ts" && /\bprocess\.(exit\b|exitCode\b)/.test(text)) {
        problems.push(`${file} exits`);
      }
      return problems;
    });
    assert.deepEqual(found, []);
  });
});

describe("the architecture checks catch what they are for", () => {
  it("a cycle through a type-only import", () => {
    const graph: Graph = new Map([
      ["bulk/a.ts", ["bulk/b.ts"]],
      ["bulk/b.ts", ["bulk/c.ts"]],
      ["bulk/c.ts", ["bulk/a.ts"]],
      ["bulk/d.ts", ["bulk/a.ts"]],
    ]);
    assert.deepEqual(findCycles(graph), [["bulk/a.ts", "bulk/b.ts", "bulk/c.ts"]]);
  });

  it("an import up a layer, of the registry, of another service; a file in no layer", () => {
    const graph: Graph = new Map([
      ["input/lines.ts", ["bulk/batcher.ts", "bulk/types.ts"]],
      ["commands/emulate.ts", ["services/index.ts"]],
      ["services/one/send.ts", ["services/two/protocol.ts", "services/types.ts"]],
      ["stray.ts", []],
    ]);
    assert.deepEqual(ruleViolations(graph), [
      "input/lines.ts (layer 3) imports bulk/batcher.ts (layer 3.5), a layer up",
      "commands/emulate.ts imports the registry (only program.ts may)",
      "services/one/send.ts imports another service's services/two/protocol.ts",
      "stray.ts: in no layer (add it to docs/architecture.md and this test)",
    ]);
  });

  it("a service named in code, not in comments", () => {
    const text = [
      "// devo is fine in a comment",
      "/** and Guance in a doc comment */",
      'const a = "eventhos";',
      "const b = `x ${a} databoom`;",
      "const devoUrl = 1;",
    ].join("\n");
    assert.deepEqual(serviceNames(text), ['3: "eventhos"', "4: } databoom`", "5: devoUrl"]);
    assert.deepEqual(serviceNames(text, true), ["5: devoUrl"]);
  });
});

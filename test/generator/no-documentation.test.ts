/**
 * No model prose reaches the repository: models/ and every generated file are checked for
 * documentation fields, and for any prose-like text (60+ characters with spaces, or any
 * string of 300+) that appears in the botocore source's documentation, documentation URLs,
 * deprecation messages or waiter descriptions. Operation doc comments are links and
 * nothing else.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { listServices, readDataFile, newestVersion } from "../../scripts/codegen/botocore-data.ts";
import { HAS_SOURCE, listFiles, MODELS, modelServices, PACKAGES, SOURCE } from "./support.ts";

const PROSE_KEYS = new Set(["documentation", "documentationUrl", "deprecatedMessage"]);
/** Objects whose keys are names from the model (a member may be called "documentation"). */
const NAME_MAPS = new Set(["members", "shapes", "operations", "paginators", "waiters", "parameters", "clientContextParams", "staticContextParams"]);

function generatedFiles(): string[] {
  const files: string[] = [join(PACKAGES, "core", "src", "endpoints", "partitions-data.ts")];
  for (const service of modelServices()) {
    files.push(join(PACKAGES, service, "src", "index.ts"));
    files.push(...listFiles(join(PACKAGES, service, "src", "generated")).map((f) => join(PACKAGES, service, "src", "generated", f)));
  }
  return files;
}

function modelFiles(): string[] {
  return readdirSync(MODELS).filter((f) => f.endsWith(".json")).map((f) => join(MODELS, f));
}

test("models/ has no documentation fields", () => {
  const problems: string[] = [];
  const walk = (value: unknown, path: string, parentKey: string | undefined): void => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, undefined));
    else if (value !== null && typeof value === "object") {
      for (const [key, v] of Object.entries(value)) {
        const isName = parentKey !== undefined && NAME_MAPS.has(parentKey);
        if (!isName && PROSE_KEYS.has(key)) problems.push(`${path}.${key}`);
        if (!isName && key === "description" && path.includes(".waiters.")) problems.push(`${path}.${key}`);
        walk(v, `${path}.${key}`, isName ? undefined : key);
      }
    }
  };
  for (const file of modelFiles()) walk(JSON.parse(readFileSync(file, "utf8")), file.slice(MODELS.length + 1), undefined);
  assert.deepEqual(problems, []);
});

test("generated files carry no documentation fields and link-only doc comments", () => {
  const problems: string[] = [];
  let links = 0;
  for (const file of generatedFiles()) {
    const text = readFileSync(file, "utf8");
    if (/\b(documentation|documentationUrl|deprecatedMessage)\s*:/.test(text)) problems.push(`${file}: a documentation field`);
    if (file.endsWith("client.ts")) {
      // Every doc comment right above a method is a link to the API reference (plus @deprecated).
      for (const match of text.matchAll(/\/\*\*((?:(?!\*\/)[^])*)\*\/\n\s+[\w$]+[:(]/g)) {
        const body = (match[1] ?? "").replace(/^\s*\*?/gm, "").trim();
        links++;
        if (!/^https:\/\/docs\.aws\.amazon\.com\/goto\/WebAPI\/[\w.-]+\/\w+(\s+@deprecated)?$/.test(body)) problems.push(`${file}: doc comment ${JSON.stringify(body.slice(0, 80))}`);
      }
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(links >= 1881, `only ${links} operation doc comments were seen`);
});

test("no text from the source's documentation is in models/ or generated files", { skip: HAS_SOURCE ? false : `no botocore data at ${SOURCE}` }, () => {
  // The source's prose, in one string to search.
  const prose: string[] = [];
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (value !== null && typeof value === "object") {
      for (const [key, v] of Object.entries(value)) {
        if ((PROSE_KEYS.has(key) || key === "description") && typeof v === "string") prose.push(v);
        else collect(v);
      }
    }
  };
  for (const service of listServices(SOURCE)) {
    const dir = join(SOURCE, service, newestVersion(join(SOURCE, service)) as string);
    for (const name of ["service-2.json", "paginators-1.json", "waiters-2.json", "endpoint-rule-set-1.json"]) collect(readDataFile(dir, name));
  }
  const corpus = prose.join("\n");
  assert.ok(corpus.length > 100_000, "the source's documentation was found");

  const suspicious = (s: string): boolean => s.length >= 300 || (s.length >= 60 && (s.match(/ /g)?.length ?? 0) >= 3);
  const strings = new Map<string, string>();
  const fromJson = (value: unknown, file: string): void => {
    if (typeof value === "string") strings.set(value, file);
    else if (Array.isArray(value)) value.forEach((v) => fromJson(v, file));
    else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) (strings.set(k, file), fromJson(v, file));
  };
  for (const file of modelFiles()) fromJson(JSON.parse(readFileSync(file, "utf8")), file);
  if (existsSync(join(MODELS, "SOURCE.md"))) for (const line of readFileSync(join(MODELS, "SOURCE.md"), "utf8").split("\n")) strings.set(line, "models/SOURCE.md");
  for (const file of generatedFiles()) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/"(?:[^"\\\n]|\\.)*"/g)) strings.set(JSON.parse(match[0]) as string, file);
    for (const match of text.matchAll(/\/\/.*|\/\*[^]*?\*\//g)) strings.set(match[0], file);
  }
  const found = [...strings].filter(([s]) => suspicious(s) && corpus.includes(s)).map(([s, file]) => `${file}: ${s.slice(0, 80)}`);
  assert.deepEqual(found, []);
});

/**
 * The committed output is what the tools make, and the tools are deterministic:
 *
 * - importing ../shared/models again gives models/ byte for byte (when the source is here);
 * - generating from models/ gives packages/<service>/src/generated, src/index.ts and
 *   package.json byte for byte, and packages/core/src/endpoints/partitions-data.ts;
 * - a second run of either gives the same bytes as the first.
 *
 * When one fails after a model or generator change: `npm run gen`, then commit the result.
 */
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { generate } from "../../scripts/generate.ts";
import { importModels } from "../../scripts/import-models.ts";
import { diffFiles, HAS_SOURCE, listFiles, MODELS, modelServices, PACKAGES, scratch, SOURCE } from "./support.ts";

const HINT = "\nRun `npm run gen` and commit the result.";

describe("models/ is the importer's output", { skip: HAS_SOURCE ? false : `no botocore data at ${SOURCE}` }, () => {
  test("re-importing the source gives models/ unchanged, twice", () => {
    using first = scratch("import-a");
    using second = scratch("import-b");
    importModels({ dataDir: SOURCE, outDir: first.dir });
    importModels({ dataDir: SOURCE, outDir: second.dir });
    const files = listFiles(first.dir);
    assert.deepEqual(listFiles(second.dir), files, "two imports wrote different files");
    assert.deepEqual(diffFiles(first.dir, second.dir, files), [], "two imports differ");
    assert.deepEqual(listFiles(MODELS), files, `models/ holds other files than the importer writes${HINT}`);
    assert.deepEqual(diffFiles(first.dir, MODELS, files), [], `models/ is out of date${HINT}`);
  });

  test("gzip-compressed files and the newest API version are read as botocore does", () => {
    using data = scratch("botocore");
    using out = scratch("import-gz");
    using plain = scratch("import-plain");
    // sts with its service-2.json gzipped, a newer version folder without a service-2.json
    // (ignored), an older one (ignored), and partitions.json gzipped too.
    const sts = join(SOURCE, "sts", "2011-06-15");
    const newest = join(data.dir, "sts", "2011-06-15");
    mkdirSync(newest, { recursive: true });
    for (const file of ["paginators-1.json", "endpoint-rule-set-1.json"]) cpSync(join(sts, file), join(newest, file));
    writeFileSync(join(newest, "service-2.json.gz"), gzipSync(readFileSync(join(sts, "service-2.json"))));
    mkdirSync(join(data.dir, "sts", "2020-01-01"), { recursive: true });
    writeFileSync(join(data.dir, "sts", "2020-01-01", "paginators-1.json"), "{}");
    mkdirSync(join(data.dir, "sts", "2009-01-01"), { recursive: true });
    writeFileSync(join(data.dir, "sts", "2009-01-01", "service-2.json"), '{"metadata":{},"operations":{},"shapes":{}}');
    writeFileSync(join(data.dir, "partitions.json.gz"), gzipSync(readFileSync(join(SOURCE, "partitions.json"))));

    const summary = importModels({ dataDir: data.dir, outDir: out.dir, services: ["sts"] });
    assert.deepEqual(summary.map((s) => [s.service, s.apiVersion]), [["sts", "2011-06-15"]]);
    importModels({ dataDir: SOURCE, outDir: plain.dir, services: ["sts"] });
    assert.deepEqual(diffFiles(plain.dir, out.dir, ["sts.json", "partitions.json"]), []);
    // No SOURCE.md in this data directory: the commit is unknown, and says so.
    assert.match(readFileSync(join(out.dir, "SOURCE.md"), "utf8"), /commit `unknown`/);
  });
});

test("packages are the generator's output from models/, twice", () => {
  using first = scratch("gen-a");
  using second = scratch("gen-b");
  generate({ modelsDir: MODELS, outDir: first.dir, existingDir: PACKAGES });
  generate({ modelsDir: MODELS, outDir: second.dir, existingDir: PACKAGES });
  const files = listFiles(first.dir);
  assert.deepEqual(listFiles(second.dir), files, "two runs wrote different files");
  assert.deepEqual(diffFiles(first.dir, second.dir, files), [], "two runs differ");

  const problems: string[] = [];
  for (const service of modelServices()) {
    const generated = (root: string) => [
      ...listFiles(join(root, service, "src", "generated")).map((f) => join(service, "src", "generated", f)),
      ...[join(service, "src", "index.ts"), join(service, "package.json")].filter((f) => existsSync(join(root, f))),
    ];
    const expected = generated(first.dir);
    const committed = generated(PACKAGES);
    for (const extra of committed.filter((f) => !expected.includes(f))) problems.push(`${extra}: no longer generated`);
    problems.push(...diffFiles(first.dir, PACKAGES, expected));
  }
  problems.push(...diffFiles(first.dir, PACKAGES, [join("core", "src", "endpoints", "partitions-data.ts")]));
  assert.deepEqual(problems, [], `generated code is out of date${HINT}`);
});

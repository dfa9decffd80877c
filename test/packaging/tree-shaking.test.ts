/**
 * What a bundler keeps of Stratus for an app that only reads an S3 object: esbuild
 * (`--bundle --minify --format=esm --platform=node`, as an app would build) over the
 * workspace sources (bundle-app.ts), then a look at what went in.
 *
 * Structural checks, not sizes: the metafile's inputs (which source files contributed
 * bytes) and marker strings that only another protocol module or another service would
 * bring. A control bundle that does take every protocol (the core's PROTOCOLS table) must
 * show all of those markers and modules, so a marker that stopped meaning anything fails
 * here instead of passing quietly. Sizes are printed as diagnostics, for the record.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { bundleApp, ROOT } from "./bundle-app.ts";

interface Bundle {
  readonly text: string;
  /** Source files that put bytes in the output, relative to the repo (packages/core/src/…). */
  readonly inputs: ReadonlyMap<string, number>;
  readonly minified: number;
  readonly gzipped: number;
}

async function bundle(source: string): Promise<Bundle> {
  const result = await bundleApp(source, join(ROOT, ".stratus-tmp", "tree-shaking", "app.js"));
  const [output] = result.outputFiles;
  assert.ok(output, "esbuild produced no output");
  const inputs = new Map<string, number>();
  for (const meta of Object.values(result.metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(meta.inputs)) {
      // Paths are relative to esbuild's working directory; make them repo-relative.
      if (bytesInOutput > 0) inputs.set(join(process.cwd(), path).slice(ROOT.length + 1), bytesInOutput);
    }
  }
  return { text: output.text, inputs, minified: output.contents.byteLength, gzipped: gzipSync(output.contents, { level: 9 }).byteLength };
}

const CORE_PROTOCOLS = "packages/core/src/protocols/";
/** Modules of the five protocols S3 does not speak (rest-xml's own files are allowed). */
const OTHER_PROTOCOL_MODULES = ["json.ts", "json/", "query.ts", "ec2.ts", "rest-json.ts", "rpc-v2-cbor.ts", "cbor/", "index.ts"].map((m) => CORE_PROTOCOLS + m);
/** Strings that only those protocol modules put in a bundle: awsJson's content type, the CBOR protocol's headers, query's response wrapper, the awsQueryCompatible header. */
const OTHER_PROTOCOL_MARKERS = ["application/x-amz-json-", "smithy-rpc-v2-cbor", "application/cbor", "ResponseMetadata", "x-amzn-query-mode"];
/** Operation names of other services (and none that the core itself calls, like STS's). */
const OTHER_SERVICE_MARKERS = ["BatchWriteItem", "ReceiveMessage", "DescribeInstances", "PutMetricData"];
/** S3 operations an app that calls GetObject alone does not need (S3's hooks name a few others, e.g. CompleteMultipartUpload, on purpose). */
const OTHER_S3_OPERATIONS = ["PutBucketLifecycleConfiguration", "ListObjectsV2", "PutBucketNotificationConfiguration", "LifecycleRule"];

function modulesIn(b: Bundle, prefixes: readonly string[]): string[] {
  return [...b.inputs.keys()].filter((path) => prefixes.some((p) => path.startsWith(p)));
}

function otherServices(b: Bundle): string[] {
  return [...b.inputs.keys()].filter((path) => path.startsWith("packages/") && !path.startsWith("packages/core/") && !path.startsWith("packages/s3/"));
}

function present(b: Bundle, markers: readonly string[]): string[] {
  return markers.filter((marker) => b.text.includes(marker));
}

function sizes(b: Bundle): string {
  const undici = [...b.inputs].filter(([path]) => path.includes("/undici@")).reduce((n, [, bytes]) => n + bytes, 0);
  const top = [...b.inputs]
    .filter(([path]) => !path.includes("/undici@"))
    .sort((x, y) => y[1] - x[1])
    .slice(0, 5)
    .map(([path, bytes]) => `${path.replace(/^.*node_modules\/\.pnpm\/([^/]+)\/.*$/, "$1")} ${bytes}`);
  return `${b.minified} B minified, ${b.gzipped} B gzipped; undici ${undici} B; then ${top.join(", ")}`;
}

test("control: a bundle of the core's PROTOCOLS table holds every protocol, so the markers mean something", async () => {
  const all = await bundle('import { PROTOCOLS } from "@stratus/core";\nconsole.log(PROTOCOLS);\n');
  assert.deepEqual(present(all, OTHER_PROTOCOL_MARKERS), OTHER_PROTOCOL_MARKERS);
  for (const module of OTHER_PROTOCOL_MODULES) assert.ok(modulesIn(all, [module]).length > 0, `${module} is not in the control bundle`);
});

test("S3 client app (new S3().getObject): rest-xml only, no other service", async (t) => {
  const app = await bundle(
    'import { S3 } from "@stratus/s3";\n' +
      'const s3 = new S3({ region: "us-east-1" });\n' +
      'const object = await s3.getObject({ Bucket: "b", Key: "k" });\n' +
      "console.log(await object.Body?.text());\n",
  );
  t.diagnostic(`S3 class + getObject: ${sizes(app)}`);
  assert.deepEqual([...app.inputs.keys()].filter((path) => path.includes("/undici@")), [], "undici is loaded at run time, never bundled");
  assert.ok(modulesIn(app, [`${CORE_PROTOCOLS}rest-xml.ts`]).length === 1, "rest-xml is in the bundle");
  assert.deepEqual(modulesIn(app, OTHER_PROTOCOL_MODULES), []);
  assert.deepEqual(present(app, OTHER_PROTOCOL_MARKERS), []);
  assert.deepEqual(otherServices(app), []);
  assert.deepEqual(present(app, OTHER_SERVICE_MARKERS), []);
});

test("modular app (ServiceClient + definition + GetObject from @stratus/s3/schema): one operation's schema", async (t) => {
  const app = await bundle(
    'import { ServiceClient } from "@stratus/core";\n' +
      'import { definition } from "@stratus/s3";\n' +
      'import { GetObject } from "@stratus/s3/schema";\n' +
      'const client = new ServiceClient(definition, { region: "us-east-1" });\n' +
      'const object = await client.send(GetObject, { Bucket: "b", Key: "k" });\n' +
      "console.log(await object.Body?.text());\n",
  );
  t.diagnostic(`ServiceClient + GetObject: ${sizes(app)}`);
  assert.ok(app.text.includes("GetObjectRequest"), "GetObject's schema is in the bundle");
  assert.deepEqual(modulesIn(app, OTHER_PROTOCOL_MODULES), []);
  assert.deepEqual(present(app, OTHER_PROTOCOL_MARKERS), []);
  assert.deepEqual(otherServices(app), []);
  assert.deepEqual(present(app, OTHER_SERVICE_MARKERS), []);
  assert.deepEqual(present(app, OTHER_S3_OPERATIONS), []);
  assert.deepEqual(modulesIn(app, ["packages/s3/src/generated/paginators.ts", "packages/s3/src/generated/waiters.ts"]), []);
});

test("an app that only catches NoSuchKey carries no schema and no endpoint rule set", async () => {
  const app = await bundle('import { NoSuchKey } from "@stratus/s3";\nconsole.log(new Error() instanceof NoSuchKey);\n');
  assert.deepEqual(modulesIn(app, ["packages/s3/src/generated/schema.ts", "packages/s3/src/generated/endpoint-rule-set.ts"]), []);
  assert.deepEqual(modulesIn(app, [CORE_PROTOCOLS]), []);
});

/**
 * The published form, end to end: build @stratus/core and @stratus/s3 (scripts/build.ts),
 * pack them with pnpm (which applies `publishConfig` and turns `workspace:*` into the
 * core's version), install the two tarballs with plain `npm install` in a scratch project
 * outside the repo (their own dependencies come from the registry, or npm's cache when it
 * is warm), and there:
 *
 *   - check the installed manifests: exports per condition into dist/, files present, the
 *     core depended on by version;
 *   - type-check a small consumer with the workspace's TypeScript against the shipped .d.ts
 *     (strict, nodenext, the library files checked too);
 *   - run a plain .mjs with Node 24 that creates a bucket, puts an object and gets it back
 *     from s3rver, which this test starts on loopback.
 *
 * Nothing of the workspace can leak in: the scratch project is in the OS temp dir, so
 * module resolution never walks up into the repo's node_modules.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { S3RVER_CREDENTIALS, startS3rver, type RunningServer } from "../../scripts/local-servers.ts";
import { childEnv, npmInstall, NODE, packPackages, ROOT, run, scratchDir, scratchProject, stepTimer } from "./pack-support.ts";

const CORE_VERSION = (JSON.parse(readFileSync(join(ROOT, "packages", "core", "package.json"), "utf8")) as { version: string }).version;
const CONDITIONS = ["types", "node", "workerd", "deno", "bun", "browser", "default"];

let scratch: string;
let server: RunningServer;
const env = childEnv();

before(async () => {
  scratch = scratchDir("stratus-pack-");
  server = await startS3rver();
});

after(async () => {
  await server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test("@stratus/core and @stratus/s3 build, pack, install with npm and call s3rver", async (t) => {
  const { timed, summary } = stepTimer();

  const { core, s3 } = await timed("build + pnpm pack", () => packPackages(["core", "s3"], join(scratch, "tarballs")));
  const project = scratchProject(join(scratch, "app"), "stratus-pack-check");
  await timed("npm install", () => npmInstall(project, [core, s3]));

  // The manifests as installed: the tarballs' own, after pnpm's publish-time rewrite.
  for (const name of ["core", "s3"]) {
    const dir = join(project, "node_modules", "@stratus", name);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Record<string, unknown>;
    const exports = manifest["exports"] as Record<string, Record<string, string> | string>;
    const main = exports["."];
    assert.ok(typeof main === "object", `${name}: exports["."] has conditions`);
    assert.deepEqual(Object.keys(main), CONDITIONS, `${name}: exports["."] conditions`);
    for (const [subpath, target] of Object.entries(exports)) {
      for (const file of typeof target === "string" ? [target] : Object.values(target)) {
        assert.ok(existsSync(join(dir, file)), `${name}: exports["${subpath}"] → ${file} is missing`);
        if (subpath !== "./package.json") assert.match(file, /^\.\/dist\/.*\.(js|d\.ts)$/, `${name}: exports["${subpath}"] → ${file}`);
      }
    }
    assert.equal(manifest["sideEffects"], false);
    assert.equal(existsSync(join(dir, "src")), false, `${name}: the sources are not shipped`);
    if (name === "s3") assert.deepEqual(manifest["dependencies"], { "@stratus/core": CORE_VERSION, "p-limit": "7.3.3" }, "workspace:* became the version; p-limit (upload part concurrency) is pinned");
  }

  // The shipped types, as a strict TypeScript user would see them.
  writeFileSync(
    join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "es2024",
        module: "nodenext",
        moduleResolution: "nodenext",
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ["node"],
        typeRoots: [join(ROOT, "node_modules", "@types")],
      },
      files: ["consumer.ts"],
    }),
  );
  writeFileSync(
    join(project, "consumer.ts"),
    [
      'import { ServiceError, restXmlProtocol, type Protocol } from "@stratus/core";',
      'import { NoSuchKey, S3, type GetObjectRequest } from "@stratus/s3";',
      'import { GetObject } from "@stratus/s3/schema";',
      'const s3 = new S3({ region: "us-east-1" });',
      'const request: GetObjectRequest = { Bucket: "b", Key: "k" };',
      "const object = await s3.getObject(request);",
      "const etag: string | undefined = object.ETag;",
      "const protocol: Protocol = restXmlProtocol;",
      "const isServiceError: boolean = new NoSuchKey({} as never) instanceof ServiceError;",
      "// @ts-expect-error Key is required: the types are real, not any",
      'await s3.getObject({ Bucket: "b" });',
      "export { etag, protocol, isServiceError, GetObject };",
      "",
    ].join("\n"),
  );
  writeFileSync(
    join(project, "app.mjs"),
    [
      'import { S3 } from "@stratus/s3";',
      "const [endpoint, accessKeyId, secretAccessKey] = process.argv.slice(2);",
      "const s3 = new S3({",
      '  region: "us-east-1",',
      "  endpoint,",
      "  credentials: { accessKeyId, secretAccessKey },",
      "  endpointParams: { ForcePathStyle: true },",
      "  env: {},",
      "});",
      "try {",
      '  await s3.createBucket({ Bucket: "packed" });',
      '  await s3.putObject({ Bucket: "packed", Key: "hello.txt", Body: "hello from the tarballs", ContentType: "text/plain" });',
      '  const object = await s3.getObject({ Bucket: "packed", Key: "hello.txt" });',
      "  const text = await object.Body?.text();",
      '  console.log(JSON.stringify({ text, s3: import.meta.resolve("@stratus/s3"), core: import.meta.resolve("@stratus/core") }));',
      "} finally {",
      "  await s3.destroy();",
      "}",
      "",
    ].join("\n"),
  );
  // The core's defaults come through package `imports` (#default-transport…), which
  // TypeScript resolves only under node16/nodenext/bundler: the build writes them as
  // relative paths in the .d.ts, so a project still on `moduleResolution: "node"` types them.
  writeFileSync(
    join(project, "tsconfig.node10.json"),
    JSON.stringify({
      compilerOptions: { target: "es2024", module: "es2022", moduleResolution: "node", strict: true, noEmit: true, skipLibCheck: false, types: ["node"], typeRoots: [join(ROOT, "node_modules", "@types")] },
      files: ["consumer-node10.ts"],
    }),
  );
  writeFileSync(
    join(project, "consumer-node10.ts"),
    [
      'import { createDefaultHttpHandler, defaultCredentialProvider, defaultTransport, type TransportName } from "@stratus/core";',
      "const transport: Promise<TransportName> = defaultTransport();",
      "const handler = createDefaultHttpHandler({ maxConnections: 4 });",
      "const engine: Promise<TransportName> = handler.transport();",
      "const provider = defaultCredentialProvider({ env: {} });",
      "// @ts-expect-error the options are typed, not any",
      "defaultCredentialProvider({ env: 42 });",
      "export { transport, engine, provider };",
      "",
    ].join("\n"),
  );
  // The type checks and the app are independent: run them side by side.
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  // "" when tsc passed, else its diagnostics (or why it could not run).
  const typeCheck = (config: string) => run(NODE, [tsc, "-p", config], { cwd: project, env }).then(() => "", (error: Error & { stdout?: string }) => error.stdout || error.message);
  const [checked, checkedNode10, { stdout }] = await Promise.all([
    timed("tsc", () => typeCheck(project)),
    timed("tsc (moduleResolution node)", () => typeCheck(join(project, "tsconfig.node10.json"))),
    timed("app", () => run(NODE, ["app.mjs", server.endpoint, S3RVER_CREDENTIALS.accessKeyId, S3RVER_CREDENTIALS.secretAccessKey], { cwd: project, env })),
  ]);
  assert.equal(checked, "", "the consumer type-checks against the shipped .d.ts");
  assert.equal(checkedNode10, "", "the core's #import-backed exports are typed under moduleResolution node too");
  const result = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as { text?: string; s3?: string; core?: string };
  assert.equal(result.text, "hello from the tarballs");
  assert.ok(result.s3?.endsWith("/node_modules/@stratus/s3/dist/index.js"), `@stratus/s3 resolved to ${result.s3}`);
  assert.ok(result.core?.endsWith("/node_modules/@stratus/core/dist/index.js"), `@stratus/core resolved to ${result.core}`);
  assert.ok(result.s3?.startsWith(`file://${project}`), "resolved inside the scratch project, not the workspace");
  t.diagnostic(summary());
});

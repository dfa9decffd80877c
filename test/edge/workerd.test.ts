// Cloudflare's workerd, from the `workerd` npm package. The S3 and DynamoDB scenarios are
// bundled as a Worker the way a Workers build does it (esbuild, platform neutral, conditions
// workerd / worker / browser, Node built-ins left to the runtime), the bundle is checked for
// Node-only code, and `workerd test` runs it twice against s3rver and dynalite on loopback:
//
//   compat   compatibilityFlags ["nodejs_compat"]: node:crypto (the runtime's) signs
//   plain    no flags: no node:crypto, no Buffer, no process; sha256-js signs
//
// Both reach the servers through a network service allowed to dial loopback. Each also
// signs the signing cases, compared here with Node's signatures.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { build, type Metafile } from "esbuild";
import { startDynalite, startS3rver, type RunningServer } from "../../scripts/local-servers.ts";
import type { DynamoDBReport } from "./fixtures/dynamodb-scenario.ts";
import type { ScenarioReport } from "./fixtures/s3-scenario.ts";
import { signingCaseSignatures } from "./fixtures/signing-cases.ts";
import { describeRun, REPO, reports, run, runtimeBinary, timing } from "./runtimes.ts";

interface WorkerReport extends ScenarioReport {
  readonly worker: string;
  readonly signatures: readonly string[];
  readonly dynamodb: DynamoDBReport;
}

/** The config: two workers over one bundle, and the network service they dial out through. */
function capnp(endpoint: string, dynamodbEndpoint: string): string {
  const worker = (name: string, flags: string) => `
const ${name} :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = "2026-01-01",
  compatibilityFlags = [${flags}],
  bindings = [
    (name = "S3_ENDPOINT", text = "${endpoint}"),
    (name = "DYNAMODB_ENDPOINT", text = "${dynamodbEndpoint}"),
    (name = "WORKER", text = "${name}"),
  ],
  globalOutbound = "internet",
);`;
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "compat", worker = .compat),
    (name = "plain", worker = .plain),
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
);
${worker("compat", '"nodejs_compat"')}
${worker("plain", "")}
`;
}

describe("workerd", () => {
  let workerd: string;
  let dir: string;
  let metafile: Metafile;
  let server: RunningServer;
  let dynalite: RunningServer;

  before(async () => {
    workerd = runtimeBinary("workerd");
    dir = mkdtempSync(join(tmpdir(), "stratus-workerd-"));
    const started = performance.now();
    const result = await build({
      entryPoints: [join(REPO, "test/edge/fixtures/worker.ts")],
      outfile: join(dir, "worker.js"),
      bundle: true,
      format: "esm",
      platform: "neutral",
      conditions: ["workerd", "worker", "browser"],
      mainFields: ["browser", "module", "main"],
      // nodejs_compat provides these where the flag is on; where it is off, the bundle must
      // not need them at load time (checked below).
      external: ["node:*"],
      metafile: true,
      logLevel: "silent",
    });
    metafile = result.metafile;
    const bytes = Object.values(metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
    timing(`esbuild bundle (${Math.round(bytes / 1024)} KiB, not minified)`, Math.round(performance.now() - started));
    server = await startS3rver();
    dynalite = await startDynalite();
  });
  after(async () => {
    await server?.close();
    await dynalite?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the bundle holds no undici and imports no Node built-in at load time", () => {
    const inputs = Object.keys(metafile.inputs);
    assert.deepEqual(inputs.filter((path) => /node_modules\/(\.pnpm\/)?undici/.test(path)), [], "undici is not bundled");
    assert.ok(inputs.some((path) => path.endsWith("packages/core/src/http/fetch-handler.ts")), "the fetch handler is in");
    // The workerd/worker/browser conditions pick the edge build's defaults, so neither Node
    // transport nor the Node chain's file, process, SSO, container and IMDS links are in.
    assert.ok(inputs.some((path) => path.endsWith("packages/core/src/client/transport.edge.ts")), "the edge transport is in");
    assert.ok(inputs.some((path) => path.endsWith("packages/core/src/credentials/default-chain.edge.ts")), "the edge credential chain is in");
    const nodeOnly = /packages\/core\/src\/(http\/(node-http-transport|undici-exchange|load-undici|simple-request)|client\/transport|credentials\/(default-chain|imds-client|sso-token|sts|providers\/(imds|container|process|sso|config-file|credentials-file|web-identity)))\.ts$/;
    // A module esbuild read but tree-shook away is among the inputs; what counts is output.
    const emitted = Object.values(metafile.outputs).flatMap((output) => Object.entries(output.inputs).filter(([, input]) => input.bytesInOutput > 0).map(([path]) => path));
    assert.deepEqual(emitted.filter((path) => nodeOnly.test(path)), [], "no Node-only transport or credential link");
    const staticBuiltins: string[] = [];
    for (const [path, input] of Object.entries(metafile.inputs)) {
      for (const imported of input.imports) {
        if (imported.path.startsWith("node:") && imported.kind !== "dynamic-import") staticBuiltins.push(`${relative(REPO, path)} → ${imported.path}`);
      }
    }
    assert.deepEqual(staticBuiltins, [], "Node built-ins are imported only on use (await import / process.getBuiltinModule)");
  });

  it("runs the S3 and DynamoDB scenarios with and without nodejs_compat, signing like Node", async () => {
    writeFileSync(join(dir, "config.capnp"), capnp(server.endpoint, dynalite.endpoint));
    const result = await run(workerd, ["test", "--verbose", "config.capnp"], { cwd: dir, timeoutMs: 30_000 });
    timing("workerd test (both workers)", result.ms);
    assert.equal(result.code, 0, describeRun("workerd test", result));
    const byWorker = new Map(reports<WorkerReport>(result.stdout).map((report) => [report.worker, report]));
    const expected = signingCaseSignatures();
    for (const [name, hash] of [["compat", "node:crypto"], ["plain", "sha256-js"]] as const) {
      const report = byWorker.get(name);
      assert.ok(report, describeRun(`no report from the ${name} worker`, result));
      timing(`workerd ${name} S3 scenario (calls)`, report.ms);
      assert.deepEqual(report.steps.filter((step) => !step.endsWith(": ok")), [], `every step passed in the ${name} worker`);
      // The JSON protocol and the document layer's binary attributes, with and without Buffer.
      assert.deepEqual(report.dynamodb.steps.filter((step) => !step.endsWith(": ok")), [], `every DynamoDB step passed in the ${name} worker`);
      assert.equal(report.dynamodb.steps.length, 5, "the DynamoDB scenario ran whole");
      // Without nodejs_compat there is no `process`: a client made without `env` still works.
      if (name === "plain") assert.ok(report.steps.includes("a client without env, where there is no process: ok"), "the no-process step ran");
      assert.equal(report.runtime, "Cloudflare-Workers");
      assert.equal(report.transport, "fetch");
      assert.equal(report.hash, hash);
      assert.deepEqual(report.signatures, expected, `the ${name} worker signs as Node does`);
    }
    assert.match(result.stderr, /\[ PASS \] compat/);
    assert.match(result.stderr, /\[ PASS \] plain/);
  });
});

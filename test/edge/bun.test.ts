// Bun, from the `bun` npm package: a subset of the core's own suite run by `bun test` (it
// runs node:test files), then the S3 scenario against s3rver with Bun's fetch as the
// transport and node:crypto (Bun's) for SigV4.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startS3rver, type RunningServer } from "../../scripts/local-servers.ts";
import type { ScenarioReport } from "./fixtures/s3-scenario.ts";
import { CORE_SUBSET, describeRun, reports, run, runtimeBinary, SUBSET_MARKERS, timing } from "./runtimes.ts";

describe("Bun", () => {
  let bun: string;
  before(() => {
    bun = runtimeBinary("bun");
  });

  it("runs the core subset with bun test, without a failure", async () => {
    const result = await run(bun, ["test", `./${CORE_SUBSET}`], { timeoutMs: 30_000 });
    timing("bun test (core subset)", result.ms);
    const output = `${result.stdout}\n${result.stderr}`;
    assert.equal(result.code, 0, describeRun("bun test", result));
    const summary = /^\s*(\d+) pass\s*\n(?:\s*\d+ skip\s*\n)?\s*(\d+) fail/m.exec(output);
    assert.ok(summary, describeRun("bun test printed no summary", result));
    assert.equal(Number(summary[2]), 0, describeRun("bun test", result));
    assert.ok(Number(summary[1]) > 150, `only ${summary[1]} tests passed`);
    for (const name of SUBSET_MARKERS) assert.ok(output.includes(`(pass) ${name}`), `"${name}" passed`);
    assert.match(output, /sigv4 suite: (\d+)\/\1 cases pass/, "the SigV4 conformance suite ran whole");
  });

  describe("S3 against s3rver", () => {
    let server: RunningServer;
    before(async () => {
      server = await startS3rver();
    });
    after(async () => {
      await server?.close();
    });

    it("puts, gets (streamed), lists, aborts and deletes with Bun's fetch", async () => {
      const result = await run(bun, ["test/edge/fixtures/s3-main.ts", server.endpoint, "edge-bun"], { timeoutMs: 30_000 });
      timing("bun S3 scenario (process)", result.ms);
      assert.equal(result.code, 0, describeRun("bun s3-main.ts", result));
      const [report] = reports<ScenarioReport>(result.stdout);
      assert.ok(report, describeRun("no report", result));
      timing("bun S3 scenario (calls)", report.ms);
      assert.deepEqual(report.steps.filter((step) => !step.endsWith(": ok")), [], "every step passed");
      assert.equal(report.ok, true);
      assert.match(report.runtime, /^Bun\//);
      assert.equal(report.transport, "fetch");
      assert.equal(report.hash, "node:crypto");
    });
  });
});

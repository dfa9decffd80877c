// Deno, from the `deno` npm package: a subset of the core's own suite run by `deno test`
// (it runs node:test files), then the S3 scenario against s3rver with Deno's fetch as the
// transport, under the narrowest permissions the client needs: loopback network and
// reading files (the shared config files it looks for, the npm modules it loads).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startS3rver, type RunningServer } from "../../scripts/local-servers.ts";
import type { ScenarioReport } from "./fixtures/s3-scenario.ts";
import { CORE_SUBSET, describeRun, reports, run, runtimeBinary, SUBSET_MARKERS, timing } from "./runtimes.ts";

describe("Deno", () => {
  let deno: string;
  before(() => {
    deno = runtimeBinary("deno");
  });

  it("runs the core subset with deno test, without a failure", async () => {
    // --no-check: the workspace's own type check covers these files; -A: the suites make
    // temp homes and loopback servers.
    const result = await run(deno, ["test", "--no-check", "-A", CORE_SUBSET], { timeoutMs: 30_000 });
    timing("deno test (core subset)", result.ms);
    // Deno colours its report even with NO_COLOR when it is not a terminal's; drop that.
    const output = `${result.stdout}\n${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, "");
    assert.equal(result.code, 0, describeRun("deno test", result));
    const summary = /ok \| (\d+) passed(?: \(\d+ steps\))? \| (\d+) failed/.exec(output);
    assert.ok(summary, describeRun("deno test printed no summary", result));
    assert.equal(Number(summary[2]), 0, describeRun("deno test", result));
    assert.ok(Number(summary[1]) > 150, `only ${summary[1]} tests passed`);
    for (const name of SUBSET_MARKERS) assert.ok(output.includes(`${name} ... ok`), `"${name}" passed`);
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

    it("puts, gets (streamed), lists, aborts and deletes with Deno's fetch, on loopback network and file reads only", async () => {
      const args = ["run", "--no-prompt", "--allow-net=127.0.0.1", "--allow-read", "test/edge/fixtures/s3-main.ts", server.endpoint, "edge-deno"];
      const result = await run(deno, args, { timeoutMs: 30_000 });
      timing("deno S3 scenario (process)", result.ms);
      assert.equal(result.code, 0, describeRun("deno run s3-main.ts", result));
      const [report] = reports<ScenarioReport>(result.stdout);
      assert.ok(report, describeRun("no report", result));
      timing("deno S3 scenario (calls)", report.ms);
      assert.deepEqual(report.steps.filter((step) => !step.endsWith(": ok")), [], "every step passed");
      assert.equal(report.ok, true);
      assert.match(report.runtime, /^Deno\//);
      assert.equal(report.transport, "fetch");
      assert.equal(report.hash, "node:crypto");
    });
  });
});

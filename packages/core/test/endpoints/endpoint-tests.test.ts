/**
 * Runs every case of the published endpoint test suites (../shared/conformance/
 * endpoint-tests/<service>.json, read in place, never copied) against the same service's
 * rule set (../shared/models/<service>/<api-version>/endpoint-rule-set-1.json) and the
 * shared partitions.json. Each case's `params` are passed as they are: the suites already
 * spell out the parameters that `operationInputs` / `builtInParams` would produce.
 *
 * An expected endpoint is compared on url, headers and properties (deep-equal; a missing
 * headers / properties means empty); an expected error on its message, which must come
 * from the rule set (an EndpointError), not from anything else going wrong.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { EndpointError, resolveEndpoint } from "../../src/endpoints/index.ts";
import type { EndpointParams, PartitionsData, RuleSet } from "../../src/endpoints/index.ts";

const SHARED = join(import.meta.dirname, "..", "..", "..", "..", "..", "shared");
const SUITES = join(SHARED, "conformance", "endpoint-tests");
const MODELS = join(SHARED, "models");

interface TestCase {
  readonly documentation?: string;
  readonly params?: EndpointParams;
  readonly expect: {
    readonly error?: string;
    readonly endpoint?: {
      readonly url: string;
      readonly headers?: Record<string, string[]>;
      readonly properties?: Record<string, unknown>;
    };
  };
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

/** The newest api-version folder of a service that holds an endpoint rule set. */
function ruleSetPath(service: string): string {
  const versions = readdirSync(join(MODELS, service)).sort();
  const version = versions.findLast((v) => existsSync(join(MODELS, service, v, "endpoint-rule-set-1.json")));
  if (!version) throw new Error(`no endpoint-rule-set-1.json for ${service}`);
  return join(MODELS, service, version, "endpoint-rule-set-1.json");
}

const partitions = readJson<PartitionsData>(join(MODELS, "partitions.json"));
const services = readdirSync(SUITES)
  .filter((name) => name.endsWith(".json"))
  .map((name) => name.slice(0, -".json".length))
  .sort();

const counts = new Map<string, { passed: number; total: number }>();

for (const service of services) {
  const ruleSet = readJson<RuleSet>(ruleSetPath(service));
  const cases = readJson<{ testCases: TestCase[] }>(join(SUITES, `${service}.json`)).testCases;
  const tally = { passed: 0, total: cases.length };
  counts.set(service, tally);

  cases.forEach((c, index) => {
    test(`${service} #${index}: ${c.documentation ?? "(undocumented)"}`, () => {
      const params = c.params ?? {};
      if (c.expect.endpoint) {
        const got = resolveEndpoint(ruleSet, params, { partitions });
        assert.deepStrictEqual(
          { url: got.url, headers: got.headers, properties: got.properties },
          {
            url: c.expect.endpoint.url,
            headers: c.expect.endpoint.headers ?? {},
            properties: c.expect.endpoint.properties ?? {},
          },
        );
      } else {
        assert.throws(
          () => resolveEndpoint(ruleSet, params, { partitions }),
          (error: unknown) => {
            assert.ok(error instanceof EndpointError, `expected an EndpointError, got ${String(error)}`);
            assert.equal(error.message, c.expect.error);
            return true;
          },
        );
      }
      tally.passed++;
    });
  });
}

after(() => {
  let passed = 0;
  let total = 0;
  for (const [service, tally] of counts) {
    passed += tally.passed;
    total += tally.total;
    console.log(`  ${service}: ${tally.passed}/${tally.total}`);
  }
  console.log(`endpoint tests: ${passed}/${total}`);
});

/**
 * The endpoint rule sets as the generated packages ship them (compact JSON in a string,
 * expanded by the core on import: packages/core/src/endpoints/compact.ts) resolve every
 * case of the published endpoint test suites (../shared/conformance/endpoint-tests, read in
 * place) exactly as expected: the same cases the core's own endpoint tests run against the
 * botocore JSON, here against what an application actually loads.
 *
 * Also: each expands to exactly the model's rule set, every branch of it compiles (the
 * static checks a resolution applies only to the trees it enters), and S3's shares its
 * repeated subtrees as one object each, not copies.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { EndpointError, resolveEndpoint, type EndpointParams, type RuleSet } from "@stratus/core";
import { partitionsData } from "../../packages/core/src/endpoints/partitions-data.ts";
import { checkRuleSet } from "../../packages/core/src/endpoints/rule-set.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const SUITES = join(ROOT, "..", "shared", "conformance", "endpoint-tests");

interface TestCase {
  readonly documentation?: string;
  readonly params?: EndpointParams;
  readonly expect: {
    readonly error?: string;
    readonly endpoint?: { readonly url: string; readonly headers?: Record<string, string[]>; readonly properties?: Record<string, unknown> };
  };
}

const services = existsSync(SUITES)
  ? readdirSync(SUITES)
      .filter((name) => name.endsWith(".json") && existsSync(join(ROOT, "packages", name.slice(0, -".json".length), "src", "generated", "endpoint-rule-set.ts")))
      .map((name) => name.slice(0, -".json".length))
      .sort()
  : [];

test("there are endpoint suites for the generated packages", { skip: existsSync(SUITES) ? false : `no suites at ${SUITES}` }, () => {
  assert.ok(services.length >= 19, `only ${services.length} suites matched a package`);
});

for (const service of services) {
  test(`${service}: the shipped rule set passes the endpoint suite`, async () => {
    const generated = join(ROOT, "packages", service, "src", "generated", "endpoint-rule-set.ts");
    const { endpointRuleSet } = (await import(generated)) as { endpointRuleSet: RuleSet };
    const modelRuleSet = (JSON.parse(readFileSync(join(ROOT, "models", `${service}.json`), "utf8")) as { endpointRuleSet: RuleSet }).endpointRuleSet;
    assert.deepStrictEqual(endpointRuleSet, modelRuleSet, "expands to the model's rule set");
    // Every branch passes the compiler's static checks (a call compiles only the trees it enters).
    checkRuleSet(endpointRuleSet);

    const cases = (JSON.parse(readFileSync(join(SUITES, `${service}.json`), "utf8")) as { testCases: TestCase[] }).testCases;
    const failures: string[] = [];
    cases.forEach((c, index) => {
      const name = `#${index} ${c.documentation ?? ""}`;
      try {
        const params = c.params ?? {};
        if (c.expect.endpoint) {
          const got = resolveEndpoint(endpointRuleSet, params, { partitions: partitionsData });
          assert.deepStrictEqual(
            { url: got.url, headers: got.headers, properties: got.properties },
            { url: c.expect.endpoint.url, headers: c.expect.endpoint.headers ?? {}, properties: c.expect.endpoint.properties ?? {} },
          );
        } else {
          assert.throws(
            () => resolveEndpoint(endpointRuleSet, params, { partitions: partitionsData }),
            (error: unknown) => error instanceof EndpointError && error.message === c.expect.error,
          );
        }
      } catch (error) {
        failures.push(`${name}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
      }
    });
    assert.deepEqual(failures, [], `${failures.length} of ${cases.length} cases failed`);
    assert.ok(cases.length > 0);
  });
}

test("S3's shipped rule set shares repeated subtrees instead of copying them", async () => {
  const { endpointRuleSet } = (await import(join(ROOT, "packages", "s3", "src", "generated", "endpoint-rule-set.ts"))) as { endpointRuleSet: RuleSet };
  const seen = new Set<object>();
  let shared = 0;
  const walk = (value: unknown): void => {
    if (value === null || typeof value !== "object") return;
    if (seen.has(value)) {
      shared++;
      return;
    }
    seen.add(value);
    for (const child of Object.values(value)) walk(child);
  };
  walk(endpointRuleSet);
  assert.ok(shared > 100, `only ${shared} shared subtrees`);
});

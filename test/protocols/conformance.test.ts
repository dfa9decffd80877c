/**
 * The protocol conformance harness: every case of every suite in
 * ../shared/conformance/protocols/{input,output}/*.json, run against the one protocol
 * table (`PROTOCOLS`), one `test()` per case titled "<protocol file> <direction> <case id>".
 *
 * - Input cases: build the schema from the suite (`harness/suites.ts`), serialize the
 *   case's params (as a caller would pass them, `harness/params.ts`) with a fixed
 *   idempotency token and the suite's client endpoint, and
 *   compare the request with `serialized` (`harness/compare.ts` says how).
 * - Output cases: build the raw response (CBOR suites carry their body base64-encoded),
 *   then either parse it and compare with `result`, or, when the case has an `errorCode`,
 *   parse the error and compare its code, message and fields; either way the values must
 *   also have the SDK's output types (Date, Uint8Array…) for their shapes.
 *
 * A protocol missing from the table fails its cases; it never skips them. The only skips
 * are the entries of `skips.json`, each with a reason, and an entry that names no case is
 * itself a failure (so the list cannot rot). The run ends with one count line per suite
 * file and direction and a total, all counted from the files.
 */
import { AssertionError } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { PROTOCOLS } from "../../packages/core/src/protocols/index.ts";
import type { RawResponse } from "../../packages/core/src/protocols/protocol.ts";
import { resolveShape } from "../../packages/core/src/schema/normalize.ts";
import { checkOutputTypes, compareRequest, compareValue, normalizeOutput, show } from "./harness/compare.ts";
import { callerValue } from "./harness/params.ts";
import { caseSchema, loadSuiteFiles, suiteEndpoint, type Suite, type SuiteCase, type SuiteFile } from "./harness/suites.ts";

const IDEMPOTENCY_TOKEN = "00000000-0000-4000-8000-000000000000";

const skips = (JSON.parse(readFileSync(join(import.meta.dirname, "skips.json"), "utf8")) as { skips: Record<string, string> }).skips;
const files = loadSuiteFiles();

/** CBOR suites write request and response bodies as base64. */
function isBinary(suite: Suite): boolean {
  return suite.metadata["protocol"] === "smithy-rpc-v2-cbor";
}

function runInput(suite: Suite, testCase: SuiteCase): string[] {
  const { service, operation } = caseSchema(suite, testCase);
  const protocol = PROTOCOLS[service.protocol];
  if (!protocol) return [`protocol "${service.protocol}" is not in PROTOCOLS`];
  const endpoint = suiteEndpoint(suite);
  const request = protocol.serializeRequest({
    service,
    operation,
    input: operation.input ? (callerValue(testCase.params ?? {}, resolveShape(operation.input)) as Record<string, unknown>) : (testCase.params ?? {}),
    endpoint,
    idempotencyToken: () => IDEMPOTENCY_TOKEN,
  });
  return compareRequest({
    expected: testCase.serialized ?? {},
    actual: request,
    endpoint,
    binaryBody: isBinary(suite),
  });
}

function runOutput(suite: Suite, testCase: SuiteCase): string[] {
  const { service, operation } = caseSchema(suite, testCase);
  const protocol = PROTOCOLS[service.protocol];
  if (!protocol) return [`protocol "${service.protocol}" is not in PROTOCOLS`];
  const fixture = testCase.response ?? { status_code: 200 };
  const body = fixture.body ?? "";
  const response: RawResponse = {
    statusCode: fixture.status_code,
    headers: Object.fromEntries(Object.entries(fixture.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value])),
    body: isBinary(suite) ? new Uint8Array(Buffer.from(body, "base64")) : new TextEncoder().encode(body),
  };
  const call = { service, operation, response };
  if (testCase.errorCode === undefined) {
    const output = protocol.parseResponse(call);
    return [
      ...(operation.output ? checkOutputTypes(output, resolveShape(operation.output)) : []),
      ...compareValue("output", testCase.result ?? {}, normalizeOutput(output)),
    ];
  }
  const error = protocol.parseError(call);
  return [
    ...compareValue("error code", testCase.errorCode, error.code),
    ...(testCase.errorMessage !== undefined ? compareValue("error message", testCase.errorMessage, error.message) : []),
    ...(error.shape ? checkOutputTypes(error.fields, error.shape, "error") : []),
    ...compareValue("error fields", testCase.error ?? {}, normalizeOutput(error.fields)),
  ];
}

interface Tally {
  total: number;
  passed: number;
  skipped: number;
}

const tallies = new Map<string, Tally>();
const titles = new Set<string>();

function register(file: SuiteFile, suite: Suite, testCase: SuiteCase, tally: Tally): void {
  const title = `${file.name} ${file.direction} ${testCase.id}`;
  titles.add(title);
  tally.total++;
  const reason = skips[title];
  if (reason !== undefined) {
    tally.skipped++;
    test(title, { skip: reason }, () => {});
    return;
  }
  test(title, () => {
    const problems = file.direction === "input" ? runInput(suite, testCase) : runOutput(suite, testCase);
    if (problems.length > 0) {
      throw new AssertionError({
        message: `${suite.description}: ${testCase.description ?? ""}\n  - ${problems.join("\n  - ")}`,
      });
    }
    tally.passed++;
  });
}

for (const file of files) {
  const tally: Tally = { total: 0, passed: 0, skipped: 0 };
  tallies.set(`${file.name} ${file.direction}`, tally);
  for (const suite of file.suites) {
    for (const testCase of suite.cases) register(file, suite, testCase, tally);
  }
}

test("skips.json names only cases that exist", () => {
  const stale = Object.keys(skips).filter((title) => !titles.has(title));
  if (stale.length > 0) throw new AssertionError({ message: `skips.json names no such case: ${show(stale)}` });
});

after(() => {
  const line = (t: Tally): string => `${t.passed}/${t.total} cases pass, ${t.skipped} skipped`;
  const total: Tally = { total: 0, passed: 0, skipped: 0 };
  for (const [name, tally] of tallies) {
    console.log(`protocol conformance (${name}): ${line(tally)}`);
    total.total += tally.total;
    total.passed += tally.passed;
    total.skipped += tally.skipped;
  }
  console.log(`protocol conformance: ${line(total)}`);
});

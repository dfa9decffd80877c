/**
 * The protocol conformance harness: every case of every suite in
 * ../shared/conformance/protocols/{input,output}/*.json, run against the one protocol
 * table (`PROTOCOLS`), one `test()` per case titled "<protocol file> <direction> <case id>".
 *
 * - Input cases: build the schema from the suite (`harness/suites.ts`), serialize the
 *   case's params (as a caller would pass them, `harness/params.ts`) with a fixed
 *   idempotency token and the suite's client endpoint, run the request through the
 *   pipeline's steps that follow serialization, in the pipeline's order (compress, then
 *   Content-MD5; signing is the SigV4 suite's business), and compare the request with
 *   `serialized` (`harness/compare.ts` says how). The cases carry no compression settings,
 *   so the defaults apply (10,240 bytes; the compression cases send 10,368). The suites
 *   write bodies uncompressed and check only the Content-Encoding of compressed ones, so a
 *   gzipped body is compared after gunzip, and is also checked to gunzip to exactly what
 *   the serializer produced, with a Content-Length that counts the compressed bytes.
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
import { gunzipSync } from "node:zlib";
import { compressRequest } from "../../packages/core/src/client/steps/compress-request.ts";
import { applyContentMd5 } from "../../packages/core/src/client/steps/content-md5.ts";
import { resolveCompressionSettings } from "../../packages/core/src/config/compression.ts";
import type { HttpRequest } from "../../packages/core/src/http/http-request.ts";
import { PROTOCOLS } from "../../packages/core/src/protocols/index.ts";
import type { RawResponse } from "../../packages/core/src/protocols/protocol.ts";
import { resolveShape } from "../../packages/core/src/schema/normalize.ts";
import { checkOutputTypes, compareRequest, compareValue, normalizeOutput, show } from "./harness/compare.ts";
import { callerValue } from "./harness/params.ts";
import { caseSchema, loadSuiteFiles, suiteEndpoint, type Suite, type SuiteCase, type SuiteFile } from "./harness/suites.ts";

const IDEMPOTENCY_TOKEN = "00000000-0000-4000-8000-000000000000";
/** What a client with no compression settings in its environment or profile uses. */
const COMPRESSION = resolveCompressionSettings({ env: {} });

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
  const serialized = protocol.serializeRequest({
    service,
    operation,
    input: operation.input ? (callerValue(testCase.params ?? {}, resolveShape(operation.input)) as Record<string, unknown>) : (testCase.params ?? {}),
    endpoint,
    idempotencyToken: () => IDEMPOTENCY_TOKEN,
  });
  const compressed = compressRequest(serialized, operation, COMPRESSION);
  const request = applyContentMd5(compressed, operation);
  const problems = compressed === serialized ? [] : checkCompressed(serialized, compressed);
  return [
    ...problems,
    ...compareRequest({
      expected: testCase.serialized ?? {},
      // The suites write the body as it was before compression (see the header).
      actual: compressed === serialized ? request : { ...request, body: gunzip(request.body) },
      endpoint,
      binaryBody: isBinary(suite),
    }),
  ];
}

function gunzip(body: HttpRequest["body"]): Uint8Array {
  if (!(body instanceof Uint8Array)) throw new AssertionError({ message: `a compressed body must be bytes, got ${typeof body}` });
  return new Uint8Array(gunzipSync(body));
}

/** A compressed request is the serialized one, gzipped, with its Content-Length updated. */
function checkCompressed(before: HttpRequest, after: HttpRequest): string[] {
  const original = typeof before.body === "string" ? Buffer.from(before.body, "utf8") : Buffer.from(before.body instanceof Uint8Array ? before.body : new Uint8Array(0));
  const problems: string[] = [];
  let restored: Buffer | undefined;
  try {
    restored = Buffer.from(gunzip(after.body));
  } catch (error) {
    problems.push(`compressed body does not gunzip: ${String(error)}`);
  }
  if (restored && !restored.equals(original)) problems.push("compressed body does not gunzip to the serialized body");
  const length = after.body instanceof Uint8Array ? after.body.byteLength : -1;
  if (after.headers["content-length"] !== undefined && after.headers["content-length"] !== String(length)) {
    problems.push(`content-length ${after.headers["content-length"]} is not the compressed length ${length}`);
  }
  return problems;
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

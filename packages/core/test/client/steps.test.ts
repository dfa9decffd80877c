// The pipeline's small pieces on their own: endpoint parameters and their precedence,
// applying an endpoint to a relative request, the signing target from authSchemes, the
// endpoint cache, the clock offset, the call scope's deadline and abort.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CallScope } from "../../src/client/call-scope.ts";
import { ClockOffset, CLOCK_SKEW_THRESHOLD_MS } from "../../src/client/clock.ts";
import {
  applyEndpoint,
  EndpointCache,
  endpointParameters,
  resolveCallEndpoint,
  type CallEndpoint,
  type EndpointSettings,
} from "../../src/client/steps/endpoint.ts";
import { AbortError, TimeoutError } from "../../src/errors/index.ts";
import type { RuleSet } from "../../src/endpoints/index.ts";
import type { HttpRequest } from "../../src/http/http-request.ts";
import type { OperationSchema, ServiceSchema } from "../../src/schema/types.ts";
import { loadService, op, PARTITIONS } from "./service-fixtures.ts";

const s3 = loadService("s3", "2006-03-01", { stripBucketFromPath: true });

function settings(ruleSet: RuleSet, service: ServiceSchema, extra: Partial<EndpointSettings> = {}): EndpointSettings {
  return {
    service,
    ruleSet,
    partitions: PARTITIONS,
    region: "us-west-2",
    endpointUrl: undefined,
    useFips: false,
    useDualStack: false,
    clientParams: {},
    cache: new EndpointCache(),
    ...extra,
  };
}

test("endpoint parameters: built-ins < client params < input context params < static params < hooks", () => {
  const base = settings(s3.definition.endpointRuleSet, s3.definition.schema, {
    endpointUrl: "http://localhost:9000",
    clientParams: { ForcePathStyle: true, Accelerate: false, Bucket: "from-client" },
  });
  const getObject = op(s3, "GetObject");
  const withStatic: OperationSchema = { ...getObject, staticContextParams: { Accelerate: true } };
  const params = endpointParameters(base, withStatic, { Bucket: "from-input", Key: "k" }, [
    { endpointParams: (p) => void (p["UseArnRegion"] = true) },
  ], { operation: withStatic, input: {}, attempt: 0 });
  assert.equal(params["Region"], "us-west-2");
  assert.equal(params["UseFIPS"], false);
  assert.equal(params["Endpoint"], "http://localhost:9000");
  assert.equal(params["ForcePathStyle"], true);
  assert.equal(params["Bucket"], "from-input");
  assert.equal(params["Key"], "k");
  assert.equal(params["Accelerate"], true);
  assert.equal(params["UseArnRegion"], true);
});

test("applying an endpoint: scheme, host prefix + host, port, base path joined like botocore", () => {
  const endpoint = (url: string): CallEndpoint => ({
    url: new URL(url),
    headers: { "x-extra": ["a", "b"] },
    signing: { scheme: "none" },
    resolved: { url, headers: {}, properties: {} },
  });
  const relative: HttpRequest = { method: "GET", protocol: "https:", hostname: "", path: "/k", query: [["a", "1"]], headers: {} };
  const applied = applyEndpoint(relative, endpoint("http://127.0.0.1:9000/bucket"));
  assert.deepEqual(
    { protocol: applied.protocol, hostname: applied.hostname, port: applied.port, path: applied.path, query: applied.query },
    { protocol: "http:", hostname: "127.0.0.1", port: 9000, path: "/bucket/k", query: [["a", "1"]] },
  );
  assert.equal(applied.headers["x-extra"], "a,b");
  assert.equal(relative.hostname, "", "the input request is not changed");
  // "/" adds nothing to a base path; a trailing slash is not doubled.
  assert.equal(applyEndpoint({ ...relative, path: "/" }, endpoint("https://s3.amazonaws.com/bucket")).path, "/bucket");
  assert.equal(applyEndpoint({ ...relative, path: "/" }, endpoint("https://sqs.amazonaws.com")).path, "/");
  assert.equal(applyEndpoint(relative, endpoint("https://h.example/base/")).path, "/base/k");
  // A host prefix the serializer wrote goes in front; IPv6 loses its brackets.
  assert.equal(applyEndpoint({ ...relative, hostname: "data." }, endpoint("https://svc.example")).hostname, "data.svc.example");
  const v6 = applyEndpoint(relative, endpoint("http://[::1]:8080"));
  assert.equal(v6.hostname, "::1");
  assert.equal(v6.port, 8080);
});

test("the signing target comes from authSchemes; auth 'none' and unknown schemes", () => {
  const base = settings(s3.definition.endpointRuleSet, s3.definition.schema);
  const getObject = op(s3, "GetObject");
  const params = { Region: "eu-west-1", Bucket: "b", Key: "k", UseFIPS: false, UseDualStack: false };
  const resolved = resolveCallEndpoint(base, getObject, params);
  assert.deepEqual(resolved.signing, { scheme: "sigv4", name: "s3", region: "eu-west-1", disableDoubleEncoding: true });
  assert.deepEqual(resolveCallEndpoint(base, { ...getObject, auth: "none" }, params).signing, { scheme: "none" });

  const ruleSet = (authSchemes: unknown): RuleSet => ({
    version: "1.0",
    parameters: {},
    rules: [{ type: "endpoint", conditions: [], endpoint: { url: "https://x.example", properties: authSchemes === undefined ? {} : { authSchemes: authSchemes as never } } }],
  });
  const sigv4aOnly = settings(ruleSet([{ name: "sigv4a", signingName: "s3", signingRegionSet: ["*"] }]), s3.definition.schema);
  assert.throws(() => resolveCallEndpoint(sigv4aOnly, getObject, {}), /cannot sign with yet \(sigv4a\)/);
  const both = settings(ruleSet([{ name: "sigv4a" }, { name: "sigv4", signingName: "custom" }]), s3.definition.schema);
  assert.deepEqual(resolveCallEndpoint(both, getObject, {}).signing, { scheme: "sigv4", name: "custom", region: "us-west-2", disableDoubleEncoding: false });
  const none = settings(ruleSet(undefined), s3.definition.schema);
  assert.deepEqual(resolveCallEndpoint(none, getObject, {}).signing, { scheme: "sigv4", name: "s3", region: "us-west-2", disableDoubleEncoding: false });
  const ftp = settings({ version: "1.0", parameters: {}, rules: [{ type: "endpoint", conditions: [], endpoint: { url: "ftp://x.example" } }] }, s3.definition.schema);
  assert.throws(() => resolveCallEndpoint(ftp, getObject, {}), /only http: and https:/);
});

test("the endpoint cache answers repeated parameters without evaluating again, and keeps at most its capacity", () => {
  const cache = new EndpointCache(2);
  let computed = 0;
  const compute = () => {
    computed++;
    return { resolved: { url: "https://x", headers: {}, properties: {} }, url: new URL("https://x") };
  };
  cache.resolve("a", compute);
  cache.resolve("a", compute);
  assert.equal(computed, 1);
  cache.resolve("b", compute);
  cache.resolve("c", compute);
  assert.equal(cache.size, 2);
  cache.resolve("a", compute);
  assert.equal(computed, 4, "the oldest entry was dropped");
});

test("the clock offset: learned from Date when five minutes off or more; tells whether a request was signed skewed", () => {
  let now = Date.UTC(2025, 0, 1, 12, 0, 0);
  const clock = new ClockOffset(() => now);
  assert.equal(clock.now().getTime(), now);
  const signedAt = clock.now();
  const serverAhead = new Date(now + 60 * 60_000).toUTCString();
  assert.equal(clock.correct(serverAhead, signedAt), true);
  assert.equal(clock.offsetMs, 60 * 60_000);
  assert.equal(clock.now().getTime(), now + 60 * 60_000);
  // Small differences are noise; the offset stays.
  now += 1_000;
  assert.equal(clock.correct(new Date(now + 60 * 60_000 + 30_000).toUTCString(), clock.now()), false);
  assert.equal(clock.offsetMs, 60 * 60_000);
  assert.equal(clock.correct("not a date", signedAt), false);
  assert.equal(clock.correct(undefined, signedAt), false);
  assert.equal(CLOCK_SKEW_THRESHOLD_MS, 300_000);
});

test("the call scope: the deadline fires a TimeoutError, the caller's abort an AbortError, close() clears the timer", async () => {
  const timed = new CallScope({ timeout: 20 });
  await assert.rejects(timed.sleep(1_000), (error: unknown) => error instanceof TimeoutError && error.timeout === "call");
  assert.ok(timed.failure(new Error("socket")) instanceof TimeoutError);
  timed.close();

  const controller = new AbortController();
  const scope = new CallScope({ signal: controller.signal, timeout: 60_000 });
  const sleeping = scope.sleep(60_000);
  controller.abort("why");
  await assert.rejects(sleeping, (error: unknown) => error instanceof AbortError && error.reason === "why");
  scope.close();

  const quiet = new CallScope({ timeout: 60_000 });
  quiet.close();
  assert.equal(quiet.signal.aborted, false);
  assert.equal(process.getActiveResourcesInfo().filter((name) => name === "Timeout").length, 0);
  assert.throws(() => new CallScope({ timeout: 0 }), /positive number of milliseconds/);
  assert.throws(() => new CallScope({ timeout: Number.NaN }), /positive number/);
});

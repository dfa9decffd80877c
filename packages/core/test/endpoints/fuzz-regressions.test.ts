// What the fuzz suite (test/fuzz/endpoints.fuzz.ts) found in endpoint resolution, against
// the published S3 rule set (../shared/models, read in place):
// - parseURL refused hosts that WHATWG URL, the client's own endpoint check and the v3
//   SDK's parseURL all accept (an IDN, a quote), and S3 rules that try parseURL and fall
//   through when it fails then sent the call to AWS, ignoring the configured endpoint;
// - parameters that cannot make a URL together (an access point ARN in front of an IPv6
//   endpoint) came back as an unparsable URL instead of an EndpointError.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { EndpointError, resolveEndpoint } from "../../src/endpoints/index.ts";
import type { PartitionsData, RuleSet } from "../../src/endpoints/index.ts";
import { parseUrl } from "../../src/endpoints/library.ts";

const MODELS = join(import.meta.dirname, "..", "..", "..", "..", "..", "shared", "models");
const versions = readdirSync(join(MODELS, "s3")).sort();
const version = versions.findLast((v) => existsSync(join(MODELS, "s3", v, "endpoint-rule-set-1.json")));
const s3 = JSON.parse(readFileSync(join(MODELS, "s3", version ?? "", "endpoint-rule-set-1.json"), "utf8")) as RuleSet;
const partitions = JSON.parse(readFileSync(join(MODELS, "partitions.json"), "utf8")) as PartitionsData;

test("parseURL takes any host WHATWG URL takes, and still refuses what it refuses", () => {
  assert.equal(parseUrl("https://s3.bücher.example")?.authority, "s3.bücher.example");
  assert.equal(parseUrl('http://"')?.authority, '"');
  assert.equal(parseUrl("http://a%41.example:8080/p")?.authority, "a%41.example:8080");
  for (const bad of ["http://a%zz", "http://a b", "http://a\\b", "http://a^b", "http://a|b", "http://a<b"]) {
    assert.equal(parseUrl(bad), undefined, bad);
  }
});

test("S3 control-plane and Object Lambda calls go to a configured endpoint with an IDN host", () => {
  for (const flag of ["UseS3ExpressControlEndpoint", "UseObjectLambdaEndpoint"]) {
    const { url } = resolveEndpoint(s3, { Region: "us-east-1", Endpoint: "https://s3.bücher.example", [flag]: true }, { partitions });
    assert.match(url, /^https:\/\/s3\.bücher\.example/, flag);
  }
});

test("an access point in front of an IPv6 endpoint is an invalid-parameter error, not an unparsable URL", () => {
  const params = { Region: "us-east-1", Endpoint: "https://[::1]:8443", Bucket: "arn:aws:s3:us-east-1:123456789012:accesspoint:myendpoint" };
  assert.throws(
    () => resolveEndpoint(s3, params, { partitions }),
    (error: unknown) => error instanceof EndpointError && error.reason === "invalid-parameter" && /not a valid URL/.test(error.message),
  );
});

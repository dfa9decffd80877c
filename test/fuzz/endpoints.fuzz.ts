/**
 * Endpoint rules: the S3 and DynamoDB rule sets (the generated packages' own) evaluated
 * with random parameters. Allowed outcomes: a resolved endpoint, or an `EndpointError`
 * whose reason is about the parameters ("error-rule", "no-rule-matched",
 * "invalid-parameter"), never "invalid-rule-set" for parameters of the declared types
 * (that would mean the engine or the rule set evaluated something it should have guarded).
 *
 * A resolved URL must be one the client can send to: it parses (WHATWG URL), is http or
 * https, has no user info, query or fragment, and its host is where the parameters point:
 * under one of the partitions' DNS suffixes, or under the host of the configured Endpoint.
 * That last check is what catches a Region or Bucket smuggling "@", "/" or "#" into the
 * authority and sending the request (and its signature) somewhere else.
 *
 * Region and Endpoint are drawn from what a client lets through (config/resolve.ts refuses anything
 * but a-z, 0-9 and "-", as botocore's validate_region_name and the v3 SDK's checkRegion
 * do): the rule sets leave host-name safety of the region to that check (DynamoDB's puts
 * any region into its URL, and the published suites expect "us-east.special" to resolve),
 * so with any other string only the typed outcome is checked, and a separate property
 * checks the client's refusal of regions. The same goes for Endpoint, which most rule sets
 * (DynamoDB's) return verbatim and which config/endpoint.ts has checked with WHATWG URL
 * before. Other parameters are drawn per declared type: strings from
 * realistic values (regions of every partition, bucket names of every kind, access point and outpost ARNs, endpoints with
 * ports, paths and IPv6 literals) mixed with odd ones (dots, "@", "#", "/", spaces,
 * upper case, Unicode, empty), booleans at random, and each parameter sometimes left out.
 * Wrongly typed parameters (numbers, objects, null, arrays for strings) must give an
 * "invalid-parameter" error.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { resolveEndpointUrl } from "../../packages/core/src/config/endpoint.ts";
import { resolveRegion } from "../../packages/core/src/config/resolve.ts";
import type { SharedConfig } from "../../packages/core/src/config/shared-config.ts";
import { EndpointError } from "../../packages/core/src/endpoints/endpoint-error.ts";
import { ConfigError } from "../../packages/core/src/errors/index.ts";
import { partitionsData } from "../../packages/core/src/endpoints/partitions-data.ts";
import { resolveEndpoint } from "../../packages/core/src/endpoints/resolve.ts";
import type { EndpointParams, ParameterSpec, RuleSet } from "../../packages/core/src/endpoints/types.ts";
import { endpointRuleSet as dynamodbRules } from "../../packages/dynamodb/src/generated/endpoint-rule-set.ts";
import { endpointRuleSet as s3Rules } from "../../packages/s3/src/generated/endpoint-rule-set.ts";
import { fuzzFamily, outcome } from "./property.ts";

const ODD = ["", " ", "@", "#", "/", "?", ":", ".", "..", "-", "a@b", "a#b", "a/b", "a b", "a\nb", "UPPER", "ünï", "%2F", "x".repeat(70), "[::1]", "1.2.3.4"];

const oddString = fc.oneof(fc.constantFrom(...ODD), fc.string({ maxLength: 20 }), fc.string({ unit: "binary", maxLength: 12 }), fc.stringMatching(/^[a-z0-9.-]{0,24}$/));

/** Regions a client lets through (config/resolve.ts `isValidRegion`): the rule sets see only these. */
const clientRegions = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("us-east-1", "eu-west-1", "ap-southeast-2", "cn-north-1", "us-gov-west-1", "us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1", "eusc-de-east-1", "aws-global", "us-east-2", "local", "-", "-us-east-1", "us-east-1-") },
  { weight: 2, arbitrary: fc.stringMatching(/^[a-z0-9-]{1,24}$/) },
);
/** Regions no client accepts, which only a direct caller of resolveEndpoint can pass. */
const oddRegions = fc.oneof(
  fc.constantFrom("us-east-1.evil.com", "us-east-1@evil.com", "us-east-1#", "us-east-1/x", "US-EAST-1", "us_east_1", "us-east.special", "\u0000"),
  oddString,
);
const regions = fc.oneof({ weight: 3, arbitrary: clientRegions }, { weight: 1, arbitrary: oddRegions });

const accessPointArns = fc.constantFrom(
  "arn:aws:s3:us-west-2:123456789012:accesspoint:myendpoint",
  "arn:aws:s3:us-west-2:123456789012:accesspoint/myendpoint",
  "arn:aws-cn:s3:cn-north-1:123456789012:accesspoint:myendpoint",
  "arn:aws:s3-object-lambda:us-east-1:123456789012:accesspoint/mybanner",
  "arn:aws:s3-outposts:us-west-2:123456789012:outpost/op-01234567890123456/accesspoint/reports",
  "arn:aws:s3-outposts:us-west-2:123456789012:outpost:op-01234567890123456:accesspoint:reports",
  "arn:aws:s3::123456789012:accesspoint:mfzwi23gnjvgw.mrap",
  "arn:aws:s3:us-west-2:123456789012:bucket_name:mybucket",
  "arn:aws:sqs:us-west-2:123456789012:someresource",
  "arn:aws:s3:us-west-2::accesspoint:myendpoint",
  "arn:aws:s3:us-west-2:123456789012:accesspoint",
  "arn:aws:s3:us-west-2:123456789012:accesspoint:my.endpoint",
  "arn:aws:s3:us-west-2:123456789012:accesspoint:@evil.com",
);

const arnParts = fc.tuple(
  fc.constantFrom("aws", "aws-cn", "aws-us-gov", "", "x"),
  fc.constantFrom("s3", "s3-outposts", "s3-object-lambda", "s3express", "dynamodb", ""),
  fc.oneof(regions, fc.constant("")),
  fc.constantFrom("123456789012", "", "abc", "1234567890123"),
  fc.array(fc.oneof(fc.constantFrom("accesspoint", "outpost", "op-01234567890123456", "bucket", "table", "my-ap", "a.b", "@evil"), oddString), { minLength: 1, maxLength: 4 }),
  fc.constantFrom(":", "/"),
).map(([partition, service, region, account, resource, separator]) => `arn:${partition}:${service}:${region}:${account}:${resource.join(separator)}`);

const buckets = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("my-bucket", "a.b.c", "abc", "ab", "192.168.5.4", "Bucket", "bucket-", "my--bucket", "mybucket--use1-az1--x-s3", "mybucket--usw2-az1--x-s3", "my.bucket--use1-az1--x-s3", "b".repeat(63), "b".repeat(64)) },
  { weight: 2, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9.-]{1,20}[a-z0-9]$/) },
  { weight: 2, arbitrary: accessPointArns },
  { weight: 2, arbitrary: arnParts },
  { weight: 2, arbitrary: oddString },
);

const endpoints = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "https://example.com", "http://127.0.0.1:9000", "http://localhost:4566", "https://s3.example.com/base/path", "https://example.com/",
      "https://[::1]:8443", "http://[fe80::1%25en0]:80/x", "https://EXAMPLE.com", "https://example.com:65535", "https://a%41.example.com",
      "https://bücket.example.com", "http://my_host:9000", "http://a{b}.test",
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "https://example.com:99999", "https://user@example.com", "https://example.com?x=1", "https://example.com#frag", "ftp://example.com",
      "http:///p", "http://\\host", " http://host", "http://ho\tst", "http:host",
      "https://", "example.com", "https://exa mple.com", "https://a%zz", "https://a!b$c", "https://[::1", "http://1.2.3.4.5",
    ),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom("http://", "https://"), oddString, fc.constantFrom("", "/", "/p", ":80", ":x")).map((parts) => parts.join("")) },
  { weight: 1, arbitrary: oddString },
);

/** An explicit endpoint is checked without reading any shared file. */
const NO_SHARED_CONFIG = undefined as unknown as SharedConfig;

/**
 * Endpoints a client passes on: what config/endpoint.ts lets through (WHATWG URL parses
 * it, http or https, written the way it parses); user info, a query or a fragment the user wrote would be theirs to
 * keep, so they are left out here to keep the host checks meaningful.
 */
const clientEndpoints = endpoints
  .map((text) => {
    const checked = outcome(() => resolveEndpointUrl({ endpointUrl: text, serviceId: "S3", env: {}, config: NO_SHARED_CONFIG }), [ConfigError]);
    return checked.ok ? checked.value : undefined;
  })
  .filter((text): text is string => {
    if (text === undefined) return false;
    const url = new URL(text);
    return url.username + url.password + url.search + url.hash === "";
  });

const NAMED: Readonly<Record<string, fc.Arbitrary<string>>> = {
  Region: clientRegions,
  Bucket: buckets,
  Endpoint: clientEndpoints,
  ResourceArn: fc.oneof(fc.constantFrom("arn:aws:dynamodb:us-east-1:123456789012:table/T", "arn:aws:dynamodb:us-east-1:222222222222:table/T/index/I"), arnParts, oddString),
  AccountId: fc.oneof(fc.constantFrom("123456789012", "012345678901", ""), oddString),
  AccountIdEndpointMode: fc.oneof(fc.constantFrom("preferred", "disabled", "required"), oddString),
  CopySource: fc.oneof(fc.constantFrom("bucket/key", "/bucket/key?versionId=x"), accessPointArns, oddString),
};

function parameterArbitrary(name: string, spec: ParameterSpec): fc.Arbitrary<unknown> {
  switch (spec.type) {
    case "boolean":
      return fc.boolean();
    case "stringArray":
      return fc.array(NAMED["ResourceArn"] as fc.Arbitrary<string>, { maxLength: 3 });
    case "string":
      return NAMED[name] ?? oddString;
  }
}

function paramsFor(ruleSet: RuleSet, odd = false): fc.Arbitrary<EndpointParams> {
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, spec] of Object.entries(ruleSet.parameters)) {
    record[name] = odd && name === "Region" ? regions : odd && name === "Endpoint" ? endpoints : parameterArbitrary(name, spec);
  }
  return fc.record(record, { requiredKeys: [], noNullPrototype: true }) as fc.Arbitrary<EndpointParams>;
}

const SUFFIXES = [...new Set(partitionsData.partitions.flatMap((p) => [p.outputs.dnsSuffix, p.outputs.dualStackDnsSuffix]))];

/** The URL's checks (see the header); `configured` is the Endpoint parameter, when set. */
function checkUrl(url: string, configured: string | undefined): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    assert.fail(`the rule set resolved to a URL that does not parse: ${JSON.stringify(url)}`);
  }
  assert.ok(parsed.protocol === "https:" || parsed.protocol === "http:", `scheme of ${url}`);
  assert.equal(parsed.username + parsed.password, "", `user info in ${url}`);
  assert.equal(parsed.search + parsed.hash, "", `query or fragment in ${url}`);
  const host = parsed.hostname;
  if (configured === undefined) {
    // DynamoDB's "local" region is DynamoDB Local on this machine, by design of its rule set.
    const local = host === "localhost" && parsed.protocol === "http:";
    assert.ok(local || SUFFIXES.some((suffix) => host === suffix || host.endsWith(`.${suffix}`)), `${url} is not under any partition's DNS suffix`);
  } else {
    const base = new URL(configured).hostname;
    assert.ok(host === base || host.endsWith(`.${base}`), `${url} is not under the configured endpoint ${configured}`);
  }
}

const RULE_SETS: ReadonlyArray<readonly [string, RuleSet]> = [["S3", s3Rules], ["DynamoDB", dynamodbRules]];
const PARAMETER_REASONS = new Set(["error-rule", "no-rule-matched", "invalid-parameter"]);

fuzzFamily("endpoints", (family) => {
  for (const [label, ruleSet] of RULE_SETS) {
    family.property(`${label}: random parameters resolve to a sendable URL or an EndpointError about them`, label === "S3" ? 2500 : 1500, fc.property(paramsFor(ruleSet), (params) => {
      const result = outcome(() => resolveEndpoint(ruleSet, params, { partitions: partitionsData }), [EndpointError]);
      if (!result.ok) {
        const reason = (result.error as EndpointError).reason;
        assert.ok(PARAMETER_REASONS.has(reason), `reason ${reason}: ${result.error.message}`);
        return;
      }
      // The S3 rule set sends a multi-region access point (an ARN with no region) to its
      // global host whatever Endpoint says, in every SDK: that branch has no Endpoint check.
      const bucket = params["Bucket"];
      const mrap = typeof bucket === "string" && /^arn:[^:]*:s3::[^:]*:accesspoint[:/]/.test(bucket);
      checkUrl(result.value.url, typeof params["Endpoint"] === "string" && !mrap ? params["Endpoint"] : undefined);
    }));

    family.property(`${label}: any region or endpoint text at all still gives an endpoint or an EndpointError`, 600, fc.property(paramsFor(ruleSet, true), (params) => {
      const result = outcome(() => resolveEndpoint(ruleSet, params, { partitions: partitionsData }), [EndpointError]);
      if (!result.ok) assert.notEqual((result.error as EndpointError).reason, "invalid-rule-set", result.error.message);
    }));

    family.property(`${label}: a parameter of the wrong type is an invalid-parameter error`, 300, fc.property(
      fc.constantFrom(...Object.keys(ruleSet.parameters)),
      fc.oneof(fc.integer(), fc.double(), fc.object({ maxDepth: 1 }), fc.constant(Symbol.for("x")), fc.array(fc.integer(), { minLength: 1, maxLength: 2 }), fc.bigInt()),
      (name, wrong) => {
        const spec = ruleSet.parameters[name] as ParameterSpec;
        fc.pre(!(spec.type === "stringArray" && Array.isArray(wrong) && wrong.length === 0));
        const result = outcome(() => resolveEndpoint(ruleSet, { Region: "us-east-1", [name]: wrong as never }, { partitions: partitionsData }), [EndpointError]);
        if (result.ok || (result.error as EndpointError).reason !== "invalid-parameter") assert.fail(`${name} = ${fc.stringify(wrong)} was not refused as an invalid parameter`);
      },
    ));
  }

  family.property("a region a client would send is one the rule sets can put in a host name", 600, fc.property(regions, (region) => {
    const result = outcome(() => resolveRegion({ region, env: {} }), [ConfigError]);
    if (result.ok && result.value !== undefined) assert.match(result.value, /^[a-z0-9-]+$/);
  }));
});

/**
 * The interpreter on small hand-written rule sets: parameter binding and its errors, each
 * rule kind, condition scoping, templates, expressions nested in properties and headers,
 * and every kind of malformed document the compiler refuses.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { BUILT_INS, builtInParameters, EndpointError, resolveEndpoint } from "../../src/endpoints/index.ts";
import type { EndpointErrorReason, EndpointParams, PartitionsData, RuleSet } from "../../src/endpoints/index.ts";
import { checkRuleSet } from "../../src/endpoints/rule-set.ts";

const partitions: PartitionsData = {
  partitions: [
    {
      id: "aws",
      regionRegex: "^(us|eu)\\-\\w+\\-\\d+$",
      regions: { "us-east-1": {} },
      outputs: {
        name: "aws",
        dnsSuffix: "amazonaws.com",
        dualStackDnsSuffix: "api.aws",
        supportsFIPS: true,
        supportsDualStack: true,
      },
    },
    {
      id: "aws-cn",
      regionRegex: "^cn\\-\\w+\\-\\d+$",
      regions: {},
      outputs: {
        name: "aws-cn",
        dnsSuffix: "amazonaws.com.cn",
        dualStackDnsSuffix: "api.amazonwebservices.com.cn",
        supportsFIPS: true,
        supportsDualStack: true,
      },
    },
  ],
};

/** A rule set with the usual Region / UseFIPS parameters and the given rules. */
function ruleSet(rules: unknown[], parameters: Record<string, unknown> = {}): RuleSet {
  return {
    version: "1.0",
    parameters: {
      Region: { type: "string", builtIn: "AWS::Region", documentation: "" },
      UseFIPS: { type: "boolean", builtIn: "AWS::UseFIPS", required: true, default: false, documentation: "" },
      ...parameters,
    },
    rules,
  } as RuleSet;
}

function resolve(rs: RuleSet, params: EndpointParams = {}) {
  return resolveEndpoint(rs, params, { partitions });
}

function throwsEndpointError(fn: () => unknown, reason: EndpointErrorReason, message: string | RegExp) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof EndpointError, `not an EndpointError: ${String(error)}`);
    assert.equal(error.reason, reason, error.message);
    if (typeof message === "string") assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

const isSet = (name: string) => ({ fn: "isSet", argv: [{ ref: name }] });
const fips = { fn: "booleanEquals", argv: [{ ref: "UseFIPS" }, true] };

// A miniature of the AWS rule sets: partition lookup, FIPS, a custom endpoint, an error.
const service = ruleSet(
  [
    {
      type: "tree",
      conditions: [isSet("Endpoint")],
      rules: [
        { type: "error", conditions: [fips], error: "Invalid Configuration: FIPS and custom endpoint are not supported" },
        { type: "endpoint", conditions: [], endpoint: { url: { ref: "Endpoint" } } },
      ],
    },
    {
      type: "tree",
      conditions: [isSet("Region")],
      rules: [
        {
          type: "tree",
          conditions: [{ fn: "aws.partition", argv: [{ ref: "Region" }], assign: "PartitionResult" }],
          rules: [
            {
              type: "endpoint",
              conditions: [fips],
              endpoint: {
                url: "https://svc-fips.{Region}.{PartitionResult#dnsSuffix}",
                properties: { authSchemes: [{ name: "sigv4", signingRegion: "{Region}", signingName: "svc" }] },
                headers: {},
              },
            },
            { type: "endpoint", conditions: [], endpoint: { url: "https://svc.{Region}.{PartitionResult#dnsSuffix}" } },
          ],
        },
      ],
    },
    { type: "error", conditions: [], error: "Invalid Configuration: Missing Region" },
  ],
  { Endpoint: { type: "string", builtIn: "SDK::Endpoint", documentation: "" } },
);

describe("resolving", () => {
  test("an endpoint rule, with its properties resolved", () => {
    assert.deepEqual(resolve(service, { Region: "cn-north-1" }), {
      url: "https://svc.cn-north-1.amazonaws.com.cn",
      headers: {},
      properties: {},
    });
    assert.deepEqual(resolve(service, { Region: "us-east-1", UseFIPS: true }), {
      url: "https://svc-fips.us-east-1.amazonaws.com",
      headers: {},
      properties: { authSchemes: [{ name: "sigv4", signingRegion: "us-east-1", signingName: "svc" }] },
    });
  });

  test("a reference as the url", () => {
    assert.equal(resolve(service, { Endpoint: "http://localhost:4566", Region: "us-east-1" }).url, "http://localhost:4566");
  });

  test("an error rule throws its message", () => {
    throwsEndpointError(() => resolve(service), "error-rule", "Invalid Configuration: Missing Region");
    throwsEndpointError(
      () => resolve(service, { Endpoint: "https://x", UseFIPS: true }),
      "error-rule",
      "Invalid Configuration: FIPS and custom endpoint are not supported",
    );
  });

  test("error messages may be templates", () => {
    const rs = ruleSet([{ type: "error", conditions: [isSet("Region")], error: "bad region `{Region}`" }, {
      type: "endpoint",
      conditions: [],
      endpoint: { url: "https://x" },
    }]);
    throwsEndpointError(() => resolve(rs, { Region: "mars" }), "error-rule", "bad region `mars`");
  });

  test("no rule matching is an EndpointError listing the parameters", () => {
    const rs = ruleSet([{ type: "endpoint", conditions: [isSet("Region")], endpoint: { url: "https://x" } }]);
    throwsEndpointError(() => resolve(rs), "no-rule-matched", "no endpoint rule matched the parameters UseFIPS=false");
  });

  test("a tree is terminal: when its conditions hold but no sub-rule matches, later rules are not tried", () => {
    const rs = ruleSet([
      {
        type: "tree",
        conditions: [isSet("Region")],
        rules: [{ type: "endpoint", conditions: [fips], endpoint: { url: "https://fips" } }],
      },
      { type: "endpoint", conditions: [], endpoint: { url: "https://fallback" } },
    ]);
    throwsEndpointError(() => resolve(rs, { Region: "us-east-1" }), "no-rule-matched", /inside the tree rule at rules\[0\]/);
    assert.equal(resolve(rs).url, "https://fallback");
  });

  test("a condition that is unset fails like false; an empty string passes", () => {
    const rs = ruleSet([
      {
        type: "endpoint",
        conditions: [{ fn: "aws.parseArn", argv: [{ ref: "Region" }], assign: "arn" }],
        endpoint: { url: "https://arn.{arn#service}" },
      },
      {
        type: "endpoint",
        conditions: [{ fn: "substring", argv: [{ ref: "Region" }, 0, 0, false] }],
        endpoint: { url: "https://never" },
      },
      {
        type: "endpoint",
        conditions: [{ fn: "uriEncode", argv: [{ ref: "Region" }], assign: "encoded" }],
        endpoint: { url: "https://plain/{encoded}" },
      },
    ]);
    assert.equal(resolve(rs, { Region: "arn:aws:sqs:us-east-1:1:q" }).url, "https://arn.sqs");
    assert.equal(resolve(rs, { Region: "" }).url, "https://plain/");
  });

  test("assigned names are visible to later conditions and sub-rules, never to siblings", () => {
    const rs = ruleSet([
      {
        type: "tree",
        conditions: [
          isSet("Region"),
          { fn: "substring", argv: [{ ref: "Region" }, 0, 2, false], assign: "prefix" },
          { fn: "stringEquals", argv: [{ ref: "prefix" }, "eu"] },
        ],
        rules: [{ type: "endpoint", conditions: [], endpoint: { url: "https://{prefix}.example" } }],
      },
      // Same name again in a sibling: legal, because the first one is out of scope here.
      {
        type: "endpoint",
        conditions: [isSet("Region"), { fn: "substring", argv: [{ ref: "Region" }, 0, 2, true], assign: "prefix" }],
        endpoint: { url: "https://{prefix}.other" },
      },
    ]);
    assert.equal(resolve(rs, { Region: "eu-west-1" }).url, "https://eu.example");
    assert.equal(resolve(rs, { Region: "us-west-2" }).url, "https://-2.other");
  });

  test("function calls and references nested in properties and headers", () => {
    const rs = ruleSet([
      {
        type: "endpoint",
        conditions: [{ fn: "aws.partition", argv: ["{Region}"], assign: "p" }],
        endpoint: {
          url: "https://{Region}.{p#dnsSuffix}",
          properties: {
            authSchemes: [
              {
                name: "sigv4",
                signingRegion: { ref: "Region" },
                disableDoubleEncoding: true,
                fips: { fn: "getAttr", argv: [{ ref: "p" }, "supportsFIPS"] },
                partition: { fn: "getAttr", argv: [{ ref: "p" }, "name"] },
              },
            ],
            nested: { list: [1, "x-{Region}", { fn: "not", argv: [{ ref: "UseFIPS" }] }] },
          },
          headers: {
            "x-amz-region": ["{Region}", { ref: "Region" }],
            "x-amz-encoded": [{ fn: "uriEncode", argv: ["{Region}/{p#name}"] }],
          },
        },
      },
    ]);
    assert.deepEqual(resolve(rs, { Region: "eu-west-1" }), {
      url: "https://eu-west-1.amazonaws.com",
      headers: { "x-amz-region": ["eu-west-1", "eu-west-1"], "x-amz-encoded": ["eu-west-1%2Faws"] },
      properties: {
        authSchemes: [
          { name: "sigv4", signingRegion: "eu-west-1", disableDoubleEncoding: true, fips: true, partition: "aws" },
        ],
        nested: { list: [1, "x-eu-west-1", true] },
      },
    });
  });

  test("templates: getAttr paths after '#', escaped braces, booleans printed", () => {
    const rs = ruleSet(
      [
        {
          type: "endpoint",
          conditions: [{ fn: "aws.parseArn", argv: [{ ref: "Arn" }], assign: "arn" }],
          endpoint: { url: "https://{arn#resourceId[1]}.{{literal}}.{UseFIPS}.{{{arn#region}}}" },
        },
      ],
      { Arn: { type: "string", documentation: "" } },
    );
    assert.equal(
      resolve(rs, { Arn: "arn:aws:s3:us-west-2:1:accesspoint/ap" }).url,
      "https://ap.{literal}.false.{us-west-2}",
    );
  });

  test("a template over an unset value is a rule set error, never 'undefined' in a URL", () => {
    const rs = ruleSet([{ type: "endpoint", conditions: [], endpoint: { url: "https://{Region}.example" } }]);
    throwsEndpointError(() => resolve(rs), "invalid-rule-set", /template "https:\/\/\{Region\}.example": Region is unset/);
  });

  test("a url that is not a string is a rule set error", () => {
    const rs = ruleSet([{ type: "endpoint", conditions: [], endpoint: { url: { ref: "UseFIPS" } } }]);
    throwsEndpointError(() => resolve(rs), "invalid-rule-set", /the endpoint url must evaluate to a string, got a boolean/);
  });

  test("an unguarded optional passed to a strict function names the function", () => {
    const rs = ruleSet([
      { type: "endpoint", conditions: [{ fn: "stringEquals", argv: [{ ref: "Region" }, "x"] }], endpoint: { url: "https://x" } },
    ]);
    throwsEndpointError(() => resolve(rs), "invalid-rule-set", "stringEquals: argument 1 must be a string, got unset");
  });
});

describe("parameters", () => {
  const rs = ruleSet(
    [{ type: "endpoint", conditions: [], endpoint: { url: "https://{Name}/{Flag}", properties: { list: { ref: "List" } } } }],
    {
      Name: { type: "string", required: true, documentation: "" },
      Flag: { type: "boolean", required: true, default: true, documentation: "" },
      List: { type: "stringArray", default: ["a", "b"], required: true, documentation: "" },
    },
  );

  test("defaults fill unset parameters, and null counts as unset", () => {
    const got = resolve(rs, { Name: "n", Flag: null as unknown as undefined });
    assert.equal(got.url, "https://n/true");
    assert.deepEqual(got.properties, { list: ["a", "b"] });
    assert.deepEqual(resolve(rs, { Name: "n", Flag: false, List: ["z"] }).properties, { list: ["z"] });
  });

  test("required, wrong types: every problem in one error, each naming its parameter", () => {
    throwsEndpointError(
      () => resolve(rs, { UseFIPS: "true" as unknown as boolean, List: ["ok", 1] as unknown as string[] }),
      "invalid-parameter",
      "invalid endpoint parameters: UseFIPS must be a boolean, got a string; Name is required; List must be a stringArray, got an array",
    );
    throwsEndpointError(() => resolve(rs, { Name: true as unknown as string }), "invalid-parameter", /Name must be a string, got a boolean/);
  });

  test("names the rule set does not declare are ignored", () => {
    assert.equal(resolve(rs, { Name: "n", Bucket: "unused" }).url, "https://n/true");
  });

  test("builtInParameters maps each built-in to its parameter", () => {
    assert.deepEqual(builtInParameters(service), {
      "AWS::Region": "Region",
      "AWS::UseFIPS": "UseFIPS",
      "SDK::Endpoint": "Endpoint",
    });
    for (const name of Object.keys(builtInParameters(service))) assert.ok((BUILT_INS as readonly string[]).includes(name));
  });
});

describe("malformed rule sets", () => {
  const endpoint = (conditions: unknown[], url: unknown = "https://x") => ({ type: "endpoint", conditions, endpoint: { url } });
  const cases: Array<[string, RuleSet, RegExp]> = [
    ["unknown function", ruleSet([endpoint([{ fn: "aws.nope", argv: [] }])]), /rules\[0\]\.conditions\[0\]: unknown function "aws.nope"/],
    ["unknown rule type", ruleSet([{ type: "redirect", conditions: [] }]), /rules\[0\]: unknown rule type "redirect"/],
    ["wrong arity", ruleSet([endpoint([{ fn: "isValidHostLabel", argv: [{ ref: "Region" }] }])]), /isValidHostLabel takes 2 argument\(s\), got 1/],
    ["literal of the wrong kind", ruleSet([endpoint([{ fn: "booleanEquals", argv: [{ ref: "UseFIPS" }, "true"] }])]), /booleanEquals expects boolean, got "true"/],
    ["reference to an unknown name", ruleSet([endpoint([isSet("Regoin")])]), /reference to "Regoin", which is neither a parameter nor assigned before/],
    ["template over an unknown name", ruleSet([endpoint([], "https://{Nope}")]), /endpoint\.url: reference to "Nope"/],
    ["variable used outside its rule", ruleSet([
      endpoint([{ fn: "aws.partition", argv: [{ ref: "Region" }], assign: "p" }]),
      endpoint([], "https://{p#name}"),
    ]), /rules\[1\]\.endpoint\.url: reference to "p"/],
    ["assign shadowing a parameter", ruleSet([endpoint([{ fn: "aws.partition", argv: [{ ref: "Region" }], assign: "Region" }])]), /assign "Region" would shadow/],
    ["unclosed brace", ruleSet([endpoint([], "https://{Region")]), /unclosed "\{"/],
    ["stray closing brace", ruleSet([endpoint([], "https://Region}")]), /unmatched "\}"/],
    ["bad getAttr path", ruleSet([endpoint([{ fn: "getAttr", argv: [{ fn: "aws.partition", argv: ["x"] }, "a..b"] }])]), /getAttr: malformed path "a\.\.b"/],
    ["conditions missing", ruleSet([{ type: "endpoint", endpoint: { url: "https://x" } }]), /conditions must be an array/],
    ["empty tree", ruleSet([{ type: "tree", conditions: [], rules: [] }]), /rules\[0\]\.rules: must be a non-empty array/],
    ["no rules", ruleSet([]), /rules: must be a non-empty array/],
    ["unknown parameter type", ruleSet([endpoint([])], { Port: { type: "integer", documentation: "" } }), /parameters\.Port: unknown type "integer"/],
    ["default of the wrong type", ruleSet([endpoint([])], { Flag: { type: "boolean", default: "no", documentation: "" } }), /parameters\.Flag: default must be a boolean/],
    ["null in properties", ruleSet([{ type: "endpoint", conditions: [], endpoint: { url: "https://x", properties: { a: null } } }]), /endpoint\.properties\.a: unsupported value null/],
  ];
  for (const [name, rs, message] of cases) {
    test(name, () => throwsEndpointError(() => resolve(rs), "invalid-rule-set", message));
  }

  test("a tree's rules are compiled when a resolution enters it; checkRuleSet compiles every branch", () => {
    // The tree is never entered (Region is unset), so resolving does not see its bad rule.
    const rs = ruleSet(
      [
        { type: "tree", conditions: [isSet("Region")], rules: [endpoint([{ fn: "aws.nope", argv: [] }])] },
        endpoint([], "https://fallback.example.com"),
      ],
      { Region: { type: "string", documentation: "" } },
    );
    assert.equal(resolve(rs).url, "https://fallback.example.com");
    throwsEndpointError(() => checkRuleSet(rs), "invalid-rule-set", /rules\[0\]\.rules\[0\]\.conditions\[0\]: unknown function "aws\.nope"/);
    // Entered, the same tree fails with the same message.
    throwsEndpointError(() => resolve(rs, { Region: "us-east-1" }), "invalid-rule-set", /rules\[0\]\.rules\[0\]\.conditions\[0\]: unknown function/);
  });

  test("a variable assigned inside a tree compiled late gets a slot of its own", () => {
    const rs = ruleSet(
      [
        {
          type: "tree",
          conditions: [isSet("Region"), { fn: "aws.partition", argv: [{ ref: "Region" }], assign: "p" }],
          rules: [
            {
              type: "tree",
              conditions: [{ fn: "substring", argv: [{ ref: "Region" }, 0, 2, false], assign: "prefix" }],
              rules: [endpoint([], "https://{prefix}.{p#dnsSuffix}")],
            },
          ],
        },
        endpoint([], "https://none.example.com"),
      ],
      { Region: { type: "string", documentation: "" } },
    );
    assert.equal(resolve(rs).url, "https://none.example.com");
    assert.equal(resolve(rs, { Region: "us-east-1" }).url, "https://us.amazonaws.com");
    assert.equal(resolve(rs, { Region: "eu-west-1" }).url, "https://eu.amazonaws.com");
  });

  test("a document that is not an object at all", () => {
    throwsEndpointError(() => resolve(null as unknown as RuleSet), "invalid-rule-set", /a rule set must be an object/);
  });

  test("a compiled rule set is reused, and a broken one fails the same way every time", () => {
    const broken = ruleSet([endpoint([{ fn: "aws.nope", argv: [] }])]);
    for (let i = 0; i < 2; i++) throwsEndpointError(() => resolve(broken), "invalid-rule-set", /unknown function/);
    for (let i = 0; i < 3; i++) assert.equal(resolve(service, { Region: "us-east-1" }).url, "https://svc.us-east-1.amazonaws.com");
  });
});

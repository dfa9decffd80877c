/**
 * The standard library function by function, on the edges the conformance suites reach
 * only indirectly or not at all: ARN resource separators, substring bounds, host labels,
 * bucket names with dots, IPs and upper case, URL shapes, getAttr paths, partitions.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EndpointError } from "../../src/endpoints/index.ts";
import type { PartitionsData } from "../../src/endpoints/index.ts";
import {
  getAttr,
  invoke,
  isValidHostLabel,
  isVirtualHostableS3Bucket,
  lookupFunction,
  parseArn,
  parseAttrPath,
  parseUrl,
  partition,
  standardLibrary,
  substring,
} from "../../src/endpoints/library.ts";

const partitions = JSON.parse(
  readFileSync(join(import.meta.dirname, "..", "..", "..", "..", "..", "shared", "models", "partitions.json"), "utf8"),
) as PartitionsData;
const context = { partitions };

describe("aws.parseArn", () => {
  test("splits the resource on both ':' and '/'", () => {
    assert.deepEqual(parseArn("arn:aws:s3:us-west-2:123456789012:accesspoint:myendpoint"), {
      partition: "aws",
      service: "s3",
      region: "us-west-2",
      accountId: "123456789012",
      resourceId: ["accesspoint", "myendpoint"],
    });
    assert.deepEqual(
      parseArn("arn:aws:s3-outposts:us-west-2:123456789012:outpost/op-01234567890123456/accesspoint/reports")?.resourceId,
      ["outpost", "op-01234567890123456", "accesspoint", "reports"],
    );
    assert.deepEqual(parseArn("arn:aws:s3:us-west-2:123456789012:accesspoint/my:thing/x")?.resourceId, [
      "accesspoint",
      "my",
      "thing",
      "x",
    ]);
  });

  test("keeps empty region, account and trailing resource components", () => {
    assert.deepEqual(parseArn("arn:aws:s3:::bucket_name"), {
      partition: "aws",
      service: "s3",
      region: "",
      accountId: "",
      resourceId: ["bucket_name"],
    });
    assert.deepEqual(parseArn("arn:aws:iam::012345678910:user/johndoe")?.resourceId, ["user", "johndoe"]);
    assert.deepEqual(parseArn("arn:aws:s3:us-west-2:123456789012:accesspoint:")?.resourceId, ["accesspoint", ""]);
    assert.deepEqual(parseArn("arn:aws:s3:us-west-2:123456789012:accesspoint/")?.resourceId, ["accesspoint", ""]);
  });

  test("rejects what is not an ARN", () => {
    for (const value of [
      "11111111-2222-3333-4444-555555555555",
      "arn:aws:s3:us-west-2:123456789012", // five parts
      "arn::s3:::bucket", // no partition
      "arn:aws::::bucket", // no service
      "arn:aws:s3:::", // no resource
      "ARN:aws:s3:::bucket",
      "xarn:aws:s3:::bucket",
      "",
    ]) {
      assert.equal(parseArn(value), undefined, value);
    }
  });
});

describe("substring", () => {
  test("forward and reverse", () => {
    assert.equal(substring("abcdefg", 0, 4, false), "abcd");
    assert.equal(substring("abcdefg", 0, 4, true), "defg");
    assert.equal(substring("abcdefg", 1, 3, true), "ef");
    assert.equal(substring("abcdefg", 0, 7, false), "abcdefg");
    assert.equal(substring("--x-s3", 0, 6, true), "--x-s3");
  });

  test("unset when the range does not fit", () => {
    assert.equal(substring("abc", 0, 4, false), undefined);
    assert.equal(substring("abc", 0, 4, true), undefined);
    assert.equal(substring("abc", 2, 2, false), undefined);
    assert.equal(substring("abc", 3, 1, false), undefined);
    assert.equal(substring("abc", -1, 2, false), undefined);
    assert.equal(substring("", 0, 1, false), undefined);
  });

  test("unset for any non-ASCII input, even outside the range", () => {
    assert.equal(substring("abcdé", 0, 2, false), undefined);
    assert.equal(substring("🪣bucket", 2, 4, false), undefined);
  });

  test("indices must be integers (checked by invoke)", () => {
    assert.throws(
      () => invoke("substring", standardLibrary.substring, ["abc", 0.5, 2, false], context),
      (e: unknown) => e instanceof EndpointError && /argument 2 must be an integer/.test(e.message),
    );
  });
});

describe("isValidHostLabel", () => {
  test("single labels", () => {
    for (const ok of ["us-east-1", "a", "A1", "x".repeat(63), "9abc"]) assert.ok(isValidHostLabel(ok, false), ok);
    for (const bad of ["", "-abc", "abc-", "x".repeat(64), "a_b", "a b", "é", "a.b", "a:b"]) {
      assert.ok(!isValidHostLabel(bad, false), bad);
    }
  });

  test("with sub-domains every dot-separated label must be valid", () => {
    assert.ok(isValidHostLabel("a.b-c.d", true));
    assert.ok(isValidHostLabel("abc", true));
    for (const bad of ["a..b", ".a", "a.", "a.-b", "a.b_c", `a.${"x".repeat(64)}`]) {
      assert.ok(!isValidHostLabel(bad, true), bad);
    }
  });
});

describe("aws.isVirtualHostableS3Bucket", () => {
  test("plain bucket names", () => {
    for (const ok of ["bucket-name", "abc", "a--b", "99bottles", "x".repeat(63)]) {
      assert.ok(isVirtualHostableS3Bucket(ok, false), ok);
    }
    for (const bad of ["ab", "x".repeat(64), "Bucket", "bucketA", "-bucket", "bucket-", "bucket_name", "bucket!"]) {
      assert.ok(!isVirtualHostableS3Bucket(bad, false), bad);
    }
  });

  test("dots only with allowSubDomains, and never empty or hyphen-edged labels", () => {
    assert.ok(!isVirtualHostableS3Bucket("bucket.name", false));
    assert.ok(isVirtualHostableS3Bucket("bucket.name", true));
    // The 3-character minimum is for the whole name, not each label.
    assert.ok(isVirtualHostableS3Bucket("a.b.c", true));
    for (const bad of ["bucket..name", "bucket-.name", "bucket.-name", ".bucket", "bucket.", "Bucket.name"]) {
      assert.ok(!isVirtualHostableS3Bucket(bad, true), bad);
    }
    assert.ok(!isVirtualHostableS3Bucket(`${"x".repeat(32)}.${"y".repeat(31)}`, true), "64 characters in all");
  });

  test("nothing shaped like an IPv4 address", () => {
    assert.ok(!isVirtualHostableS3Bucket("192.168.5.4", true));
    assert.ok(!isVirtualHostableS3Bucket("999.999.999.999", true));
    assert.ok(isVirtualHostableS3Bucket("192.168.5", true));
    assert.ok(isVirtualHostableS3Bucket("192.168.5.4.5", true));
  });
});

describe("parseURL", () => {
  test("the spec's examples", () => {
    assert.deepEqual(parseUrl("https://example.com"), {
      scheme: "https",
      authority: "example.com",
      path: "",
      normalizedPath: "/",
      isIp: false,
    });
    assert.deepEqual(parseUrl("http://example.com:80/foo/bar"), {
      scheme: "http",
      authority: "example.com:80",
      path: "/foo/bar",
      normalizedPath: "/foo/bar/",
      isIp: false,
    });
    assert.deepEqual(parseUrl("https://127.0.0.1"), {
      scheme: "https",
      authority: "127.0.0.1",
      path: "",
      normalizedPath: "/",
      isIp: true,
    });
    assert.deepEqual(parseUrl("https://[fe80::1]"), {
      scheme: "https",
      authority: "[fe80::1]",
      path: "",
      normalizedPath: "/",
      isIp: true,
    });
    assert.equal(parseUrl("https://example.com:8443?foo=bar&faz=baz"), undefined);
  });

  test("keeps authority and path verbatim", () => {
    assert.deepEqual(parseUrl("HTTPS://Beta.Example.com:1234/a/./B/"), {
      scheme: "https",
      authority: "Beta.Example.com:1234",
      path: "/a/./B/",
      normalizedPath: "/a/./B/",
      isIp: false,
    });
    assert.equal(parseUrl("http://10.0.1.12:433")?.isIp, true);
    assert.equal(parseUrl("http://[::1]:8080/x")?.authority, "[::1]:8080");
    assert.equal(parseUrl("http://10.0.1.256")?.isIp, false);
  });

  test("rejects what cannot be an endpoint", () => {
    for (const bad of [
      "abcde://nota#url",
      "ftp://example.com",
      "example.com",
      "https://",
      "https://example.com?",
      "https://example.com/path?x=1",
      "https://example.com#frag",
      "https://user:pass@example.com",
      "https://example.com:99999",
      "https://example.com:port",
      "https://exa mple.com",
      "https://[not-ipv6]",
    ]) {
      assert.equal(parseUrl(bad), undefined, bad);
    }
  });
});

describe("getAttr", () => {
  const doc = { a: { b: ["x", "y"], c: true }, list: [["p", "q"]] };

  test("keys, indexes and the two combined", () => {
    assert.equal(getAttr(doc, "a.c"), true);
    assert.equal(getAttr(doc, "a.b[1]"), "y");
    assert.equal(getAttr(doc, "list[0][1]"), "q");
    assert.equal(getAttr(["first"], "[0]"), "first");
    assert.deepEqual(parseAttrPath("resourceId[2]"), ["resourceId", 2]);
  });

  test("a missing key or an index past the end is unset, not an error", () => {
    assert.equal(getAttr(doc, "a.b[2]"), undefined);
    assert.equal(getAttr(doc, "a.nope.deeper"), undefined);
    assert.equal(getAttr(doc, "a.c.d"), undefined);
    assert.equal(getAttr(doc, "a[0]"), undefined);
    assert.equal(getAttr({}, "constructor"), undefined);
    assert.equal(getAttr({}, "toString"), undefined);
  });

  test("malformed paths are rule set errors", () => {
    for (const bad of ["", "a..b", "a[x]", "a[0", "a]"]) {
      assert.throws(() => getAttr(doc, bad), EndpointError, bad);
    }
  });
});

describe("aws.partition", () => {
  test("by the region lists and patterns of partitions.json", () => {
    assert.equal(partition("us-east-1", partitions)["name"], "aws");
    assert.equal(partition("eu-central-2", partitions)["dnsSuffix"], "amazonaws.com");
    assert.equal(partition("cn-north-1", partitions)["dnsSuffix"], "amazonaws.com.cn");
    assert.equal(partition("aws-cn-global", partitions)["name"], "aws-cn");
    assert.equal(partition("us-gov-west-1", partitions)["name"], "aws-us-gov");
    // Not listed, but matching a partition's pattern: a region launched after the data.
    assert.equal(partition("us-isob-west-9", partitions)["name"], "aws-iso-b");
    assert.equal(partition("ap-future-7", partitions)["name"], "aws");
    assert.equal(partition("us-gov-future-3", partitions)["name"], "aws-us-gov");
  });

  test("anything else falls back to the aws partition", () => {
    for (const region of ["mars-1", "a b", "", "US-EAST-1"]) assert.equal(partition(region, partitions)["name"], "aws", region);
  });

  test("outputs carry every field rules read", () => {
    const aws = partition("us-west-2", partitions);
    for (const key of ["name", "dnsSuffix", "dualStackDnsSuffix", "supportsFIPS", "supportsDualStack", "implicitGlobalRegion"]) {
      assert.ok(key in aws, key);
    }
    assert.ok(Object.isFrozen(aws));
  });

  const custom: PartitionsData = {
    partitions: [
      {
        id: "wide",
        regionRegex: "^x\\-\\w+$",
        regions: { "x-plain": {}, "x-slow": { description: "slow", supportsFIPS: false } },
        outputs: { name: "wide", dnsSuffix: "wide.test", dualStackDnsSuffix: "ds.wide.test", supportsFIPS: true, supportsDualStack: true },
      },
      {
        id: "narrow",
        regionRegex: "^y\\-\\w+$",
        regions: { "x-special": {} },
        outputs: { name: "narrow", dnsSuffix: "narrow.test", dualStackDnsSuffix: "ds.narrow.test", supportsFIPS: true, supportsDualStack: false },
      },
    ],
  };

  test("a listed region beats another partition's pattern; region entries override outputs", () => {
    assert.equal(partition("x-special", custom)["name"], "narrow");
    assert.equal(partition("x-other", custom)["name"], "wide");
    assert.equal(partition("x-slow", custom)["supportsFIPS"], false);
    assert.equal(partition("x-slow", custom)["description"], undefined);
    assert.equal(partition("x-plain", custom)["supportsFIPS"], true);
    // No "aws" partition here: the first one is the fallback.
    assert.equal(partition("zzz", custom)["name"], "wide");
  });

  test("unusable partitions data is an EndpointError", () => {
    assert.throws(() => partition("us-east-1", { partitions: [] }), EndpointError);
    assert.throws(() => partition("us-east-1", {} as PartitionsData), EndpointError);
    const badRegex = { partitions: [{ ...custom.partitions[0]!, regionRegex: "([" }] };
    assert.throws(() => partition("us-east-1", badRegex), /invalid regionRegex/);
  });
});

describe("the library object", () => {
  test("holds every function the rules language and its AWS extension define", () => {
    assert.deepEqual(Object.keys(standardLibrary).sort(), [
      "aws.isVirtualHostableS3Bucket",
      "aws.parseArn",
      "aws.partition",
      "booleanEquals",
      "getAttr",
      "isSet",
      "isValidHostLabel",
      "not",
      "parseURL",
      "stringEquals",
      "substring",
      "uriEncode",
    ]);
    assert.equal(lookupFunction("toString"), undefined);
    assert.equal(lookupFunction("aws.nope"), undefined);
  });

  const call = (name: keyof typeof standardLibrary, ...args: Parameters<typeof invoke>[2]) =>
    invoke(name, standardLibrary[name], args, context);

  test("isSet, not, the equalities and uriEncode", () => {
    assert.equal(call("isSet", undefined), false);
    assert.equal(call("isSet", ""), true);
    assert.equal(call("isSet", false), true);
    assert.equal(call("not", false), true);
    assert.equal(call("stringEquals", "a", "a"), true);
    assert.equal(call("stringEquals", "a", "A"), false);
    assert.equal(call("booleanEquals", true, true), true);
    assert.equal(call("booleanEquals", true, false), false);
    assert.equal(call("uriEncode", "a b/c~d!é"), "a%20b%2Fc~d%21%C3%A9");
    assert.equal(call("aws.partition", "eu-west-1")?.constructor, Object);
  });

  test("a wrong or unset argument names the function and the argument", () => {
    assert.throws(() => call("stringEquals", undefined, "a"), {
      name: "EndpointError",
      message: "stringEquals: argument 1 must be a string, got unset",
    });
    assert.throws(() => call("booleanEquals", true, "true"), {
      message: "booleanEquals: argument 2 must be a boolean, got a string",
    });
    assert.throws(() => call("getAttr", "not-a-document", "a"), /argument 1 must be an object or array/);
    assert.throws(() => call("not"), /takes 1 argument/);
  });
});

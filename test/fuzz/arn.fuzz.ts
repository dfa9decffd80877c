/**
 * ARNs: `parseArn` (endpoints/library.ts, the rules language's aws.parseArn, also used
 * by callers outside rule sets). Its contract is the spec's: an ARN or `undefined`, and
 * it never throws, whatever the string.
 *
 * - arbitrary strings, and strings built from ARN-ish parts (colons and slashes in odd
 *   places, empty fields, Unicode) give a record or undefined
 * - a well-formed ARN (non-empty partition, service and resource; region and account
 *   without colons, possibly empty) round-trips: the fields come back as written, the
 *   resource split on ":" and "/", and joining them rebuilds the ARN
 * - anything parseArn accepts starts with "arn:" and has non-empty partition, service and
 *   resource: it never accepts less than the spec asks
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseArn } from "../../packages/core/src/endpoints/library.ts";
import { fuzzFamily, outcome } from "./property.ts";

const field = fc.string({ unit: "binary", maxLength: 12 }).map((s) => s.replaceAll(":", ""));
const nonEmptyField = field.filter((s) => s.length > 0);
const resource = fc.array(fc.oneof(fc.string({ unit: "binary", maxLength: 8 }), fc.constantFrom(":", "/", "::", "//", ":/")), { minLength: 1, maxLength: 6 }).map((parts) => parts.join("")).filter((s) => s.length > 0);

const arnish = fc
  .array(fc.oneof(fc.constantFrom("arn", ":", "/", "", "aws", "s3", "us-east-1", "123456789012", "accesspoint", "::::", "arn:"), fc.string({ unit: "binary", maxLength: 6 })), { maxLength: 12 })
  .map((parts) => parts.join(""));

fuzzFamily("arn", (family) => {
  family.property("any string is an ARN or undefined, never an exception", 3000, fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 80 }), arnish), (text) => {
    const result = outcome(() => parseArn(text), []);
    if (result.ok && result.value !== undefined) {
      const arn = result.value;
      const resourceText = text.split(":").slice(5).join(":");
      assert.ok(arn.partition !== "" && arn.service !== "" && resourceText !== "");
      assert.equal(`arn:${arn.partition}:${arn.service}:${arn.region}:${arn.accountId}:${resourceText}`, text);
      assert.deepStrictEqual(arn.resourceId, resourceText.split(/[:/]/));
    }
  }));

  family.property("a well-formed ARN round-trips", 2000, fc.property(nonEmptyField, nonEmptyField, field, field, resource, (partition, service, region, accountId, res) => {
    const text = `arn:${partition}:${service}:${region}:${accountId}:${res}`;
    const arn = parseArn(text);
    assert.deepStrictEqual(arn, { partition, service, region, accountId, resourceId: res.split(/[:/]/) });
    assert.equal(`arn:${arn.partition}:${arn.service}:${arn.region}:${arn.accountId}:${res}`, text);
  }));

  family.property("an empty partition, service or resource is not an ARN", 1000, fc.property(
    field, field, field, field, fc.oneof(resource, fc.constant("")), fc.constantFrom(0, 1, 2),
    (partition, service, region, accountId, res, blank) => {
      const parts = [partition, service, region, accountId, res];
      const index = [0, 1, 4][blank] as number;
      parts[index] = "";
      assert.equal(parseArn(`arn:${parts.join(":")}`), undefined);
    },
  ));

  family.property("fewer than six fields is not an ARN", 1000, fc.property(fc.array(field, { maxLength: 4 }), (fields) => {
    assert.equal(parseArn(["arn", ...fields].join(":")), undefined);
  }));

  family.corpus("a 1 MB resource parses, split in one pass", () => {
    const res = "a/b:".repeat(1 << 18);
    const arn = parseArn(`arn:aws:s3:us-east-1:123456789012:${res}`);
    assert.equal(arn?.resourceId.length, (1 << 19) + 1);
  });
});

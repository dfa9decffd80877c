// The compact rule-set form (src/endpoints/compact.ts): round trips, sharing, never larger
// than plain JSON, and refusals of what it cannot encode or does not recognise.
import { test } from "node:test";
import assert from "node:assert/strict";
import { compactRuleSet, expandRuleSet } from "../../src/endpoints/compact.ts";
import type { RuleSet } from "../../src/endpoints/types.ts";

const fipsCondition = { fn: "booleanEquals", argv: [{ ref: "UseFIPS" }, true] };
const authSchemes = { authSchemes: [{ name: "sigv4", signingName: "svc", signingRegion: "{Region}" }] };

const ruleSet = {
  version: "1.0",
  parameters: { Region: { type: "string", builtIn: "AWS::Region" }, UseFIPS: { type: "boolean", required: true, default: false } },
  rules: [
    { type: "endpoint", conditions: [fipsCondition], endpoint: { url: "https://fips.{Region}.example.com", properties: authSchemes, headers: {} } },
    { type: "endpoint", conditions: [fipsCondition, fipsCondition], endpoint: { url: "https://fips2.{Region}.example.com", properties: authSchemes, headers: {} } },
    { type: "error", conditions: [], error: "doesn't match: it's \\ and \"quoted\"" },
    { type: "endpoint", conditions: [], endpoint: { url: "https://{Region}.example.com", properties: authSchemes, headers: {} } },
  ],
} as unknown as RuleSet;

test("a rule set round-trips, repeated subtrees stored once and shared when expanded", () => {
  const text = compactRuleSet(ruleSet);
  assert.ok(text.length < JSON.stringify(ruleSet).length, "smaller than plain JSON");
  assert.equal(text.split('"signingName"').length - 1, 1, "the repeated auth schemes are written once");
  const back = expandRuleSet(text) as unknown as { rules: Array<{ conditions: unknown[]; endpoint?: { properties: unknown } }> };
  assert.deepStrictEqual(back, ruleSet);
  const [first, second] = back.rules;
  assert.equal(first?.endpoint?.properties, second?.endpoint?.properties, "one object, not copies");
  assert.equal(second?.conditions[0], second?.conditions[1]);
});

test("nothing repeated: the text is the plain JSON", () => {
  const plain = { version: "1.0", parameters: {}, rules: [{ type: "error", conditions: [], error: "no" }] } as unknown as RuleSet;
  assert.equal(compactRuleSet(plain), JSON.stringify([[], plain]));
  assert.deepStrictEqual(expandRuleSet(compactRuleSet(plain)), plain);
});

test("an object shaped like a reference cannot be encoded", () => {
  const clash = { version: "1.0", parameters: {}, rules: [{ type: "endpoint", conditions: [], endpoint: { url: "https://x", properties: { "#": 0 } } }] } as unknown as RuleSet;
  assert.throws(() => compactRuleSet(clash), /reference/);
});

test("malformed text is refused: not [shared, root], a reference forward or out of range", () => {
  assert.throws(() => expandRuleSet('{"version":"1.0"}'), /\[shared, root\]/);
  assert.throws(() => expandRuleSet('[[{"#":0}],{}]'), /bad reference/);
  assert.throws(() => expandRuleSet('[[{"a":1}],{"x":{"#":1}}]'), /bad reference/);
  assert.throws(() => expandRuleSet('[[],{"x":{"#":"0"}}]'), /bad reference/);
});

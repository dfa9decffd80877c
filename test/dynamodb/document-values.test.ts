// The document layer's pure parts: marshall/unmarshall of every type, exact numbers (never
// silently rounded), the options lib-dynamodb users know, and Key/Attr expressions
// rendered with #n/:v placeholders merged with hand-written ones.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  and,
  Attr,
  convertToAttr,
  exactNumber,
  ExpressionAttributes,
  Key,
  MarshallError,
  marshall,
  not,
  NumberValue,
  or,
  renderCondition,
  renderProjection,
  unmarshall,
  type ConditionBase,
} from "../../packages/dynamodb/src/index.ts";

const bytes = (...values: number[]) => Uint8Array.of(...values);

test("marshall: every JavaScript type to its AttributeValue", () => {
  const item = {
    s: "text",
    n: 42,
    f: -0.5,
    big: 12345678901234567890n,
    exact: new NumberValue("12345678901234567890.123"),
    yes: true,
    nothing: null,
    bin: bytes(1, 2, 3),
    buf: Buffer.from("hi"),
    ab: bytes(9).buffer,
    ss: new Set(["a", "b"]),
    ns: new Set([1, 2n, new NumberValue("3.25")]),
    bs: new Set([bytes(1), bytes(2)]),
    list: ["x", 1, [true]],
    map: { nested: { deep: "yes" }, empty: "" },
    jsMap: new Map([["k", "v"]]),
  };
  assert.deepEqual(marshall(item), {
    s: { S: "text" },
    n: { N: "42" },
    f: { N: "-0.5" },
    big: { N: "12345678901234567890" },
    exact: { N: "12345678901234567890.123" },
    yes: { BOOL: true },
    nothing: { NULL: true },
    bin: { B: bytes(1, 2, 3) },
    buf: { B: Buffer.from("hi") },
    ab: { B: bytes(9) },
    ss: { SS: ["a", "b"] },
    ns: { NS: ["1", "2", "3.25"] },
    bs: { BS: [bytes(1), bytes(2)] },
    list: { L: [{ S: "x" }, { N: "1" }, { L: [{ BOOL: true }] }] },
    map: { M: { nested: { M: { deep: { S: "yes" } } }, empty: { S: "" } } },
    jsMap: { M: { k: { S: "v" } } },
  });
});

test("unmarshall: numbers stay exact, as numbers where a number prints the same decimal", () => {
  const item = unmarshall({
    small: { N: "42" },
    decimal: { N: "1.50" },
    exp: { N: "1E+2" },
    tenth: { N: "0.1" },
    max: { N: "9007199254740991" },
    beyond: { N: "9007199254740993" },
    long: { N: "12345678901234567890.123" },
    ns: { NS: ["1", "12345678901234567890"] },
    ss: { SS: ["a"] },
    bs: { BS: [bytes(7)] },
    b: { B: bytes(1) },
    l: { L: [{ NULL: true }, { BOOL: false }, { M: { x: { S: "y" } } }] },
  });
  assert.equal(item["small"], 42);
  assert.equal(item["decimal"], 1.5);
  assert.equal(item["exp"], 100);
  assert.equal(item["tenth"], 0.1);
  assert.equal(item["max"], Number.MAX_SAFE_INTEGER);
  assert.ok(item["beyond"] instanceof NumberValue);
  assert.equal(String(item["beyond"]), "9007199254740993");
  assert.ok(item["long"] instanceof NumberValue);
  assert.equal((item["long"] as NumberValue).value, "12345678901234567890.123");
  assert.deepEqual([...(item["ns"] as Set<unknown>)].map(String), ["1", "12345678901234567890"]);
  assert.deepEqual(item["ss"], new Set(["a"]));
  assert.deepEqual(item["bs"], new Set([bytes(7)]));
  assert.deepEqual(item["b"], bytes(1));
  assert.deepEqual(item["l"], [null, false, { x: "y" }]);
  // Marshalled back, every number is the decimal DynamoDB sent.
  assert.deepEqual(marshall({ beyond: item["beyond"], long: item["long"], decimal: item["decimal"] }), {
    beyond: { N: "9007199254740993" },
    long: { N: "12345678901234567890.123" },
    decimal: { N: "1.5" },
  });
});

test("unmarshall's numbers option: NumberValue always, bigint for whole numbers, or a function", () => {
  const raw = { a: { N: "7" }, b: { N: "0.25" }, c: { N: "123456789012345678901234567890" } };
  const wrapped = unmarshall(raw, { numbers: "NumberValue" });
  assert.ok(Object.values(wrapped).every((v) => v instanceof NumberValue));
  assert.deepEqual(unmarshall(raw, { numbers: "bigint" }), { a: 7n, b: 0.25, c: 123456789012345678901234567890n });
  assert.deepEqual(unmarshall(raw, { numbers: (text) => `#${text}` }), { a: "#7", b: "#0.25", c: "#123456789012345678901234567890" });
});

test("exactNumber and NumberValue", () => {
  assert.equal(exactNumber("-0"), -0);
  assert.equal(exactNumber("0.000001"), 0.000001);
  assert.equal(exactNumber("1e-7"), 1e-7);
  assert.equal(exactNumber("0.1000000000000000055511151231257827"), undefined);
  assert.equal(exactNumber("1e400"), undefined);
  assert.equal(new NumberValue("  12.5 ").value, "12.5");
  assert.equal(new NumberValue(12n).value, "12");
  assert.equal(new NumberValue("1.2e3").toBigInt(), 1200n);
  assert.throws(() => new NumberValue("1.5").toBigInt(), RangeError);
  assert.throws(() => new NumberValue("twelve"), RangeError);
  assert.throws(() => new NumberValue(Number.NaN), RangeError);
  assert.equal(JSON.stringify({ n: new NumberValue("12345678901234567890.123") }), '{"n":"12345678901234567890.123"}');
});

test("marshall refuses what it would get wrong, naming where, and its options relax that", () => {
  const fails = (value: object, pattern: RegExp, options = {}) =>
    assert.throws(() => marshall(value, options, "Item"), (e: unknown) => e instanceof MarshallError && pattern.test(e.message));
  fails({ a: { b: [1, undefined] } }, /^Item\.a\.b\[1\]: undefined cannot be stored/);
  fails({ n: Number.NaN }, /^Item\.n: NaN cannot be stored/);
  fails({ n: 2 ** 60 }, /beyond Number.MAX_SAFE_INTEGER/);
  fails({ s: new Set() }, /no empty sets/);
  fails({ s: new Set(["a", 1]) }, /entry 1 is not like the first/);
  fails({ d: new Date(0) }, /^Item\.d: a Date/);
  fails({ c: new (class Thing { x = 1 })() }, /an instance of Thing/);
  fails({ f: () => 1 }, /a function cannot be stored/);

  assert.deepEqual(marshall({ a: undefined, l: [1, undefined], s: new Set(["x", undefined]) }, { removeUndefinedValues: true }), {
    l: { L: [{ N: "1" }] },
    s: { SS: ["x"] },
  });
  assert.deepEqual(marshall({ e: "", b: new Uint8Array(0), s: new Set() }, { convertEmptyValues: true }), { e: { NULL: true }, b: { NULL: true }, s: { NULL: true } });
  assert.deepEqual(marshall({ c: new (class Thing { x = 1 })() }, { convertClassInstanceToMap: true }), { c: { M: { x: { N: "1" } } } });
  assert.equal(convertToAttr(undefined, { removeUndefinedValues: true }), undefined);
});

test("a '__proto__' attribute is an ordinary attribute both ways", () => {
  const raw = JSON.parse('{"__proto__": {"S": "x"}, "a": {"M": {"__proto__": {"N": "1"}}}}') as Record<string, { S?: string }>;
  const item = unmarshall(raw);
  assert.deepEqual(Object.keys(item), ["__proto__", "a"]);
  assert.equal(Object.getPrototypeOf(item), Object.prototype);
  assert.deepEqual(Object.keys(marshall(item)), ["__proto__", "a"]);
});

function render(condition: ConditionBase, names?: Record<string, string>, values?: Record<string, unknown>) {
  const x = new ExpressionAttributes(names, values);
  const text = renderCondition(condition, x);
  return { text, names: x.names, values: x.values };
}

test("key conditions: = and begins_with / BETWEEN, joined by AND", () => {
  assert.deepEqual(render(Key("pk").eq("user#1").and(Key("sk").beginsWith("order#"))), {
    text: "#n0 = :v0 AND begins_with(#n1, :v1)",
    names: { "#n0": "pk", "#n1": "sk" },
    values: { ":v0": { S: "user#1" }, ":v1": { S: "order#" } },
  });
  assert.deepEqual(render(Key("pk").eq(5).and(Key("sk").between(1, 10n))).text, "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2");
  assert.equal(render(Key("pk").eq("a").and(Key("sk").gte(3))).text, "#n0 = :v0 AND #n1 >= :v1");
  assert.equal(render(Key("pk").eq("a").and(Key("sk").lt(3))).text, "#n0 = :v0 AND #n1 < :v1");
});

test("condition expressions: every operator, nested paths, size, attribute operands, precedence", () => {
  assert.deepEqual(render(Attr("n").gt(3)), { text: "#n0 > :v0", names: { "#n0": "n" }, values: { ":v0": { N: "3" } } });
  assert.equal(render(Attr("n").ne(3)).text, "#n0 <> :v0");
  assert.equal(render(Attr("n").lte(3)).text, "#n0 <= :v0");
  assert.equal(render(Attr("n").between(1, 2)).text, "#n0 BETWEEN :v0 AND :v1");
  assert.equal(render(Attr("color").in(["red", "blue"])).text, "#n0 IN (:v0, :v1)");
  assert.equal(render(Attr("color").isIn(new Set(["red"]))).text, "#n0 IN (:v0)");
  assert.equal(render(Attr("pk").exists()).text, "attribute_exists(#n0)");
  assert.equal(render(Attr("pk").notExists()).text, "attribute_not_exists(#n0)");
  assert.deepEqual(render(Attr("x").attributeType("SS")).values, { ":v0": { S: "SS" } });
  assert.equal(render(Attr("tags").contains("a")).text, "contains(#n0, :v0)");
  assert.equal(render(Attr("name").beginsWith("A")).text, "begins_with(#n0, :v0)");
  assert.equal(render(Attr("tags").size().gt(2)).text, "size(#n0) > :v0");
  assert.equal(render(Attr("a").eq(Attr("b"))).text, "#n0 = #n1");
  assert.equal(render(Attr("a").lt(Attr("b").size())).text, "#n0 < size(#n1)");
  assert.deepEqual(render(Attr("a.b[0].c").exists()), {
    text: "attribute_exists(#n0.#n1[0].#n2)",
    names: { "#n0": "a", "#n1": "b", "#n2": "c" },
    values: {},
  });
  assert.deepEqual(render(Attr(["dotted.name"]).exists()).names, { "#n0": "dotted.name" });
  // The same name twice gets one placeholder.
  assert.deepEqual(render(Attr("n").gt(1).and(Attr("n").lt(9))).names, { "#n0": "n" });
  // NOT > AND > OR: parentheses only where the grammar needs them.
  assert.equal(render(Attr("a").eq(1).or(Attr("b").eq(2)).and(Attr("c").eq(3))).text, "(#n0 = :v0 OR #n1 = :v1) AND #n2 = :v2");
  assert.equal(render(Attr("a").eq(1).and(Attr("b").eq(2)).or(Attr("c").eq(3))).text, "#n0 = :v0 AND #n1 = :v1 OR #n2 = :v2");
  assert.equal(render(Attr("a").eq(1).and(Attr("b").eq(2)).not()).text, "NOT (#n0 = :v0 AND #n1 = :v1)");
  assert.equal(render(not(Attr("a").exists())).text, "NOT attribute_exists(#n0)");
  assert.equal(render(Attr("a").exists().not().not()).text, "NOT (NOT attribute_exists(#n0))");
  assert.equal(render(and(Attr("a").eq(1), Attr("b").eq(2), or(Attr("c").eq(3), Attr("d").eq(4)))).text, "#n0 = :v0 AND #n1 = :v1 AND (#n2 = :v2 OR #n3 = :v3)");
  assert.throws(() => Attr("x").in([]), RangeError);
  assert.throws(() => Attr("a..b"), RangeError);
});

test("generated placeholders never collide with the caller's, which are kept and marshalled", () => {
  const out = render(Attr("n").gt(1).and(Attr("m").eq("z")), { "#n0": "custom", "#n1": "other" }, { ":v0": 7, ":mine": new Set(["q"]) });
  assert.equal(out.text, "#n2 > :v1 AND #n3 = :v2");
  assert.deepEqual(out.names, { "#n0": "custom", "#n1": "other", "#n2": "n", "#n3": "m" });
  assert.deepEqual(out.values, { ":v0": { N: "7" }, ":mine": { SS: ["q"] }, ":v1": { N: "1" }, ":v2": { S: "z" } });
  const x = new ExpressionAttributes(undefined, undefined);
  assert.equal(renderProjection(["pk", "a.b", "list[1]"], x), "#n0, #n1.#n2, #n3[1]");
});

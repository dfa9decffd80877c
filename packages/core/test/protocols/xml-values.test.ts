// Shape-driven XML values, both ways: scalar text (large numbers, NaN/Infinity, booleans,
// timestamps, blobs), the reader's structure/list/map rules, and the writer's escaping and
// namespaces.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ParseError, StratusError } from "../../src/errors/index.ts";
import type { ListShape, MapShape, ScalarShape, Shape, StructureShape } from "../../src/schema/types.ts";
import { readStructure, readValue } from "../../src/protocols/xml/deserialize.ts";
import { parseXml } from "../../src/protocols/xml/document.ts";
import { scalarFromText, scalarToText } from "../../src/protocols/xml/scalars.ts";
import { structureToXml } from "../../src/protocols/xml/serialize.ts";
import { escapeAttribute, escapeText, writeXml, xmlNode } from "../../src/protocols/xml/writer.ts";

const str: ScalarShape = { type: "string" };
const long: ScalarShape = { type: "long" };
const int: ScalarShape = { type: "integer" };
const double: ScalarShape = { type: "double" };
const bool: ScalarShape = { type: "boolean" };
const ts: ScalarShape = { type: "timestamp" };
const blob: ScalarShape = { type: "blob" };
const bigint: ScalarShape = { type: "biginteger" };

function struct(name: string, members: StructureShape["members"], extra: Partial<StructureShape> = {}): StructureShape {
  return { type: "structure", name, members, ...extra };
}

function read(xml: string, shape: Shape): unknown {
  return readValue(parseXml(xml, "test"), shape, "test");
}

test("large numbers: longs beyond 2^53 come back as numbers, bigintegers exactly", () => {
  assert.equal(scalarFromText(long, "9007199254740993", "test"), 9007199254740992);
  assert.equal(scalarFromText(long, "-42", "test"), -42);
  assert.equal(scalarFromText(bigint, "123456789012345678901234567890", "test"), 123456789012345678901234567890n);
  assert.equal(scalarFromText(double, "1.7976931348623157e308", "test"), Number.MAX_VALUE);
  assert.equal(scalarFromText(double, "1e400", "test"), Infinity);
  assert.equal(scalarToText(long, undefined, 2 ** 60, "iso8601", "x"), "1152921504606846976");
  assert.equal(scalarToText(long, undefined, 12345678901234567890n, "iso8601", "x"), "12345678901234567890");
  assert.equal(scalarToText(double, undefined, 1e21, "iso8601", "x"), "1e+21");
});

test("floats: NaN and ±Infinity both ways; junk is a ParseError", () => {
  assert.ok(Number.isNaN(scalarFromText(double, "NaN", "test")));
  assert.equal(scalarFromText(double, "Infinity", "test"), Infinity);
  assert.equal(scalarFromText(double, "-Infinity", "test"), -Infinity);
  assert.equal(scalarFromText(double, " 6.5 ", "test"), 6.5);
  for (const v of [NaN, Infinity, -Infinity]) assert.equal(scalarToText(double, undefined, v, "iso8601", "x"), String(v));
  for (const junk of ["nan", "1.2.3", "0x10", "Inf", "1e"]) assert.throws(() => scalarFromText(double, junk, "test"), ParseError);
  assert.throws(() => scalarFromText(int, "1.5", "test"), ParseError);
  assert.throws(() => scalarFromText(int, "12abc", "test"), ParseError);
});

test("booleans, timestamps and blobs", () => {
  assert.equal(scalarFromText(bool, "true", "test"), true);
  assert.equal(scalarFromText(bool, "false", "test"), false);
  assert.throws(() => scalarFromText(bool, "yes", "test"), ParseError);
  assert.deepEqual(scalarFromText(ts, "2019-12-16T22:48:18-01:00", "test"), new Date("2019-12-16T23:48:18Z"));
  assert.deepEqual(scalarFromText(ts, "Tue, 29 Apr 2014 18:30:38 GMT", "test"), new Date("2014-04-29T18:30:38Z"));
  assert.deepEqual(scalarFromText(ts, "1398796238.5", "test"), new Date(1398796238500));
  assert.throws(() => scalarFromText(ts, "yesterday", "test"), ParseError);
  assert.deepEqual(scalarFromText(blob, "dmFs\n dWU=", "test"), new TextEncoder().encode("value"));
  assert.deepEqual(scalarFromText(blob, "", "test"), new Uint8Array(0));
  assert.throws(() => scalarFromText(blob, "not base64!", "test"), ParseError);
  assert.equal(scalarToText(ts, undefined, new Date("2015-01-25T08:00:00Z"), "iso8601", "x"), "2015-01-25T08:00:00Z");
  assert.equal(scalarToText(ts, { target: ts, timestampFormat: "unixTimestamp" }, new Date(1422172800500), "iso8601", "x"), "1422172800.5");
  assert.equal(scalarToText(blob, undefined, "value", "iso8601", "x"), "dmFsdWU=");
  assert.throws(() => scalarToText(bool, undefined, "true", "iso8601", "x"), StratusError);
});

test("empty text of a non-text scalar reads as absent; strings keep every space", () => {
  const shape = struct("S", { n: { target: int }, s: { target: str }, b: { target: bool } });
  assert.deepEqual(read("<S><n/><s>  </s><b></b></S>", shape), { s: "  " });
});

test("present-but-empty structures, lists and maps are kept", () => {
  const list: ListShape = { type: "list", member: { target: str } };
  const map: MapShape = { type: "map", key: { target: str }, value: { target: str } };
  const shape = struct("S", { inner: { target: () => struct("I", { a: { target: str } }) }, l: { target: list }, m: { target: map } });
  assert.deepEqual(read("<S><inner/><l></l><m>\n</m></S>", shape), { inner: {}, l: [], m: {} });
  assert.deepEqual(read("<S/>", shape), {});
});

test("flattened lists are read whichever naming convention the model follows", () => {
  const renamed: ListShape = { type: "list", member: { target: str, locationName: "item" } };
  const smithy = struct("S", { values: { target: renamed, flattened: true } });
  assert.deepEqual(read("<S><values>a</values><values>b</values></S>", smithy), { values: ["a", "b"] });
  // An old botocore model names the siblings after the list's member.
  const botocore = struct("S", { values: { target: { ...renamed, flattened: true } } });
  assert.deepEqual(read("<S><item>a</item><other>x</other><item>b</item></S>", botocore), { values: ["a", "b"] });
});

test("map keys are data, never prototypes; unknown enum values pass through", () => {
  const map: MapShape = { type: "map", key: { target: str }, value: { target: str } };
  const shape = struct("S", { m: { target: map }, e: { target: { type: "string", enum: true } } });
  const out = read(
    "<S><m><entry><key>__proto__</key><value>x</value></entry><entry><key>k</key><value>v</value></entry></m><e>BrandNew</e></S>",
    shape,
  ) as { m: Record<string, unknown>; e: string };
  assert.equal(Object.getPrototypeOf(out.m), Object.prototype);
  assert.deepEqual(Object.keys(out.m), ["__proto__", "k"]);
  assert.equal(out.m["k"], "v");
  assert.equal(out.e, "BrandNew");
});

test("a union with no known member reads as $unknown", () => {
  const union = struct("U", { a: { target: str } }, { union: true });
  assert.deepEqual(read("<U><future>soon</future></U>", union), { $unknown: ["future", "soon"] });
  assert.deepEqual(read("<U><a>x</a></U>", union), { a: "x" });
});

test("attributes are read by written name, whatever prefix the server chose", () => {
  const grantee = struct("Grantee", { Type: { target: str, locationName: "xsi:type", xmlAttribute: true }, ID: { target: str } });
  const doc = '<Grantee xmlns:x="http://www.w3.org/2001/XMLSchema-instance" x:type="CanonicalUser"><ID>abc</ID></Grantee>';
  assert.deepEqual(readStructure(parseXml(doc, "test"), grantee, "test"), { Type: "CanonicalUser", ID: "abc" });
});

test("the writer escapes text and attributes, and refuses characters XML cannot carry", () => {
  assert.equal(escapeText(`<a> & "b" 'c'\r\n`), `&lt;a&gt; &amp; "b" 'c'&#xD;\n`);
  assert.equal(escapeAttribute(`<"&>\t\n\r`), "&lt;&quot;&amp;&gt;&#x9;&#xA;&#xD;");
  assert.throws(() => escapeText("bell\u0007"), StratusError);
  assert.throws(() => escapeText("lone \uD800 surrogate"), StratusError);
  assert.equal(escapeText("emoji \u{1F600}"), "emoji \u{1F600}");
  const node = xmlNode("A");
  node.attributes.push(["t", "<x>"]);
  node.children.push("1 < 2", xmlNode("b"));
  assert.equal(writeXml(node), '<A t="&lt;x&gt;">1 &lt; 2<b></b></A>');
});

test("written values read back the same (namespaces, attributes, flattened maps, escapes)", () => {
  const ns = { uri: "http://s3.amazonaws.com/doc/2006-03-01/" };
  const grantee = struct(
    "Grantee",
    { Type: { target: str, locationName: "xsi:type", xmlAttribute: true }, ID: { target: str } },
    { xmlNamespace: { prefix: "xsi", uri: "http://www.w3.org/2001/XMLSchema-instance" } },
  );
  const tags: MapShape = { type: "map", key: { target: str, locationName: "K" }, value: { target: str, locationName: "V" }, flattened: true };
  const shape = struct("Policy", {
    Grantee: { target: grantee },
    Tags: { target: tags, locationName: "Tag" },
    Note: { target: str },
    When: { target: ts },
    Data: { target: blob },
    Sizes: { target: { type: "list", member: { target: long, locationName: "Size" } } },
  });
  const value = {
    Grantee: { Type: "CanonicalUser", ID: "a&b" },
    Tags: { k1: "<v1>", k2: "v2" },
    Note: "  spaced \r\n",
    When: new Date("2014-04-29T18:30:38Z"),
    Data: new TextEncoder().encode("value"),
    Sizes: [1, 2 ** 40],
  };
  const xml = writeXml(structureToXml("Policy", shape, value, ns, "input"));
  assert.match(xml, /^<Policy xmlns="http:\/\/s3\.amazonaws\.com\/doc\/2006-03-01\/">/);
  assert.match(xml, /<Grantee xmlns:xsi="http:\/\/www\.w3\.org\/2001\/XMLSchema-instance" xsi:type="CanonicalUser">/);
  assert.deepEqual(readStructure(parseXml(xml, "test"), shape, "test"), {
    ...value,
    Note: "  spaced \r\n",
  });
});

test("writing a deeply nested value does not overflow the printer's stack", () => {
  let node = xmlNode("leaf");
  for (let i = 0; i < 50_000; i++) {
    const parent = xmlNode("n");
    parent.children.push(node);
    node = parent;
  }
  assert.equal(writeXml(node).length, 50_000 * "<n></n>".length + "<leaf></leaf>".length);
});

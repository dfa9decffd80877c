// The XML reader on untrusted input: malformed documents, entity expansion, deep nesting,
// and the decoding it must still do right (predefined entities, character references,
// CDATA, whitespace).
import { test } from "node:test";
import assert from "node:assert/strict";
import { ParseError } from "../../src/errors/index.ts";
import { MAX_DEPTH, parseXml, type XmlElement } from "../../src/protocols/xml/document.ts";

function parseFails(body: string | Uint8Array, pattern?: RegExp): ParseError {
  try {
    parseXml(body, "test");
  } catch (error) {
    assert.ok(error instanceof ParseError, `expected a ParseError, got ${String(error)}`);
    if (pattern) assert.match(error.message, pattern);
    return error;
  }
  assert.fail("expected a ParseError");
}

function textOf(root: XmlElement, name: string): string | undefined {
  return root.children.find((child) => child.localName === name)?.text;
}

test("malformed documents are a ParseError, never a partial tree", () => {
  const cases = [
    "",
    "   ",
    "garbage",
    "<A>",
    "<A><b>unterminated</A>",
    "<A><B></A></B>",
    "<A>text</A><B/>",
    "<A b='1' b='2'/>",
    "<A>a & b</A>",
    "<A",
    "<A></",
    "</A>",
    '<A b="unterminated></A>',
    "<A><![CDATA[never closed</A>",
    "<A><!-- never closed</A>",
    "\u0000\u0001\u0002",
  ];
  for (const body of cases) parseFails(body);
});

test("a truncated response fails with ParseError at every cut point", () => {
  const full = '<?xml version="1.0"?>\n<R xmlns="https://x"><a k="v">one &amp; two</a><b><![CDATA[<c>]]></b><c/></R>';
  assert.equal(parseXml(full, "test").localName, "R");
  for (let cut = 0; cut < full.length - 1; cut++) parseFails(full.slice(0, cut));
});

test("a billion-laughs document is refused at once, nothing is expanded", () => {
  const laughs = [
    '<?xml version="1.0"?>',
    "<!DOCTYPE lolz [",
    ' <!ENTITY lol "lol">',
    ...Array.from({ length: 9 }, (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i === 0 ? "" : i};`.repeat(10)}">`),
    "]>",
    "<lolz>&lol9;</lolz>",
  ].join("\n");
  parseFails(laughs, /DOCTYPE/);
});

test("a DOCTYPE is refused even after the declaration and comments", () => {
  parseFails('<?xml version="1.0"?><!-- hi --><!DOCTYPE a SYSTEM "file:///etc/passwd"><a>&xxe;</a>', /DOCTYPE/);
});

test("entities that are not predefined are never expanded: an undeclared one is an error", () => {
  parseFails("<A>&lol9;</A>", /undeclared entity "&lol9;"/);
  parseFails('<A b="&xxe;"/>', /undeclared entity/);
});

test("the five predefined entities and character references decode, once", () => {
  const root = parseXml(
    "<A><p>&lt;tag&gt; &amp; &quot;q&quot; &apos;a&apos;</p><n>&#65;&#x42;&#x1F600;&#xD;&#10;</n><d>&amp;lt;</d></A>",
    "test",
  );
  assert.equal(textOf(root, "p"), `<tag> & "q" 'a'`);
  assert.equal(textOf(root, "n"), "AB\u{1F600}\r\n");
  // Decoding is one pass: "&amp;lt;" is the text "&lt;", not "<".
  assert.equal(textOf(root, "d"), "&lt;");
});

test("character references to characters XML forbids are an error", () => {
  parseFails("<A>&#0;</A>", /invalid character/);
  parseFails("<A>&#xD800;</A>", /invalid character/);
  parseFails("<A>&#x110000;</A>", /invalid character/);
  parseFails("<A>&#99999999999;</A>");
});

test("attribute values decode entities and normalise literal whitespace", () => {
  const root = parseXml('<A t="&lt;test&amp;mock&gt;" w="a\tb\nc" r="x&#10;y"/>', "test");
  assert.equal(root.attributes.get("t"), "<test&mock>");
  assert.equal(root.attributes.get("w"), "a b c");
  assert.equal(root.attributes.get("r"), "x\ny");
});

test("CDATA is verbatim and whitespace is kept exactly", () => {
  const root = parseXml("<A><c><![CDATA[&amp; <b>]]></c><s>  two  spaces </s><e/><f></f></A>", "test");
  assert.equal(textOf(root, "c"), "&amp; <b>");
  assert.equal(textOf(root, "s"), "  two  spaces ");
  assert.equal(textOf(root, "e"), "");
  assert.equal(textOf(root, "f"), "");
});

test("line ends in text are normalised to \\n, as XML requires", () => {
  assert.equal(textOf(parseXml("<A><t>a\r\nb\rc</t></A>", "test"), "t"), "a\nb\nc");
});

test("prefixed names keep their prefix and expose the local name", () => {
  const root = parseXml('<s:A xmlns:s="u" xmlns:xsi="i"><s:b xsi:type="T">x</s:b></s:A>', "test");
  assert.equal(root.name, "s:A");
  assert.equal(root.localName, "A");
  const child = root.children[0];
  assert.equal(child?.localName, "b");
  assert.equal(child?.attributes.get("xsi:type"), "T");
});

test("bytes are read as UTF-8, with or without a BOM", () => {
  const bytes = new TextEncoder().encode("\uFEFF<A><k>caf\u00e9 \u{1F600}</k></A>");
  assert.equal(textOf(parseXml(bytes, "test"), "k"), "caf\u00e9 \u{1F600}");
});

test("nesting beyond the limit is a ParseError, quickly, with no stack overflow", () => {
  const ok = `${"<a>".repeat(MAX_DEPTH - 1)}x${"</a>".repeat(MAX_DEPTH - 1)}`;
  assert.equal(parseXml(ok, "test").localName, "a");
  for (const depth of [MAX_DEPTH + 2, 100_000]) {
    parseFails(`${"<a>".repeat(depth)}${"</a>".repeat(depth)}`, /nested/);
  }
  // Unclosed and deep: refused at the nesting cap, with a bounded message.
  const error = parseFails("<a>".repeat(100_000));
  assert.ok(error.message.length < 400);
});

test("many siblings and long text are fine (linear, no limit but memory)", () => {
  const items = Array.from({ length: 20_000 }, (_, i) => `<i>${i}</i>`).join("");
  const root = parseXml(`<A>${items}<big>${"x".repeat(1_000_000)}</big></A>`, "test");
  assert.equal(root.children.length, 20_001);
  assert.equal(textOf(root, "big")?.length, 1_000_000);
});

test("names that could pollute prototypes are plain names in a plain tree", () => {
  // The tree is arrays, Maps and strings: a name is never a property key, so nothing can reach a prototype.
  const root = parseXml('<__proto__ constructor="c"><constructor>1</constructor></__proto__>', "test");
  assert.equal(root.name, "__proto__");
  assert.equal(root.attributes.get("constructor"), "c");
  assert.equal(textOf(root, "constructor"), "1");
  assert.equal(({} as Record<string, unknown>)["a"], undefined);
  assert.equal(Object.getPrototypeOf({}), Object.prototype);
});

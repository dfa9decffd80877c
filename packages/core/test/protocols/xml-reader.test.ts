// The XML reader (xml/reader.ts behind parseXml) against fixed expected trees: tricky valid
// documents must read to exactly the tree written down here, a table of malformed ones must
// each be a ParseError naming the problem and its line, and random documents written by an
// independent writer must read back to the tree they were written from.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { ParseError } from "../../src/errors/index.ts";
import { decodeReferences, MAX_DEPTH, parseXml, type XmlElement } from "../../src/protocols/xml/document.ts";

/** An element as plain data: attributes as [name, value] pairs in document order. */
interface Tree {
  name: string;
  localName: string;
  attributes: Array<[string, string]>;
  text: string;
  children: Tree[];
}

function plain(element: XmlElement): Tree {
  return {
    name: element.name,
    localName: element.localName,
    attributes: [...element.attributes],
    text: element.text,
    children: element.children.map(plain),
  };
}

function el(name: string, parts: { attributes?: Array<[string, string]>; text?: string; children?: Tree[] } = {}): Tree {
  const colon = name.indexOf(":");
  return {
    name,
    localName: colon < 0 ? name : name.slice(colon + 1),
    attributes: parts.attributes ?? [],
    text: parts.text ?? "",
    children: parts.children ?? [],
  };
}

function reads(document: string, expected: Tree): void {
  assert.deepStrictEqual(plain(parseXml(document, "test")), expected, JSON.stringify(document));
  // Bytes read the same as the string they encode.
  assert.deepStrictEqual(plain(parseXml(new TextEncoder().encode(document), "test")), expected);
}

function parseFails(document: string | Uint8Array, pattern: RegExp): ParseError {
  try {
    parseXml(document, "test");
  } catch (error) {
    assert.ok(error instanceof ParseError, `expected a ParseError for ${JSON.stringify(document)}, got ${String(error)}`);
    assert.match(error.message, pattern, JSON.stringify(document));
    return error;
  }
  assert.fail(`expected a ParseError for ${JSON.stringify(document)}`);
}

// ---- valid documents ------------------------------------------------------------------

test("namespaces: prefixes are kept in names, local names drop them, xmlns attributes stay attributes", () => {
  reads(
    '<?xml version="1.0" encoding="UTF-8"?>\n<s:Envelope xmlns:s="urn:s" xmlns="urn:d"><s:Body a:b="1" xmlns:a="urn:a"><Item/><x:y:z/></s:Body></s:Envelope>',
    el("s:Envelope", {
      attributes: [["xmlns:s", "urn:s"], ["xmlns", "urn:d"]],
      children: [
        el("s:Body", {
          attributes: [["a:b", "1"], ["xmlns:a", "urn:a"]],
          children: [el("Item"), { ...el("x:y:z"), localName: "y:z" }],
        }),
      ],
    }),
  );
});

test("text, CDATA and references concatenate in document order; comments and PIs drop out", () => {
  reads(
    "<A>one &amp; <![CDATA[<two> &amp; ]]]]><![CDATA[>]]>three<!-- not text --> &#x1F600;<?pi skip me?>&lt;end&gt;<B>inner</B>tail</A>",
    el("A", { text: "one & <two> &amp; ]]>three \u{1F600}<end>tail", children: [el("B", { text: "inner" })] }),
  );
});

test("attributes in both quote kinds, each holding the other quote, references and spaces", () => {
  reads(
    `<A d="it's" s='say "hi"' r="&quot;&apos;&lt;&gt;&amp;" n="a&#9;b&#10;c&#13;d" w="a\tb\nc\r\nd\re" sp = 'x' />`,
    el("A", {
      attributes: [
        ["d", "it's"],
        ["s", 'say "hi"'],
        ["r", `"'<>&`],
        ["n", "a\tb\nc\rd"],
        ["w", "a b c d e"],
        ["sp", "x"],
      ],
    }),
  );
});

test("whitespace-only text is kept exactly, between and inside elements", () => {
  reads(
    "<A>\n  <B> </B>\n  <C>\t\n</C>\n  <D/>\n</A>",
    el("A", { text: "\n  \n  \n  \n", children: [el("B", { text: " " }), el("C", { text: "\t\n" }), el("D")] }),
  );
});

test("unicode: BMP and astral characters in text, attributes and names", () => {
  reads(
    '<Données clé="valeur 😀" 𐐀="astral name"><名前>東京 \u{10FFFF} \uFFFD</名前><a·b-c.d_e/></Données>',
    el("Données", {
      attributes: [["clé", "valeur 😀"], ["𐐀", "astral name"]],
      children: [el("名前", { text: "東京 \u{10FFFF} \uFFFD" }), el("a·b-c.d_e")],
    }),
  );
});

test("line ends: CRLF and lone CR read as LF everywhere, a CR reference stays a CR", () => {
  reads(
    "<?xml version='1.0'?>\r\n<A>\r\n<B>one\r\ntwo\rthree</B><C><![CDATA[x\r\ny\rz]]></C><D>&#13;&#xD;\r</D>\r\n</A>\r\n",
    el("A", { text: "\n\n", children: [el("B", { text: "one\ntwo\nthree" }), el("C", { text: "x\ny\nz" }), el("D", { text: "\r\r\n" })] }),
  );
});

test("prolog and epilog: BOM, declaration forms, comments, PIs and whitespace around the root", () => {
  const root = el("R", { text: "x" });
  for (const document of [
    "<R>x</R>",
    "\uFEFF<R>x</R>",
    "\uFEFF<?xml version=\"1.0\"?><R>x</R>",
    "<?xml version='1.1' encoding='utf-8' standalone='no' ?>\n<R>x</R>\n",
    "<?xml version=\"1.0\" standalone=\"yes\"?><R>x</R>",
    "<!-- before -->\n<?xml-stylesheet href='s.xsl'?>\n<R>x</R>\n<!-- after --><?done?>\n\t ",
    "<!----><R>x</R><!-- - - -->",
  ]) {
    reads(document, root);
  }
});

test("tags: self-closing, whitespace before '>' and '/>', end tags with trailing whitespace", () => {
  reads("<A\n\tk = \"v\"\r\n><B /><C></C \n><D\t/></A >", el("A", { attributes: [["k", "v"]], children: [el("B"), el("C"), el("D")] }));
});

test("names JavaScript treats specially are just names: nothing reaches a prototype", () => {
  reads(
    '<__proto__ constructor="c" __proto__="p"><constructor>1</constructor><hasOwnProperty/><toString/></__proto__>',
    el("__proto__", {
      attributes: [["constructor", "c"], ["__proto__", "p"]],
      children: [el("constructor", { text: "1" }), el("hasOwnProperty"), el("toString")],
    }),
  );
  assert.equal(({} as Record<string, unknown>)["constructor"], Object);
  assert.equal(Object.getPrototypeOf({}), Object.prototype);
  assert.equal(Object.keys(Object.prototype).length, 0);
});

test("an S3 answer reads to the expected tree", () => {
  const document = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
    "  <Name>bucket</Name>",
    "  <Contents><Key>a &amp; b/c&lt;d&gt;.txt</Key><ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag><Size>0</Size></Contents>",
    "</ListBucketResult>",
  ].join("\n");
  reads(
    document,
    el("ListBucketResult", {
      attributes: [["xmlns", "http://s3.amazonaws.com/doc/2006-03-01/"]],
      text: "\n  \n  \n",
      children: [
        el("Name", { text: "bucket" }),
        el("Contents", {
          children: [
            el("Key", { text: "a & b/c<d>.txt" }),
            el("ETag", { text: '"9b2cf535f27731c974343645a3985328"' }),
            el("Size", { text: "0" }),
          ],
        }),
      ],
    }),
  );
});

test("MAX_DEPTH levels are fine; one more, even an empty element, is a ParseError", () => {
  const nested = (levels: number, leaf: string): string => `${"<a>".repeat(levels)}${leaf}${"</a>".repeat(levels)}`;
  let tree = parseXml(nested(MAX_DEPTH, "x"), "test");
  for (let level = 1; level < MAX_DEPTH; level++) tree = tree.children[0] as XmlElement;
  assert.equal(tree.text, "x");
  parseXml(nested(MAX_DEPTH - 1, "<b/>"), "test");
  parseFails(nested(MAX_DEPTH, "<b/>"), /nested more than 256 levels/);
  parseFails(nested(MAX_DEPTH + 1, ""), /nested more than 256 levels/);
});

// ---- malformed documents -----------------------------------------------------------------

const MALFORMED: ReadonlyArray<readonly [string, string, RegExp]> = [
  ["empty", "", /no root element/],
  ["whitespace only", " \n\t", /no root element/],
  ["a comment only", "<!-- c -->", /no root element/],
  ["text instead of a root", "garbage", /text before the root element/],
  ["text before the root", "x<A/>", /text before the root element/],
  ["mismatched end tag", "<A><B></A></B>", /end tag <\/A> does not close <B>/],
  ["end tag differing in case", "<A></a>", /end tag <\/a> does not close <A>/],
  ["end tag that only starts like the name", "<A></AB>", /end tag <\/AB> does not close <A>/],
  ["end tag with a different prefix", "<x:A></y:A>", /does not close <x:A>/],
  ["end tag not closed", "<A></A", /end tag <\/A> is not closed/],
  ["space after '</'", "<A></ A>", /does not close <A>/],
  ["unclosed root", "<A>", /ends inside <A>/],
  ["unclosed child", "<A><B>text</A>", /end tag <\/A> does not close <B>/],
  ["end tag with no start", "</A>", /not followed by an element name/],
  ["two roots", "<A/><B/>", /a second root element/],
  ["text after the root", "<A/>junk", /content after the root element/],
  ["a reference after the root", "<A/>&amp;", /content after the root element/],
  ["CDATA after the root", "<A/><![CDATA[x]]>", /DOCTYPE|declarations/],
  ["a lone '<' after the root", "<A/><", /content after the root element/],
  ["space after '<'", "< A/>", /not followed by an element name/],
  ["attribute without a value", "<A b/>", /attribute "b" has no value/],
  ["attribute without quotes", "<A b=1/>", /value of the attribute "b" is not quoted/],
  ["attribute with an empty '='", "<A b=/>", /not quoted/],
  ["attribute without a name", "<A ='1'/>", /unexpected '=' in the tag <A>/],
  ["attributes with no space between", "<A x='1'y='2'/>", /unexpected 'y' in the tag <A>/],
  ["unclosed attribute value", '<A b="v/>', /value of the attribute "b" is not closed/],
  ["duplicate attribute", "<A b='1' c='2' b='3'/>", /attribute "b" is repeated/],
  ["duplicate xmlns", "<A xmlns='a' xmlns='a'/>", /attribute "xmlns" is repeated/],
  ["'<' in an attribute value", "<A b='a<b'/>", /'<' is not allowed in an attribute value/],
  ["'/' not followed by '>'", "<A/ >", /'\/' in <A> is not followed by '>'/],
  ["tag cut short", "<A b='1'", /ends inside the tag <A>/],
  ["name starting with a digit", "<1a/>", /not followed by an element name/],
  ["name starting with '-'", "<R><-a/></R>", /not followed by an element name/],
  ["name with '$'", "<a$/>", /unexpected '\$' in the tag <a>/],
  ["name with a no-break space", "<A\u00A0/>", /unexpected U\+00A0/],
  ["attribute name starting with '.'", "<A .b='1'/>", /unexpected '\.'/],
  ["unterminated comment", "<A><!-- never closed</A>", /comment is not closed/],
  ["'--' inside a comment", "<A><!-- a -- b --></A>", /'--' is not allowed inside a comment/],
  ["comment ending in '--->'", "<A><!-- a ---></A>", /'--' is not allowed inside a comment/],
  ["unterminated CDATA", "<A><![CDATA[never closed</A>", /CDATA section is not closed/],
  ["lowercase CDATA", "<A><![cdata[x]]></A>", /declarations/],
  ["unterminated PI", "<A><?pi never closed</A>", /processing instruction is not closed/],
  ["PI without a target", "<A><? x?></A>", /not followed by a target name/],
  ["PI target run into its content", "<A><?pi=x?></A>", /unexpected '='/],
  ["']]>' in text", "<A>a]]>b</A>", /']]>' is not allowed in text/],
  ["bare '&'", "<A>a & b</A>", /bare '&'/],
  ["'&' without ';'", "<A>&amp</A>", /bare '&'/],
  ["'&;'", "<A>&;</A>", /bare '&'/],
  ["reference with a space", "<A>&am p;</A>", /bare '&'/],
  ["bare '&' in an attribute", "<A b='x & y'/>", /bare '&'/],
  ["undeclared entity", "<A>&nbsp;</A>", /undeclared entity "&nbsp;"/],
  ["undeclared entity in an attribute", "<A b='&xxe;'/>", /undeclared entity "&xxe;"/],
  ["entity names are case-sensitive", "<A>&AMP;</A>", /undeclared entity "&AMP;"/],
  ["reference to U+0000", "<A>&#0;</A>", /reference to an invalid character "&#0;"/],
  ["reference to a control character", "<A>&#x1B;</A>", /invalid character/],
  ["reference to a surrogate", "<A>&#xD800;</A>", /invalid character/],
  ["reference to U+FFFE", "<A>&#xFFFE;</A>", /invalid character/],
  ["reference beyond U+10FFFF", "<A>&#x110000;</A>", /invalid character/],
  ["huge decimal reference", "<A>&#99999999999;</A>", /invalid character/],
  ["hex reference without digits", "<A>&#x;</A>", /malformed character reference "&#x;"/],
  ["decimal reference without digits", "<A>&#;</A>", /malformed character reference/],
  ["decimal reference with a letter", "<A>&#12a;</A>", /malformed character reference/],
  ["uppercase X in a hex reference", "<A>&#X41;</A>", /malformed character reference/],
  ["NUL in text", "<A>\u0000</A>", /U\+0000 is not allowed/],
  ["control character in text", "<A>a\u0001b</A>", /U\+0001 is not allowed/],
  ["control character in an attribute", "<A b='\u001F'/>", /U\+001F is not allowed/],
  ["control character in a comment", "<A><!-- \u0008 --></A>", /U\+0008 is not allowed/],
  ["control character in CDATA", "<A><![CDATA[\u000B]]></A>", /U\+000B is not allowed/],
  ["U+FFFF in text", "<A>\uFFFF</A>", /U\+FFFF is not allowed/],
  ["lone high surrogate", "<A>\uD83D</A>", /U\+D83D is not allowed/],
  ["lone low surrogate", "<A>\uDE00x</A>", /U\+DE00 is not allowed/],
  ["DOCTYPE in the prolog", '<!DOCTYPE A SYSTEM "file:///etc/passwd"><A/>', /DOCTYPE/],
  ["DOCTYPE after the declaration and a comment", '<?xml version="1.0"?>\n<!-- hi -->\n<!DOCTYPE A [<!ENTITY x "y">]><A>&x;</A>', /line 3, column 1\): the document has a DOCTYPE/],
  ["DOCTYPE inside the root", "<A><!DOCTYPE A></A>", /DOCTYPE/],
  ["DOCTYPE after the root", "<A/><!DOCTYPE A>", /DOCTYPE/],
  ["ENTITY declaration without a DOCTYPE", '<!ENTITY x "y"><A/>', /declarations \(DOCTYPE, ENTITY…\)/],
  ["lowercase doctype", "<!doctype A><A/>", /declarations/],
  ["XML declaration after whitespace", " <?xml version='1.0'?><A/>", /processing instruction named 'xml'/],
  ["XML declaration twice", "<?xml version='1.0'?><?xml version='1.0'?><A/>", /processing instruction named 'xml'/],
  ["XML declaration inside the root", "<A><?xml version='1.0'?></A>", /processing instruction named 'xml'/],
  ["uppercase XML declaration", "<?XML version='1.0'?><A/>", /processing instruction named 'xml'/],
  ["XML declaration without a version", "<?xml?><A/>", /XML declaration is malformed/],
  ["XML declaration with an unknown pseudo-attribute", "<?xml version='1.0' color='red'?><A/>", /XML declaration is malformed/],
  ["XML declaration not closed", "<?xml version='1.0'", /XML declaration is not closed/],
];

test("malformed documents: each is a ParseError that says what is wrong", () => {
  for (const [label, document, pattern] of MALFORMED) {
    const error = parseFails(document, pattern);
    assert.match(error.message, /^test: the response is not well-formed XML \(line \d+, column \d+\): /, label);
  }
});

test("errors name the line and column of the problem", () => {
  const document = '<?xml version="1.0"?>\n<A>\n  <B>ok</B>\n  <C>one & two</C>\n</A>';
  parseFails(document, /\(line 4, column 10\): a bare '&'/);
  parseFails("<A>\r\n<B>\r\n</A>", /\(line 3, column 1\): the end tag <\/A> does not close <B>/);
  parseFails("<A>\n\n<B>", /\(line 3, column 4\): the document ends inside <B>/);
});

test("messages stay short whatever the input quotes", () => {
  const long = "n".repeat(100_000);
  const error = parseFails(`<${long}></${long}x>`, /does not close/);
  assert.ok(error.message.length < 300, error.message);
  const deep = parseFails("<a>".repeat(100_000), /nested/);
  assert.ok(deep.message.length < 300, deep.message);
});

test("10k and 100k levels of nesting are a ParseError, with no stack overflow", () => {
  for (const levels of [10_000, 100_000]) {
    parseFails(`${"<a>".repeat(levels)}${"</a>".repeat(levels)}`, /nested more than 256 levels/);
    parseFails(`${"<a b='1'>".repeat(levels)}`, /nested more than 256 levels/);
  }
});

test("a billion-laughs document is refused at its DOCTYPE, before any entity is looked at", () => {
  const entities = Array.from({ length: 10 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join("\n");
  const bomb = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol0 "lol">\n${entities}\n]>\n<lolz>&lol10;</lolz>`;
  parseFails(bomb, /\(line 2, column 1\): the document has a DOCTYPE, which is not accepted/);
  parseFails("<lolz>&lol10;</lolz>", /undeclared entity "&lol10;"/);
});

test("bytes: a UTF-8 BOM is skipped, multi-byte characters decode", () => {
  const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("<A>caf\u00e9 \u{1F600}</A>")]);
  assert.equal(parseXml(bytes, "test").text, "caf\u00e9 \u{1F600}");
});

test("decodeReferences: one pass over a standalone text, with the reader's rules", () => {
  assert.equal(decodeReferences("plain", "test"), "plain");
  assert.equal(decodeReferences("&amp;lt; &#65;&#x1F600; a\r\nb", "test"), "&lt; A\u{1F600} a\r\nb");
  assert.throws(() => decodeReferences("a & b", "test"), ParseError);
  assert.throws(() => decodeReferences("&lol;", "test"), /undeclared entity "&lol;"/);
  assert.throws(() => decodeReferences("&#0;", "test"), /invalid character/);
});

// ---- round trips ---------------------------------------------------------------------------

/** Characters of XML text (`Char`), CR excluded (it reads as LF unless written as a reference). */
const xmlChars = fc
  .string({ unit: "binary", maxLength: 10 })
  .map((s) => s.replace(/[^\t\n\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, ""));
const names = fc.constantFrom("a", "B", "x:item", "s:Body", "é", "名前", "a-b.c_d", "_", "𐐀x", "Key", "member");
const attributeNames = fc.constantFrom("k", "x:k", "xmlns", "xmlns:x", "é", "a.b");

/** Text written several ways that must all read back the same. */
function writeText(text: string, style: number): string {
  const escaped = text.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
  switch (style) {
    case 0:
      return escaped;
    case 1:
      return text.includes("]]>") ? escaped : `<![CDATA[${text}]]>`;
    case 2:
      return [...text].map((c) => `&#${c.codePointAt(0)};`).join("");
    default:
      return [...text].map((c) => `&#x${(c.codePointAt(0) as number).toString(16)};`).join("");
  }
}

interface Model {
  name: string;
  attributes: Array<[string, string]>;
  parts: Array<{ text: string; style: number; comment: boolean } | Model>;
}

const model: fc.Arbitrary<Model> = fc.letrec<{ element: Model }>((tie) => ({
  element: fc.record({
    name: names,
    attributes: fc.uniqueArray(fc.tuple(attributeNames, xmlChars), { maxLength: 3, selector: ([name]) => name }),
    parts: fc.array(
      fc.oneof(
        { weight: 3, arbitrary: fc.record({ text: xmlChars, style: fc.integer({ min: 0, max: 3 }), comment: fc.boolean() }) },
        { weight: 2, arbitrary: tie("element") },
      ),
      { maxLength: 4 },
    ),
  }),
})).element;

function write(m: Model): string {
  const attributes = m.attributes
    .map(([name, value], i) => {
      // Literal tabs and line feeds would read as spaces: write them as references.
      const escaped = value.replace(/[&<"'\t\n]/g, (c) => `&#${c.charCodeAt(0)};`);
      return i % 2 === 0 ? ` ${name}="${escaped}"` : `\n\t${name} = '${escaped}'`;
    })
    .join("");
  const content = m.parts
    .map((part) => ("name" in part ? write(part) : `${writeText(part.text, part.style)}${part.comment ? "<!-- c --><?pi x?>" : ""}`))
    .join("");
  return `<${m.name}${attributes}>${content}</${m.name}>`;
}

function expectedTree(m: Model): Tree {
  const children: Tree[] = [];
  let text = "";
  for (const part of m.parts) {
    if ("name" in part) children.push(expectedTree(part));
    else text += part.text;
  }
  return el(m.name, { attributes: m.attributes, text, children });
}

test("random documents read back to the tree they were written from", () => {
  fc.assert(
    fc.property(model, fc.constantFrom("", '<?xml version="1.0" encoding="UTF-8"?>\n', "\uFEFF<!-- p -->"), (m, prolog) => {
      const document = `${prolog}${write(m)}\n`;
      assert.deepStrictEqual(plain(parseXml(document, "test")), expectedTree(m));
    }),
    { numRuns: 400 },
  );
});

/**
 * XML: the document reader (xml/document.ts) and the shape-driven readers of restXml and
 * awsQuery behind it. Allowed outcome for any body: a value or a `ParseError`.
 *
 * - arbitrary text, arbitrary bytes, and "XML-ish" soup made of the format's own tokens
 * - round trips: S3 ListObjectsV2, IAM ListUsers (query, <member> lists) and SNS
 *   GetTopicAttributes (query, <entry> maps) answers written from random values by an
 *   independent writer must parse to exactly those values
 * - mutations of those answers (1–3 edits: truncations, insertions of XML tokens…)
 * - restXml's header bindings: S3 HeadObject with random header values, and number headers
 *   that must read as the decimal they spell ("0x10" is not 16)
 * - entities are never expanded: a DOCTYPE declaring an entity, wherever it is put and
 *   however it is spelt, either gets the document refused or leaves the entity's text out
 *   of everything the reader returns
 * - corpus: 10k and 100k levels of nesting, billion laughs, external entities, numbers
 *   too big for their type, a long text
 *
 * Numbers, decided as the v3 SDK does (botocore has no integer type check): an integer
 * member (byte…long) must be an integer that a double can hold; beyond 2^53 it rounds, as
 * JSON.parse rounds, but a value so long it would be Infinity is a ParseError, never a
 * silent Infinity. A float/double member reads "1e400" as Infinity, which is what
 * botocore's float() and the v3 SDK's parseFloat give.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { ParseError } from "../../packages/core/src/errors/index.ts";
import type { RawResponse } from "../../packages/core/src/protocols/protocol.ts";
import { queryProtocol } from "../../packages/core/src/protocols/query.ts";
import { restXmlProtocol } from "../../packages/core/src/protocols/rest-xml.ts";
import { parseXml, type XmlElement } from "../../packages/core/src/protocols/xml/document.ts";
import { membersOf, memberShape, resolveShape } from "../../packages/core/src/schema/normalize.ts";
import type { OperationSchema, ServiceSchema, Shape, StructureShape } from "../../packages/core/src/schema/types.ts";
import * as iam from "../../packages/iam/src/generated/schema.ts";
import * as s3 from "../../packages/s3/src/generated/schema.ts";
import * as sns from "../../packages/sns/src/generated/schema.ts";
import { fuzzFamily, outcome } from "./property.ts";
import { mutatedBytes, mutatedText, utf8 } from "./support/mutate.ts";
import { valueOf } from "./support/shape-values.ts";
import { escapeXml, xmlDocument } from "./support/writers.ts";

const XML_TOKENS = [
  "<a>", "</a>", "<b x=\"1\">", "</b>", "<a/>", "<![CDATA[", "]]>", "<!--", "-->", "<?xml version=\"1.0\"?>", "<?pi x?>",
  "&amp;", "&lt;", "&#x41;", "&#65;", "&#0;", "&#xD800;", "&#99999999999;", "&lol;", "&", ";", "<!DOCTYPE a [", "<!ENTITY lol \"lol\">", "]>",
  "<", ">", "/", "=", "\"", "'", " ", "\n", "\r", "\t", "\u0000", "\uFEFF", "xmlns:x=\"u\"", "<x:a>", "</x:a>",
  "<__proto__>", "</__proto__>", "<constructor>", "</constructor>", "<Contents>", "</Contents>", "<Size>", "</Size>", "<Key>", "</Key>",
  "<entry>", "</entry>", "<key>", "</key>", "<value>", "</value>", "<member>", "</member>", "<Error>", "</Error>",
];

/** Every character an XML 1.0 document may contain (CR is written as a reference). */
const xmlText = fc.string({ unit: "binary", maxLength: 12 }).map((s) => s.replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, ""));

const response = (body: Uint8Array | string, statusCode = 200, headers: Record<string, string> = {}): RawResponse => ({
  statusCode,
  headers,
  body: typeof body === "string" ? utf8.encode(body) : body,
});

interface XmlCase {
  readonly label: string;
  readonly service: ServiceSchema;
  readonly operation: OperationSchema;
  readonly parse: typeof restXmlProtocol.parseResponse;
  /** Wraps the output element as the protocol's answer does. */
  readonly document: (value: Record<string, unknown>) => string;
}

/** Left out of written answers: header-bound members, and attributes (the writer writes elements only). */
const notInBody = (view: { location: string | undefined; member: { xmlAttribute?: boolean } }): boolean =>
  view.location !== undefined || view.member.xmlAttribute === true;

function outputOf(operation: OperationSchema): StructureShape {
  if (!operation.output) throw new Error(`${operation.name} has no output`);
  return resolveShape(operation.output);
}

const CASES: readonly XmlCase[] = [
  {
    label: "S3 ListObjectsV2 (rest-xml)",
    service: s3.service,
    operation: s3.ListObjectsV2,
    parse: restXmlProtocol.parseResponse,
    document: (value) => xmlDocument("ListBucketResult", outputOf(s3.ListObjectsV2), value),
  },
  {
    label: "IAM ListUsers (query)",
    service: iam.service,
    operation: iam.ListUsers,
    parse: queryProtocol.parseResponse,
    document: (value) =>
      xmlDocument("ListUsersResult", outputOf(iam.ListUsers), value, (inner) => `<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">${inner}<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></ListUsersResponse>`),
  },
  {
    label: "SNS GetTopicAttributes (query)",
    service: sns.service,
    operation: sns.GetTopicAttributes,
    parse: queryProtocol.parseResponse,
    document: (value) =>
      xmlDocument("GetTopicAttributesResult", outputOf(sns.GetTopicAttributes), value, (inner) => `<GetTopicAttributesResponse>${inner}</GetTopicAttributesResponse>`),
  },
];

/** What the reader gives back for a value: a flattened list with no items is no element at all. */
function expected(shape: Shape, value: unknown): unknown {
  switch (shape.type) {
    case "structure": {
      const out: Record<string, unknown> = {};
      for (const view of membersOf(shape)) {
        const member = (value as Record<string, unknown>)[view.name];
        if (member === undefined) continue;
        if (view.shape.type === "list" && (view.member.flattened || view.shape.flattened) && (member as unknown[]).length === 0) continue;
        out[view.name] = expected(view.shape, member);
      }
      return out;
    }
    case "list":
      return (value as unknown[]).map((item) => expected(memberShape(shape.member), item));
    default:
      return value;
  }
}

function documentsOf(xmlCase: XmlCase): fc.Arbitrary<{ value: Record<string, unknown>; text: string }> {
  return valueOf(outputOf(xmlCase.operation), { text: xmlText, mode: "output", maxDepth: 4, skip: notInBody }).map((value) => {
    const record = value as Record<string, unknown>;
    return { value: record, text: xmlCase.document(record) };
  });
}

/** Every text and attribute value in a tree, for the no-expansion check. */
function* texts(element: XmlElement): Generator<string> {
  yield element.text;
  yield* element.attributes.values();
  for (const child of element.children) yield* texts(child);
}

fuzzFamily("xml", (family) => {
  family.property("arbitrary text is a tree or a ParseError", 600, fc.property(fc.string({ unit: "binary", maxLength: 300 }), (text) => {
    outcome(() => parseXml(text, "fuzz"), [ParseError]);
  }));

  family.property("arbitrary bytes are a tree or a ParseError", 400, fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
    outcome(() => parseXml(bytes, "fuzz"), [ParseError]);
  }));

  family.property("XML token soup is a tree or a ParseError", 800, fc.property(
    fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...XML_TOKENS) }, { weight: 1, arbitrary: xmlText }), { maxLength: 40 }),
    (parts) => {
      outcome(() => parseXml(parts.join(""), "fuzz"), [ParseError]);
    },
  ));

  for (const xmlCase of CASES) {
    const output = outputOf(xmlCase.operation);
    family.property(`${xmlCase.label}: a written answer parses to its values`, 300, fc.property(documentsOf(xmlCase), ({ value, text }) => {
      const parsed = xmlCase.parse({ service: xmlCase.service, operation: xmlCase.operation, response: response(text) });
      assert.deepStrictEqual(parsed, expected(output, value));
    }));

    family.property(`${xmlCase.label}: a mutated answer is a value or a ParseError`, 400, fc.property(
      mutatedText(documentsOf(xmlCase).map((d) => d.text), XML_TOKENS),
      (text) => {
        outcome(() => xmlCase.parse({ service: xmlCase.service, operation: xmlCase.operation, response: response(text) }), [ParseError]);
      },
    ));
  }

  family.property("S3 ListObjectsV2: a mutated answer as bytes is a value or a ParseError", 300, fc.property(
    mutatedBytes(documentsOf(CASES[0] as XmlCase).map((d) => utf8.encode(d.text))),
    (bytes) => {
      outcome(() => restXmlProtocol.parseResponse({ service: s3.service, operation: s3.ListObjectsV2, response: response(bytes) }), [ParseError]);
    },
  ));

  // Every header-bound member of S3's HeadObject output (longs, timestamps, booleans, the
  // x-amz-meta-* map) with random header text, or text that looks like its type.
  const headObject = outputOf(s3.HeadObject);
  const headerNames = membersOf(headObject).filter((v) => v.location === "header").map((v) => v.wireName.toLowerCase());
  const headerText = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom("", " ", "12", "-1", "1e400", "9007199254740993", "true", "TRUE", "Tue, 29 Apr 2014 18:30:38 GMT", "2014-04-29T18:30:38Z", "1398796238", "Mon, 99 Foo", "\"a,b\", c", "NaN"),
  );
  family.property("S3 HeadObject: random header values are a value or a ParseError", 600, fc.property(
    fc.dictionary(fc.oneof(fc.constantFrom(...headerNames), fc.constantFrom("x-amz-meta-a", "x-amz-meta-__proto__", "x-amz-meta-")), headerText, { maxKeys: 8, noNullPrototype: true }),
    fc.integer({ min: 200, max: 299 }),
    (headers, status) => {
      outcome(() => restXmlProtocol.parseResponse({ service: s3.service, operation: s3.HeadObject, response: response("", status, headers) }), [ParseError]);
    },
  ));

  // A number header must be written as a decimal number (botocore's int() and float()):
  // "0x10", "0b1" or "1_000" is not 16, 1 or 1000.
  const numberText = fc.oneof(
    fc.constantFrom("0x10", "0X1f", "0b11", "0o17", "1_000", "1e3", "12.0", ".5", "+7", "-0", "00012", "Infinity", "-Infinity", "NaN", "1e400", " 42 "),
    fc.stringMatching(/^[ +\-0-9.eExXbBoO_a-fA-F]{0,8}$/),
  );
  family.property("S3 HeadObject: a number header reads as the decimal it spells, or is a ParseError", 600, fc.property(numberText, numberText, (length, parts) => {
    const result = outcome(
      () => restXmlProtocol.parseResponse({ service: s3.service, operation: s3.HeadObject, response: response("", 200, { "content-length": length, "x-amz-mp-parts-count": parts }) }),
      [ParseError],
    );
    if (!result.ok) return;
    for (const [member, text] of [["ContentLength", length], ["PartsCount", parts]] as const) {
      const value: unknown = result.value[member];
      assert.match(text.trim(), /^[+-]?\d+$/, `${member} ${JSON.stringify(text)} read as ${String(value)}`);
      assert.equal(value, Number(text.trim()));
    }
  }));

  const entityName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9._-]{0,8}$/);
  const placement = fc.constantFrom(
    (dtd: string, body: string) => `${dtd}${body}`,
    (dtd: string, body: string) => `<?xml version="1.0"?>\n${dtd}\n${body}`,
    (dtd: string, body: string) => `\uFEFF${dtd}${body}`,
    (dtd: string, body: string) => `<!-- c -->${dtd}${body}`,
    (dtd: string, body: string) => `<?pi x?>  ${dtd}${body}`,
    (dtd: string, body: string) => `${dtd.replace("DOCTYPE", "doctype")}${body}`,
    (dtd: string, body: string) => `${dtd.replace("<!DOCTYPE", "<!DOCTYPE\n")}${body}`,
    (dtd: string, body: string) => body.replace("<r>", `<r>${dtd}`),
    (dtd: string, body: string) => body.replace("</r>", `${dtd}</r>`),
    (dtd: string, body: string) => `${body}${dtd}`,
  );
  family.property("a declared entity is never expanded", 600, fc.property(
    entityName,
    fc.stringMatching(/^[A-Za-z0-9]{1,8}$/),
    fc.constantFrom("", " SYSTEM \"file:///etc/passwd\"", " PUBLIC \"x\" \"http://127.0.0.1/\""),
    placement,
    (name, marker, external, place) => {
      const replacement = `EXPANDED${marker}`;
      const declaration = external ? `<!ENTITY ${name}${external}>` : `<!ENTITY ${name} "${replacement}">`;
      const dtd = `<!DOCTYPE r [${declaration}]>`;
      const body = `<r a="&${name};"><k>&${name};</k><k>x&${name};&${name};</k></r>`;
      const result = outcome(() => parseXml(place(dtd, body), "fuzz"), [ParseError]);
      if (result.ok) {
        for (const text of texts(result.value)) assert.ok(!text.includes(replacement), `entity ${name} was expanded into ${JSON.stringify(text)}`);
      }
    },
  ));

  family.property("a character reference decodes once, never twice", 300, fc.property(fc.integer({ min: 0x20, max: 0x7e }), (code) => {
    const char = String.fromCharCode(code);
    const root = parseXml(`<r>&amp;#${code};&#${code};${escapeXml(char)}</r>`, "fuzz");
    assert.equal(root.text, `&#${code};${char}${char}`);
  }));

  // ---- corpus ----

  const deep = (levels: number): string => "<a>".repeat(levels) + "</a>".repeat(levels);
  for (const levels of [10_000, 100_000]) {
    family.corpus(`${levels} levels of nesting are a ParseError`, () => {
      assert.throws(() => parseXml(deep(levels), "fuzz"), ParseError);
      assert.throws(() => restXmlProtocol.parseResponse({ service: s3.service, operation: s3.ListObjectsV2, response: response(deep(levels)) }), ParseError);
    });
  }

  family.corpus("billion laughs is refused without expanding", () => {
    const entities = Array.from({ length: 10 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join("");
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">${entities}]><lolz>&lol10;</lolz>`;
    assert.throws(() => parseXml(bomb, "fuzz"), ParseError);
    // The same references with no declaration: still never expanded, an undeclared entity.
    assert.throws(() => parseXml("<lolz>&lol10;</lolz>", "fuzz"), ParseError);
  });

  family.corpus("external entities are refused", () => {
    for (const doc of [
      `<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>`,
      `<!DOCTYPE r SYSTEM "http://127.0.0.1:1/evil.dtd"><r/>`,
      `<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:1/p.dtd"> %p;]><r/>`,
    ]) {
      assert.throws(() => parseXml(doc, "fuzz"), ParseError);
    }
  });

  const sizeOf = (text: string): RawResponse => response(`<ListBucketResult><Contents><Key>k</Key><Size>${text}</Size></Contents><MaxKeys>1</MaxKeys></ListBucketResult>`);
  const listObjects = (r: RawResponse) => restXmlProtocol.parseResponse({ service: s3.service, operation: s3.ListObjectsV2, response: r });
  family.corpus("an integer too big for a double is a ParseError, never Infinity", () => {
    assert.throws(() => listObjects(sizeOf(`1${"0".repeat(400)}`)), ParseError);
    assert.throws(() => listObjects(sizeOf("1e400")), ParseError);
    assert.throws(() => listObjects(sizeOf("12.5")), ParseError);
  });

  family.corpus("an integer beyond 2^53 rounds to the nearest double", () => {
    const parsed = listObjects(sizeOf("123456789012345678901234567890"));
    assert.deepEqual((parsed["Contents"] as Array<Record<string, unknown>>)[0]?.["Size"], 123456789012345678901234567890);
  });

  family.corpus("a 1 MB text value reads whole", () => {
    const key = "k".repeat(1 << 20);
    const parsed = listObjects(response(`<ListBucketResult><Contents><Key>${key}</Key></Contents></ListBucketResult>`));
    assert.equal((parsed["Contents"] as Array<Record<string, unknown>>)[0]?.["Key"], key);
  });
});

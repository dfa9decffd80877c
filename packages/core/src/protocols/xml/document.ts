/**
 * Reading an XML response body into a small, plain element tree, safely.
 *
 *   bytes ──UTF-8──▶ text ──XMLValidator──▶ well-formed? ──XMLParser (preserveOrder)──▶ XmlElement tree
 *                                                                                        (entities decoded here)
 *
 * The body is untrusted input, so the rules are:
 * - Well-formedness is checked first (fast-xml-parser's validator): the parser alone is
 *   lenient and would turn `<a><b></a>` into a tree. Anything malformed is a `ParseError`.
 * - No DTDs. A DOCTYPE is refused outright (AWS never sends one), and the parser runs with
 *   entity processing off, so no declared entity is ever expanded: a billion-laughs
 *   document costs one linear scan and is rejected.
 * - The five predefined entities and numeric character references are decoded here, in
 *   one non-recursive pass over each text and attribute value (`&amp;lt;` is `&lt;`, never
 *   `<`). Any other reference is an error, as it is for any conforming XML parser.
 * - CDATA is kept verbatim; whitespace is kept exactly (the schema, not the reader,
 *   decides what a value is, and a string's spaces are part of it).
 * - Nesting is capped (`MAX_DEPTH`); deeper documents are a `ParseError`, never a stack
 *   overflow.
 *
 * The tree keeps element names as written (prefix included) plus the local name that the
 * shape-driven reader matches on, attributes by their written names, and each element's
 * character data. Nothing downstream touches fast-xml-parser's output format.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { ParseError } from "../../errors/index.ts";

export interface XmlElement {
  /** The tag as written, e.g. "Owner" or "xsi:Grantee". */
  readonly name: string;
  /** The tag without its namespace prefix. */
  readonly localName: string;
  /** Attribute values by written name ("xmlns:xsi", "xsi:type"), entities decoded. */
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  /** All character data directly inside the element (text and CDATA), in order. */
  readonly text: string;
}

/** Deeper documents are refused; AWS responses nest a few dozen levels at most. */
export const MAX_DEPTH = 256;

const TEXT = "#text";
const CDATA = "#cdata";
const ATTRIBUTES = ":@";

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: CDATA,
  maxNestedTags: MAX_DEPTH,
});

const utf8 = new TextDecoder("utf-8");

/** Parses a response body; `protocol` names the caller in any `ParseError`. */
export function parseXml(body: Uint8Array | string, protocol: string): XmlElement {
  const text = typeof body === "string" ? body : utf8.decode(body);
  if (hasDoctype(text)) throw new ParseError(protocol, "the XML document has a DOCTYPE, which is not accepted");
  const verdict = XMLValidator.validate(text);
  if (verdict !== true) {
    const { msg, line } = verdict.err;
    const problem = msg.length > 160 ? `${msg.slice(0, 160)}…` : msg;
    throw new ParseError(protocol, `the response is not well-formed XML (line ${line}): ${problem}`);
  }
  let nodes: unknown;
  try {
    nodes = parser.parse(text);
  } catch (cause) {
    const problem = cause instanceof Error ? cause.message : String(cause);
    throw new ParseError(protocol, `the response is not usable XML: ${problem}`, { cause });
  }
  const roots = Array.isArray(nodes) ? nodes.map((node) => toElement(node, protocol)).filter((e) => e !== undefined) : [];
  const root = roots[0];
  if (!root || roots.length !== 1) throw new ParseError(protocol, "the XML document has no single root element");
  return root;
}

/** A DOCTYPE may only sit in the prolog: look past the declaration, comments and PIs. */
function hasDoctype(text: string): boolean {
  let i = 0;
  for (;;) {
    while (i < text.length && /\s|\uFEFF/.test(text[i] as string)) i++;
    if (text.startsWith("<?", i)) {
      const end = text.indexOf("?>", i + 2);
      if (end < 0) return false;
      i = end + 2;
    } else if (text.startsWith("<!--", i)) {
      const end = text.indexOf("-->", i + 4);
      if (end < 0) return false;
      i = end + 3;
    } else {
      return text.startsWith("<!DOCTYPE", i) || text.startsWith("<!ENTITY", i);
    }
  }
}

/** One preserveOrder node (`{ tag: [children], ":@": {attrs} }`) into an element; text nodes give undefined. */
function toElement(node: unknown, protocol: string): XmlElement | undefined {
  if (node === null || typeof node !== "object") return undefined;
  const record = node as Record<string, unknown>;
  const name = Object.keys(record).find((key) => key !== ATTRIBUTES && key !== TEXT && key !== CDATA);
  if (name === undefined) return undefined;
  const rawChildren = record[name];
  const children: XmlElement[] = [];
  let text = "";
  if (Array.isArray(rawChildren)) {
    for (const child of rawChildren) {
      if (child === null || typeof child !== "object") continue;
      const c = child as Record<string, unknown>;
      if (TEXT in c) text += decodeReferences(String(c[TEXT]), protocol);
      else if (CDATA in c) text += cdataText(c[CDATA]);
      else {
        const element = toElement(child, protocol);
        if (element) children.push(element);
      }
    }
  }
  const attributes = new Map<string, string>();
  const rawAttributes = record[ATTRIBUTES];
  if (rawAttributes !== null && typeof rawAttributes === "object") {
    for (const [attribute, value] of Object.entries(rawAttributes)) {
      attributes.set(attribute, decodeReferences(normalizeAttributeWhitespace(String(value)), protocol));
    }
  }
  const colon = name.indexOf(":");
  return { name, localName: colon < 0 ? name : name.slice(colon + 1), attributes, children, text };
}

function cdataText(raw: unknown): string {
  if (!Array.isArray(raw)) return "";
  let text = "";
  for (const part of raw) {
    if (part !== null && typeof part === "object" && TEXT in part) text += String((part as Record<string, unknown>)[TEXT]);
  }
  return text;
}

/** XML 1.0 §3.3.3: literal tabs and line breaks in an attribute value read as spaces. */
function normalizeAttributeWhitespace(value: string): string {
  return value.replace(/[\t\n\r]/g, " ");
}

const PREDEFINED: ReadonlyMap<string, string> = new Map([
  ["lt", "<"],
  ["gt", ">"],
  ["amp", "&"],
  ["quot", '"'],
  ["apos", "'"],
]);

// A reference is short; the bounded body keeps a stray "&" from scanning far ahead.
const REFERENCE = /&([^&;<\s]{1,32});|&/g;

/**
 * Decodes the predefined entities and numeric character references in one pass; the
 * output is never rescanned, so nothing expands twice.
 */
export function decodeReferences(text: string, protocol: string): string {
  if (!text.includes("&")) return text;
  return text.replace(REFERENCE, (_whole, body: string | undefined) => {
    if (body === undefined) throw new ParseError(protocol, "the XML has a bare '&' that starts no reference");
    const named = PREDEFINED.get(body);
    if (named !== undefined) return named;
    const numeric = /^#(?:x([0-9A-Fa-f]{1,8})|([0-9]{1,10}))$/.exec(body);
    if (!numeric) throw new ParseError(protocol, `the XML refers to an undeclared entity "&${body};"`);
    const code = numeric[1] !== undefined ? Number.parseInt(numeric[1], 16) : Number.parseInt(numeric[2] ?? "", 10);
    if (!isXmlChar(code)) throw new ParseError(protocol, `the XML has a character reference to an invalid character "&${body};"`);
    return String.fromCodePoint(code);
  });
}

/** XML 1.0 `Char`: the code points a document may contain. */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 || code === 0xa || code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** A body with nothing but XML whitespace (or nothing at all): no document to parse. */
export function isBlank(body: Uint8Array): boolean {
  return body.every((byte) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d);
}

/** The element's children with this local name, in document order. */
export function childrenNamed(element: XmlElement, localName: string): XmlElement[] {
  return element.children.filter((child) => child.localName === localName);
}

/** The first child with this local name. */
export function childNamed(element: XmlElement, localName: string): XmlElement | undefined {
  return element.children.find((child) => child.localName === localName);
}

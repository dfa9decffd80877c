/**
 * Reading an XML response body into a small, plain element tree, safely.
 *
 *   bytes ──UTF-8──▶ text ──reader.ts (one pass: well-formedness + tree)──▶ XmlElement tree
 *                                       (references decoded here)
 *
 * The body is untrusted input, so the rules are:
 * - Well-formedness is checked while the tree is built, and nothing is returned until the
 *   whole document has passed: `<a><b></a>` is never turned into a tree. Anything
 *   malformed is a `ParseError` naming the line and column.
 * - No DTDs. A DOCTYPE is refused outright (AWS never sends one), and no entity is ever
 *   declared, so none is ever expanded: a billion-laughs document costs one linear scan
 *   and is rejected.
 * - The five predefined entities and numeric character references are decoded here, in
 *   one non-recursive pass over each text and attribute value (`&amp;lt;` is `&lt;`, never
 *   `<`). Any other reference is an error, as it is for any conforming XML parser.
 * - CDATA is kept verbatim; whitespace is kept exactly (the schema, not the reader,
 *   decides what a value is, and a string's spaces are part of it). Line ends read as LF,
 *   as XML requires.
 * - Nesting is capped (`MAX_DEPTH`); deeper documents are a `ParseError`, never a stack
 *   overflow.
 *
 * The tree keeps element names as written (prefix included) plus the local name that the
 * shape-driven reader matches on, attributes by their written names, and each element's
 * character data. Elements, attributes and names are plain data (arrays, a `Map`,
 * strings), so no name in a document, `__proto__` included, can reach a prototype.
 */
import { decodeReferencesIn, MAX_DEPTH, readXml } from "./reader.ts";

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

export { MAX_DEPTH };

const utf8 = new TextDecoder("utf-8");

/** Parses a response body; `protocol` names the caller in any `ParseError`. */
export function parseXml(body: Uint8Array | string, protocol: string): XmlElement {
  return readXml(typeof body === "string" ? body : utf8.decode(body), protocol);
}

/**
 * Decodes the predefined entities and numeric character references in one pass; the
 * output is never rescanned, so nothing expands twice.
 */
export function decodeReferences(text: string, protocol: string): string {
  return decodeReferencesIn(text, protocol);
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

/**
 * XML as a comparable tree, for tests that check a serializer's XML against an expected
 * document. Parsed by fast-xml-parser (an oracle independent of the SDK's own XML code),
 * keeping element order, attributes and namespaces, and dropping what is insignificant:
 * the declaration, processing instructions, comments and whitespace-only text between
 * elements. Two documents are "the same XML" when their trees are deep-equal.
 */
import { XMLParser } from "fast-xml-parser";

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
}

export type XmlNode = XmlElement | string;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  textNodeName: "#text",
});

/** The document's top-level nodes (normally one root element). Throws on malformed XML. */
export function xmlTree(text: string): XmlNode[] {
  const raw: unknown = parser.parse(text, true);
  return convert(Array.isArray(raw) ? raw : []);
}

function convert(nodes: readonly unknown[]): XmlNode[] {
  const out: XmlNode[] = [];
  for (const node of nodes) {
    if (node === null || typeof node !== "object") continue;
    const record = node as Record<string, unknown>;
    if ("#text" in record) {
      const text = String(record["#text"]);
      // Adjacent text (split around an entity or CDATA) is one value.
      const last = out.at(-1);
      if (typeof last === "string") out[out.length - 1] = last + text;
      else out.push(text);
      continue;
    }
    const name = Object.keys(record).find((key) => key !== ":@");
    if (name === undefined) continue;
    const attrs = (record[":@"] ?? {}) as Record<string, unknown>;
    const attributes: Record<string, string> = {};
    for (const key of Object.keys(attrs).sort()) attributes[key] = String(attrs[key]);
    const children = record[name];
    out.push({ name, attributes, children: convert(Array.isArray(children) ? children : []) });
  }
  // Whitespace-only text beside elements is indentation; text alone in an element is a value.
  const hasElement = out.some((node) => typeof node !== "string");
  return hasElement ? out.filter((node) => typeof node !== "string" || node.trim() !== "") : out;
}

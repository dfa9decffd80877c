/**
 * Writing XML: a tiny element model and one function that prints it. Serializers build
 * `XmlNode`s (never strings), so escaping happens in exactly one place and a value can
 * never break out of its element or attribute.
 *
 * Escaping is the minimum that round-trips through any conforming parser:
 * - text: `&`, `<`, `>`, and `\r` (written `&#xD;` so line-end normalisation on the far
 *   side cannot eat it);
 * - attribute values: the same plus `"`, and `\n` / `\t` as references (a parser turns
 *   literal ones into spaces).
 * Characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates) are refused
 * rather than silently changed.
 */
import { StratusError } from "../../errors/index.ts";
import type { XmlNamespace } from "../../schema/types.ts";

export interface XmlNode {
  readonly name: string;
  readonly attributes: Array<readonly [string, string]>;
  readonly children: Array<XmlNode | string>;
}

export function xmlNode(name: string): XmlNode {
  return { name, attributes: [], children: [] };
}

/** Declares a namespace on the element: `xmlns="uri"` or `xmlns:prefix="uri"`. */
export function declareNamespace(node: XmlNode, namespace: XmlNamespace | undefined): void {
  if (!namespace) return;
  node.attributes.push([namespace.prefix ? `xmlns:${namespace.prefix}` : "xmlns", namespace.uri]);
}

/** The element as text, without an XML declaration. */
export function writeXml(node: XmlNode): string {
  let out = "";
  // An explicit stack instead of recursion: a deep input cannot overflow the call stack.
  const stack: Array<XmlNode | string | { readonly close: string }> = [node];
  while (stack.length > 0) {
    const item = stack.pop() as XmlNode | string | { readonly close: string };
    if (typeof item === "string") {
      out += escapeText(item);
    } else if ("close" in item) {
      out += `</${item.close}>`;
    } else {
      out += `<${item.name}`;
      for (const [name, value] of item.attributes) out += ` ${name}="${escapeAttribute(value)}"`;
      out += ">";
      stack.push({ close: item.name });
      for (let i = item.children.length - 1; i >= 0; i--) stack.push(item.children[i] as XmlNode | string);
    }
  }
  return out;
}

// Anything outside XML 1.0's Char production (lone surrogates included).
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function checkChars(text: string): void {
  if (NOT_XML_CHAR.test(text)) {
    throw new StratusError("a value contains a character that XML 1.0 cannot carry (a control character or a lone surrogate)");
  }
}

export function escapeText(text: string): string {
  checkChars(text);
  return text.replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c] ?? c);
}

export function escapeAttribute(text: string): string {
  checkChars(text);
  return text.replace(/[&<>"\r\n\t]/g, (c) => ATTRIBUTE_ESCAPES[c] ?? c);
}

const TEXT_ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#xD;" };
const ATTRIBUTE_ESCAPES: Readonly<Record<string, string>> = {
  ...TEXT_ESCAPES,
  '"': "&quot;",
  "\n": "&#xA;",
  "\t": "&#x9;",
};

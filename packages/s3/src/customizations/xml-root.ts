/**
 * The root element of an XML response body, found without parsing the document: what the
 * 200-with-an-error rule (error-in-200.ts) and GetBucketLocation's reader
 * (bucket-location.ts) need, which is the root's name, its text, and whether the document
 * arrived whole. A scan, not a parse: these rules look at every buffered S3 answer, which
 * the protocol parses right after, so a full parse here would read each body twice.
 *
 *   <?xml version="1.0" encoding="UTF-8"?>          prolog: declaration, comments, doctype
 *   <!-- … -->                                        and whitespace are skipped
 *   <Error><Code>…</Code>…</Error>                   name "Error", complete
 *   <LocationConstraint xmlns="…">eu-west-1</…>     name "LocationConstraint", text "eu-west-1"
 *   <LocationConstraint xmlns="…"/>                  self-closing: text ""
 *   <CompleteMultipartUploadResult><Loc…             cut short: complete false
 */

export interface XmlRoot {
  /** The root's local name (a namespace prefix dropped). */
  readonly name: string;
  /** Whether the document ends with the root's end tag (or the root closes itself). */
  readonly complete: boolean;
  /** What lies between the root's start and end tags, as it is (not unescaped). */
  readonly content: string;
}

const decoder = new TextDecoder("utf-8");

/** The root element, or undefined when the body does not start like an XML document. */
export function xmlRoot(body: Uint8Array): XmlRoot | undefined {
  const text = decoder.decode(body);
  let at = skipProlog(text);
  if (text[at] !== "<") return undefined;
  const name = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(at, at + 300))?.[1];
  if (name === undefined) return undefined;
  const startEnd = endOfTag(text, at + 1 + name.length);
  if (startEnd === -1) return { name: localName(name), complete: false, content: "" };
  at = startEnd + 1;
  const rest = text.slice(at).trimEnd();
  if (text[startEnd - 1] === "/") return { name: localName(name), complete: rest.trim() === "", content: "" };
  const close = rest.lastIndexOf("</");
  const complete = close !== -1 && new RegExp(`^</${escapeRegExp(name)}\\s*>$`).test(rest.slice(close));
  return { name: localName(name), complete, content: complete ? rest.slice(0, close) : rest };
}

/** The index of the first character after the declaration, comments, doctype and whitespace. */
function skipProlog(text: string): number {
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    while (at < text.length && /\s/.test(text[at] ?? "")) at++;
    const closing = text.startsWith("<?", at) ? "?>" : text.startsWith("<!--", at) ? "-->" : text.startsWith("<!", at) ? ">" : undefined;
    if (closing === undefined) return at;
    const end = text.indexOf(closing, at);
    if (end === -1) return text.length;
    at = end + closing.length;
  }
}

/** The index of the `>` that ends a start tag, skipping quoted attribute values; -1 if none. */
function endOfTag(text: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === ">") {
      return i;
    }
  }
  return -1;
}

function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon === -1 ? name : name.slice(colon + 1);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The XML reader behind `parseXml`: one forward pass over the document text that checks
 * well-formedness and builds the element tree at the same time, for the subset of XML 1.0
 * that AWS answers use, refusing everything else.
 *
 *   document  BOM? XMLDecl? Misc* element Misc*        Misc = comment | PI | whitespace
 *   element   <Name Attribute...> content </Name>  |  <Name Attribute... />
 *   content   text, references, CDATA, comments, PIs and child elements, in any order
 *
 * Refused: DTDs (`<!DOCTYPE`, `<!ENTITY`, any other `<!` declaration: entities are never
 * declared, so none is ever expanded), a second root or text after the root, names that are
 * not XML Names, `<` or a duplicate in attributes, `--` in comments, `]]>` in text, a PI
 * named "xml" after the start, a reference other than the five predefined entities and
 * character references to XML characters, any character outside XML `Char`, and nesting
 * deeper than `MAX_DEPTH`. Every problem is a `ParseError` naming the line and column.
 *
 * Why it is fast: the cursor jumps with `indexOf` to the next `<`, `;`, quote or
 * terminator, and text is looked at once, by a `charCodeAt` loop that only validates; a
 * text with no `&` or CR (nearly all of them) is then a single `slice`. End tags are
 * matched in place with `startsWith`. Elements are built as they open, into the tree that
 * is returned; the nesting is an explicit stack, never recursion.
 *
 * Line ends are normalised as XML requires (CRLF and lone CR read as LF) in text, CDATA
 * and attribute values, before references are decoded, so `&#13;` still gives a CR.
 * Attribute values then read tabs and line feeds as spaces (XML 1.0 §3.3.3).
 */
import { ParseError } from "../../errors/index.ts";
import type { XmlElement } from "./document.ts";

/** Deeper documents are refused; AWS responses nest a few dozen levels at most. */
export const MAX_DEPTH = 256;

interface OpenElement {
  readonly name: string;
  readonly localName: string;
  readonly attributes: Map<string, string>;
  readonly children: XmlElement[];
  text: string;
}

const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const HASH = 0x23;
const LOWER_X = 0x78;
const BRACKET = 0x5d;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const BOM = 0xfeff;

// ASCII name characters (XML 1.0 `NameStartChar`, `NameChar`): 3 may start or continue a name, 2 only continue one.
const ASCII_NAME = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x3a;
  const other = (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;
  ASCII_NAME[c] = letter ? 3 : other ? 2 : 0;
}

const PREDEFINED: ReadonlyMap<string, string> = new Map([
  ["lt", "<"],
  ["gt", ">"],
  ["amp", "&"],
  ["quot", '"'],
  ["apos", "'"],
]);

/** A reference is short; the bound keeps a stray "&" from scanning far ahead. */
const MAX_REFERENCE = 32;

const XML_DECLARATION = /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]+\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(?:yes|no)\3)?[ \t\r\n]*\?>$/;

/** Reads a whole document into its root element, or throws a `ParseError` for `protocol`. */
export function readXml(text: string, protocol: string): XmlElement {
  return new Reader(text, protocol).document();
}

/** Decodes the references in a text that is not part of a document being read. */
export function decodeReferencesIn(text: string, protocol: string): string {
  if (!text.includes("&")) return text;
  return new Reader(text, protocol).references(0, text.length, false);
}

function isSpace(c: number): boolean {
  return c === SPACE || c === LF || c === TAB || c === CR;
}

/** XML 1.0 `Char`: the code points a document may contain. */
function isXmlChar(code: number): boolean {
  return (
    code === TAB || code === LF || code === CR ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** `NameStartChar` beyond ASCII, for a BMP code unit (astral ones are checked as surrogate pairs). */
function isNameStartBeyondAscii(c: number): boolean {
  return (
    (c >= 0xc0 && c <= 0xd6) || (c >= 0xd8 && c <= 0xf6) || (c >= 0xf8 && c <= 0x2ff) ||
    (c >= 0x370 && c <= 0x37d) || (c >= 0x37f && c <= 0x1fff) || c === 0x200c || c === 0x200d ||
    (c >= 0x2070 && c <= 0x218f) || (c >= 0x2c00 && c <= 0x2fef) || (c >= 0x3001 && c <= 0xd7ff) ||
    (c >= 0xf900 && c <= 0xfdcf) || (c >= 0xfdf0 && c <= 0xfffd)
  );
}

function isNameCharBeyondAscii(c: number): boolean {
  return isNameStartBeyondAscii(c) || c === 0xb7 || (c >= 0x300 && c <= 0x36f) || c === 0x203f || c === 0x2040;
}

class Reader {
  private readonly s: string;
  private readonly protocol: string;
  /** Set by `startTag`: the index past the tag, and whether it was `<name/>`. */
  private after = 0;
  private selfClosed = false;

  constructor(s: string, protocol: string) {
    this.s = s;
    this.protocol = protocol;
  }

  document(): XmlElement {
    const s = this.s;
    let i = s.charCodeAt(0) === BOM ? 1 : 0;
    if (s.startsWith("<?xml", i) && (isSpace(s.charCodeAt(i + 5)) || s.startsWith("?>", i + 5))) i = this.declaration(i);
    i = this.misc(i, "before");
    if (i >= s.length) this.fail("the document has no root element", i);
    if (s.charCodeAt(i) !== LT) this.fail("text before the root element", i);
    if (!this.startsName(i + 1)) this.fail("'<' is not followed by an element name", i);
    return this.rootElement(i);
  }

  // ---- prolog and epilog -------------------------------------------------------------

  private declaration(at: number): number {
    const end = this.s.indexOf("?>", at);
    if (end < 0) this.fail("the XML declaration is not closed", at);
    if (!XML_DECLARATION.test(this.s.slice(at, end + 2))) this.fail("the XML declaration is malformed", at);
    return end + 2;
  }

  /** Whitespace, comments and PIs around the root element; a DOCTYPE here is refused. */
  private misc(at: number, where: "before" | "after"): number {
    const s = this.s;
    let i = at;
    for (;;) {
      while (isSpace(s.charCodeAt(i))) i++;
      if (i >= s.length || s.charCodeAt(i) !== LT) break;
      const next = s.charCodeAt(i + 1);
      if (next === QUESTION) i = this.processingInstruction(i);
      else if (s.startsWith("<!--", i)) i = this.comment(i);
      else if (next === BANG) this.refuseDeclaration(i);
      else break;
    }
    if (where === "after" && i < s.length) {
      this.fail(s.charCodeAt(i) === LT && this.startsName(i + 1) ? "a second root element" : "content after the root element", i);
    }
    return i;
  }

  private refuseDeclaration(at: number): never {
    if (this.s.startsWith("<!DOCTYPE", at)) this.fail("the document has a DOCTYPE, which is not accepted", at);
    return this.fail("markup declarations (DOCTYPE, ENTITY…) are not accepted", at);
  }

  // ---- elements ------------------------------------------------------------------------

  private rootElement(at: number): XmlElement {
    const s = this.s;
    const root = this.startTag(at);
    if (this.selfClosed) {
      this.misc(this.after, "after");
      return root;
    }
    const stack: OpenElement[] = [root];
    let i = this.after;
    for (;;) {
      // Content up to the next start tag, or until the root closes.
      const lt = s.indexOf("<", i);
      const current = stack[stack.length - 1] as OpenElement;
      if (lt < 0) this.fail(`the document ends inside <${this.quoted(current.name)}>`, s.length);
      if (lt > i) current.text += this.text(i, lt);
      const next = s.charCodeAt(lt + 1);
      if (next === SLASH) {
        i = this.endTag(lt, current.name);
        stack.pop();
        if (stack.length === 0) {
          this.misc(i, "after");
          return root;
        }
      } else if (next === BANG) {
        if (s.startsWith("<!--", lt)) i = this.comment(lt);
        else if (s.startsWith("<![CDATA[", lt)) i = this.cdata(lt, current);
        else this.refuseDeclaration(lt);
      } else if (next === QUESTION) {
        i = this.processingInstruction(lt);
      } else {
        if (stack.length >= MAX_DEPTH) this.fail(`elements are nested more than ${MAX_DEPTH} levels deep`, lt);
        const element = this.startTag(lt);
        current.children.push(element);
        if (!this.selfClosed) stack.push(element);
        i = this.after;
      }
    }
  }

  /**
   * A start or empty-element tag at `at`, attributes decoded; sets `after` to the index
   * past it and `selfClosed` for `<name/>` (fields, not a result object: this runs per element).
   */
  private startTag(at: number): OpenElement {
    const s = this.s;
    const nameEnd = this.nameEnd(at + 1);
    if (nameEnd === at + 1) this.fail("'<' is not followed by an element name", at);
    const name = s.slice(at + 1, nameEnd);
    const colon = name.indexOf(":");
    const element: OpenElement = {
      name,
      localName: colon < 0 ? name : name.slice(colon + 1),
      attributes: new Map(),
      children: [],
      text: "",
    };
    let i = nameEnd;
    for (;;) {
      const spaced = i;
      while (isSpace(s.charCodeAt(i))) i++;
      const c = s.charCodeAt(i);
      if (c === GT) {
        this.after = i + 1;
        this.selfClosed = false;
        return element;
      }
      if (c === SLASH) {
        if (s.charCodeAt(i + 1) !== GT) this.fail(`'/' in <${this.quoted(name)}> is not followed by '>'`, i);
        this.after = i + 2;
        this.selfClosed = true;
        return element;
      }
      if (i >= s.length) this.fail(`the document ends inside the tag <${this.quoted(name)}>`, i);
      if (i === spaced) this.fail(`unexpected ${this.describe(i)} in the tag <${this.quoted(name)}>`, i);
      i = this.attribute(i, element);
    }
  }

  /** One `name="value"` at `at`, added to the element; returns the index after the closing quote. */
  private attribute(at: number, element: OpenElement): number {
    const s = this.s;
    const nameEnd = this.nameEnd(at);
    if (nameEnd === at) this.fail(`unexpected ${this.describe(at)} in the tag <${this.quoted(element.name)}>`, at);
    const name = s.slice(at, nameEnd);
    let i = nameEnd;
    while (isSpace(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) !== EQUALS) this.fail(`the attribute "${this.quoted(name)}" has no value`, i);
    i++;
    while (isSpace(s.charCodeAt(i))) i++;
    const quote = s.charCodeAt(i);
    if (quote !== QUOTE && quote !== APOSTROPHE) this.fail(`the value of the attribute "${this.quoted(name)}" is not quoted`, i);
    const close = s.indexOf(quote === QUOTE ? '"' : "'", i + 1);
    if (close < 0) this.fail(`the value of the attribute "${this.quoted(name)}" is not closed`, i);
    if (element.attributes.has(name)) this.fail(`the attribute "${this.quoted(name)}" is repeated`, at);
    element.attributes.set(name, this.attributeValue(i + 1, close));
    return close + 1;
  }

  /** `</name>` at `at`, which must close the element `name`; returns the index after it. */
  private endTag(at: number, name: string): number {
    const s = this.s;
    let i = at + 2 + name.length;
    if (!s.startsWith(name, at + 2) || this.continuesName(i)) {
      const written = s.slice(at + 2, this.nameEnd(at + 2));
      const tag = written ? `the end tag </${this.quoted(written)}>` : "an end tag with no name";
      this.fail(`${tag} does not close <${this.quoted(name)}>`, at);
    }
    while (isSpace(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) !== GT) this.fail(`the end tag </${this.quoted(name)}> is not closed by '>'`, i);
    return i + 1;
  }

  // ---- names ---------------------------------------------------------------------------

  /** The end of the XML Name starting at `at` (`at` itself when none starts there). */
  private nameEnd(at: number): number {
    const s = this.s;
    let i = at;
    let start = true;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c < 128) {
        const kind = ASCII_NAME[c] as number;
        if (kind === 0 || (start && kind !== 3)) return i;
        i++;
      } else if (c >= 0xd800 && c <= 0xdb7f) {
        // U+10000..U+EFFFF, written as a surrogate pair.
        const low = s.charCodeAt(i + 1);
        if (!(low >= 0xdc00 && low <= 0xdfff)) return i;
        i += 2;
      } else if (start ? isNameStartBeyondAscii(c) : isNameCharBeyondAscii(c)) {
        i++;
      } else {
        return i; // also NaN, past the end
      }
      start = false;
    }
  }

  private startsName(at: number): boolean {
    return this.nameEnd(at) > at;
  }

  /** Whether a name character follows `at`, i.e. the name being matched goes on. */
  private continuesName(at: number): boolean {
    const c = this.s.charCodeAt(at);
    if (c < 128) return (ASCII_NAME[c] as number) !== 0;
    if (c >= 0xd800 && c <= 0xdb7f) return true;
    return isNameCharBeyondAscii(c);
  }

  // ---- character data --------------------------------------------------------------------

  /** Text between tags: validated, then line ends normalised and references decoded. */
  private text(start: number, end: number): string {
    const s = this.s;
    let plain = true;
    for (let i = start; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x20) {
        if (c >= 0xd800) i = this.checkBeyondBmp(i);
        else if (c === AMP) plain = false;
        else if (c === BRACKET && s.charCodeAt(i + 1) === BRACKET && s.charCodeAt(i + 2) === GT) this.fail("']]>' is not allowed in text", i);
      } else if (c === CR) {
        plain = false;
      } else if (c !== TAB && c !== LF) {
        this.invalidChar(i);
      }
    }
    return plain ? s.slice(start, end) : this.references(start, end);
  }

  /** `<![CDATA[…]]>` at `at`, its text appended verbatim (bar line ends); returns the index after it. */
  private cdata(at: number, element: OpenElement): number {
    const start = at + 9;
    const end = this.s.indexOf("]]>", start);
    if (end < 0) this.fail("a CDATA section is not closed", at);
    this.checkChars(start, end);
    const raw = this.s.slice(start, end);
    element.text += raw.includes("\r") ? normalizeLineEnds(raw) : raw;
    return end + 3;
  }

  private comment(at: number): number {
    const end = this.s.indexOf("--", at + 4);
    if (end < 0) this.fail("a comment is not closed", at);
    if (this.s.charCodeAt(end + 2) !== GT) this.fail("'--' is not allowed inside a comment", end);
    this.checkChars(at + 4, end);
    return end + 3;
  }

  private processingInstruction(at: number): number {
    const s = this.s;
    const targetEnd = this.nameEnd(at + 2);
    if (targetEnd === at + 2) this.fail("'<?' is not followed by a target name", at);
    if (targetEnd - at === 5 && s.slice(at + 2, targetEnd).toLowerCase() === "xml") {
      this.fail("a processing instruction named 'xml' (an XML declaration belongs at the very start)", at);
    }
    if (!s.startsWith("?>", targetEnd) && !isSpace(s.charCodeAt(targetEnd))) {
      this.fail(`unexpected ${this.describe(targetEnd)} after the processing instruction's target`, targetEnd);
    }
    const end = s.indexOf("?>", targetEnd);
    if (end < 0) this.fail("a processing instruction is not closed", at);
    this.checkChars(targetEnd, end);
    return end + 2;
  }

  /** An attribute value between its quotes: no `<`, whitespace read as spaces, references decoded. */
  private attributeValue(start: number, end: number): string {
    const s = this.s;
    let plain = true;
    for (let i = start; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x3c && c < 0xd800) continue;
      if (c === LT) this.fail("'<' is not allowed in an attribute value", i);
      if (c === AMP || c === TAB || c === LF || c === CR) plain = false;
      else if (c < 0x20) this.invalidChar(i);
      else if (c >= 0xd800) i = this.checkBeyondBmp(i);
    }
    if (plain) return s.slice(start, end);
    let out = "";
    let from = start;
    for (let i = start; i < end; ) {
      const c = s.charCodeAt(i);
      if (c === TAB || c === LF || c === CR) {
        out += `${s.slice(from, i)} `;
        i += c === CR && s.charCodeAt(i + 1) === LF ? 2 : 1;
        from = i;
      } else if (c === AMP) {
        out += s.slice(from, i);
        const semicolon = this.referenceEnd(i, end);
        out += this.reference(i, semicolon);
        i = from = semicolon + 1;
      } else {
        i++;
      }
    }
    return out + s.slice(from, end);
  }

  /** Decodes references (one pass: the output is never rescanned) and normalises line ends. */
  references(start: number, end: number, lineEnds = true): string {
    const s = this.s;
    let out = "";
    let from = start;
    for (let i = start; i < end; ) {
      const c = s.charCodeAt(i);
      if (c === CR && lineEnds) {
        out += `${s.slice(from, i)}\n`;
        i += s.charCodeAt(i + 1) === LF && i + 1 < end ? 2 : 1;
        from = i;
      } else if (c === AMP) {
        out += s.slice(from, i);
        const semicolon = this.referenceEnd(i, end);
        out += this.reference(i, semicolon);
        i = from = semicolon + 1;
      } else {
        i++;
      }
    }
    return out + s.slice(from, end);
  }

  private referenceEnd(amp: number, end: number): number {
    const semicolon = this.s.indexOf(";", amp + 1);
    if (semicolon < 0 || semicolon >= end || semicolon - amp - 1 > MAX_REFERENCE || semicolon === amp + 1) {
      this.fail("a bare '&' starts no reference", amp);
    }
    return semicolon;
  }

  /** What the reference `&…;` from `amp` to `semicolon` stands for. */
  private reference(amp: number, semicolon: number): string {
    const s = this.s;
    if (s.charCodeAt(amp + 1) !== HASH) {
      const body = s.slice(amp + 1, semicolon);
      const named = PREDEFINED.get(body);
      if (named !== undefined) return named;
      if (this.nameEnd(amp + 1) !== semicolon) this.fail("a bare '&' starts no reference", amp);
      return this.fail(`the document refers to an undeclared entity "&${body};"`, amp);
    }
    const hex = s.charCodeAt(amp + 2) === LOWER_X;
    const digitsStart = amp + (hex ? 3 : 2);
    let code = 0;
    for (let i = digitsStart; i < semicolon; i++) {
      const digit = digitValue(s.charCodeAt(i), hex);
      if (digit < 0) this.fail(`a malformed character reference "${s.slice(amp, semicolon + 1)}"`, amp);
      code = code * (hex ? 16 : 10) + digit;
      // Past the last code point: no need to read more digits (and nothing can overflow).
      if (code > 0x10ffff) break;
    }
    if (digitsStart === semicolon) this.fail(`a malformed character reference "${s.slice(amp, semicolon + 1)}"`, amp);
    if (!isXmlChar(code)) this.fail(`a character reference to an invalid character "${s.slice(amp, semicolon + 1)}"`, amp);
    return String.fromCodePoint(code);
  }

  // ---- characters --------------------------------------------------------------------

  /** Every character from `start` to `end` must be an XML `Char`. */
  private checkChars(start: number, end: number): void {
    const s = this.s;
    for (let i = start; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x20 && c < 0xd800) continue;
      if (c < 0x20) {
        if (c !== TAB && c !== LF && c !== CR) this.invalidChar(i);
      } else {
        i = this.checkBeyondBmp(i);
      }
    }
  }

  /** A code unit at or above U+D800 at `i`: a whole surrogate pair, or a BMP character other than U+FFFE/U+FFFF. */
  private checkBeyondBmp(i: number): number {
    const c = this.s.charCodeAt(i);
    if (c <= 0xdbff) {
      const low = this.s.charCodeAt(i + 1);
      if (!(low >= 0xdc00 && low <= 0xdfff)) this.invalidChar(i);
      return i + 1;
    }
    if (c <= 0xdfff || c === 0xfffe || c === 0xffff) this.invalidChar(i);
    return i;
  }

  private invalidChar(i: number): never {
    const code = this.s.charCodeAt(i).toString(16).toUpperCase().padStart(4, "0");
    return this.fail(`the character U+${code} is not allowed in XML`, i);
  }

  // ---- errors ----------------------------------------------------------------------------

  private describe(i: number): string {
    if (i >= this.s.length) return "end of document";
    const c = this.s.codePointAt(i) as number;
    return c > 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `U+${c.toString(16).toUpperCase().padStart(4, "0")}`;
  }

  /** A name for a message: untrusted, so bounded. */
  private quoted(name: string): string {
    return name.length > 40 ? `${name.slice(0, 40)}…` : name;
  }

  private fail(problem: string, at: number): never {
    const s = this.s;
    const index = Math.min(at, s.length);
    let line = 1;
    let lineStart = 0;
    for (let i = s.indexOf("\n"); i >= 0 && i < index; i = s.indexOf("\n", i + 1)) {
      line++;
      lineStart = i + 1;
    }
    const where = `line ${line}, column ${index - lineStart + 1}`;
    throw new ParseError(this.protocol, `the response is not well-formed XML (${where}): ${problem}`);
  }
}

function digitValue(c: number, hex: boolean): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (!hex) return -1;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

function normalizeLineEnds(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

/**
 * The one percent-encoding SigV4 accepts: RFC 3986 with only the unreserved set
 * (A-Z a-z 0-9 - . _ ~) left alone and every other UTF-8 byte written as %XX with
 * upper-case hex. `encodeURIComponent` is close but keeps ! ' ( ) * and throws on lone
 * surrogates. It runs for every query value of every request, so the common case takes
 * `encodeURIComponent` plus the five extra escapes, and only a string with a lone
 * surrogate walks its UTF-8 bytes here. The same function builds the wire query (see
 * `requestUrl`), so what is signed and what is sent can never disagree.
 */

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const ALL_UNRESERVED = /^[A-Za-z0-9\-._~]*$/;
const KEPT_BY_ENCODE_URI_COMPONENT = /[!'()*]/g;
const utf8 = new TextEncoder();

/** Percent-encodes everything outside RFC 3986's unreserved set, "/" included. */
export function uriEscape(value: string): string {
  if (ALL_UNRESERVED.test(value)) return value;
  if (value.isWellFormed()) {
    return encodeURIComponent(value).replace(KEPT_BY_ENCODE_URI_COMPONENT, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  }
  return escapeByBytes(value);
}

/** The slow, exact path for strings with lone surrogates (they become U+FFFD, as on the wire). */
function escapeByBytes(value: string): string {
  let out = "";
  for (const char of value) {
    if (UNRESERVED.test(char)) {
      out += char;
      continue;
    }
    // A lone surrogate becomes U+FFFD here, exactly as it would on the wire.
    for (const byte of utf8.encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Encodes each "/"-separated segment of a path, keeping the separators. */
export function uriEscapePath(path: string): string {
  return path.split("/").map(uriEscape).join("/");
}

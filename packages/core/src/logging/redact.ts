/**
 * What the wire log may show of a request or a response. Pure string functions, no I/O,
 * so every rule is a unit test away. One predicate decides what counts as secret, and it is
 * used everywhere a name is seen: header names, query parameter names, JSON keys, XML
 * element names, form field names.
 *
 *   headers        authorization → its scheme only ("AWS4-HMAC-SHA256 Credential=<redacted>");
 *                  cookie, set-cookie, x-amz-security-token, SSE-C keys, anything secret-named
 *                  → "<redacted>"; the rest (x-amz-content-sha256, x-amz-date…) as they are
 *   URL            secret-named query values ("X-Amz-Credential", "X-Amz-Signature",
 *                  "X-Amz-Security-Token"…) and a password in the URL's user info
 *   body text      JSON: a secret-named key's whole value (so `"Credentials": {…}` goes at
 *                  once); XML: a secret-named element's whole content; a form: secret-named
 *                  fields; any text: "Signature=", "Credential=" and "Security-Token=" runs.
 *                  Cut after MAX_BODY_CHARS.
 *
 * A name is secret when it mentions a secret, a token, a password, a credential, a
 * signature, a cookie, an authorization, a private or API key, a plaintext, or a
 * canonical request (S3's SignatureDoesNotMatch answer echoes the canonical request, and
 * with it the session token it signed). Being too eager costs a pagination token's
 * visibility (NextToken); being too lax costs a leaked key, so the list errs eager.
 */

export const REDACTED = "<redacted>";

/** Longest body text a log line carries; the rest is counted, not shown. */
export const MAX_BODY_CHARS = 8 * 1024;

const SECRET_NAME = /secret|token|password|passwd|credential|signature|cookie|authorization|private[-_]?key|api[-_]?key|customer-key|plaintext|canonicalrequest/i;

/** Whether a header, query parameter, JSON key, XML element or form field holds a secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * An Authorization value with only its scheme kept: SigV4's algorithm then
 * "Credential=<redacted>" (the scope says which key signed, which is for the service to
 * know), any other scheme ("Bearer") then "<redacted>".
 */
export function redactAuthorization(value: string): string {
  const scheme = /^\s*([A-Za-z0-9._-]+)\s/.exec(value)?.[1];
  if (scheme === undefined) return REDACTED;
  return scheme.startsWith("AWS4-") ? `${scheme} Credential=${REDACTED}` : `${scheme} ${REDACTED}`;
}

/** A copy of the headers with every secret value replaced (names are kept, lower-cased or not). */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === "authorization" || lower === "proxy-authorization") out[name] = redactAuthorization(value);
    else out[name] = isSecretName(lower) ? REDACTED : value;
  }
  return out;
}

/**
 * A URL (a presigned one included) with secret-named query values and any user-info
 * password replaced. Every other part is kept byte for byte, in its own encoding.
 */
export function redactUrl(url: string | URL): string {
  const text = String(url);
  const hashAt = text.indexOf("#");
  const withoutHash = hashAt === -1 ? text : text.slice(0, hashAt);
  const queryAt = withoutHash.indexOf("?");
  const base = redactUserInfo(queryAt === -1 ? withoutHash : withoutHash.slice(0, queryAt));
  // A fragment never reaches the server; it is dropped rather than judged.
  if (queryAt === -1) return base;
  return `${base}?${redactQueryString(withoutHash.slice(queryAt + 1))}`;
}

/** "a=1&X-Amz-Signature=abc" → "a=1&X-Amz-Signature=<redacted>", other pairs untouched. */
export function redactQueryString(query: string): string {
  if (query === "") return query;
  return query
    .split("&")
    .map((pair) => {
      const equals = pair.indexOf("=");
      const rawName = equals === -1 ? pair : pair.slice(0, equals);
      return isSecretName(decodeLoosely(rawName)) && equals !== -1 ? `${rawName}=${REDACTED}` : pair;
    })
    .join("&");
}

/**
 * A body's text as a log may show it, given its Content-Type: secret-named JSON keys, XML
 * elements and form fields redacted, then cut to MAX_BODY_CHARS.
 */
export function redactBodyText(text: string, contentType: string | undefined): string {
  const type = (contentType ?? "").toLowerCase();
  const start = text.trimStart()[0];
  let out: string;
  if (type.includes("json") || (type === "" && (start === "{" || start === "["))) out = redactJsonText(text);
  else if (type.includes("xml") || (type === "" && start === "<")) out = redactXmlText(text);
  else if (type.includes("x-www-form-urlencoded")) out = redactQueryString(text);
  else out = text;
  return truncate(scrubSigningText(out));
}

/** A parsed JSON value with every secret-named key's value replaced, at any depth. */
export function redactJsonValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJsonValue);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    out[key] = isSecretName(key) && member !== null && member !== undefined ? REDACTED : redactJsonValue(member);
  }
  return out;
}

function redactJsonText(text: string): string {
  try {
    return JSON.stringify(redactJsonValue(JSON.parse(text)));
  } catch {
    // Not JSON after all (a proxy's page): no structure to go by, so nothing is shown.
    return `<${text.length} characters that are not JSON>`;
  }
}

/**
 * A secret-named element loses its whole content, nested elements included
 * (`<Credentials>…</Credentials>`). The log needs no tree: a scan for opening tags and the
 * first matching closing tag is enough, and an element never closed withholds the rest of
 * the document rather than showing it.
 */
function redactXmlText(text: string): string {
  const openingTag = /<([A-Za-z_][\w.:-]*)(\s[^<>]*)?>/g;
  let out = "";
  let from = 0;
  for (let match = openingTag.exec(text); match !== null; match = openingTag.exec(text)) {
    const name = match[1] ?? "";
    if (match[0].endsWith("/>") || !isSecretName(name.slice(name.indexOf(":") + 1))) continue;
    const contentStart = match.index + match[0].length;
    const closeAt = closingTagAt(text, name, contentStart);
    out += `${text.slice(from, contentStart)}${REDACTED}`;
    if (closeAt === -1) return out;
    from = closeAt;
    openingTag.lastIndex = closeAt;
  }
  return out + text.slice(from);
}

/** Where `</name>` starts (not `</nameLonger>`), or -1. */
function closingTagAt(text: string, name: string, from: number): number {
  for (let at = text.indexOf(`</${name}`, from); at !== -1; at = text.indexOf(`</${name}`, at + 1)) {
    if (/[\s>]/.test(text.charAt(at + name.length + 2))) return at;
  }
  return -1;
}

/** SigV4 material that may sit in free text (an error message quoting a URL or a header). */
function scrubSigningText(text: string): string {
  return text
    .replace(/(X-Amz-(?:Signature|Credential|Security-Token)=)[^&\s"'<>]+/gi, `$1${REDACTED}`)
    .replace(/(\b(?:Signature|Credential)=)[^,\s"'<>&]+/g, `$1${REDACTED}`);
}

function redactUserInfo(base: string): string {
  return base.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/i, `$1:${REDACTED}@`);
}

function truncate(text: string): string {
  return text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}… (${text.length - MAX_BODY_CHARS} more characters)` : text;
}

function decodeLoosely(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

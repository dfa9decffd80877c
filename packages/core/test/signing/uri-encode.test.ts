import { test } from "node:test";
import assert from "node:assert/strict";
import { uriEscape, uriEscapePath } from "../../src/signing/uri-encode.ts";

// An independent reference: every UTF-8 byte of anything outside the unreserved set as %XX.
const utf8 = new TextEncoder();
function reference(value: string): string {
  let out = "";
  for (const char of value) {
    if (/^[A-Za-z0-9\-._~]$/.test(char)) out += char;
    else for (const byte of utf8.encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

test("uriEscape encodes RFC 3986 style, including the characters encodeURIComponent keeps", () => {
  assert.equal(uriEscape("AZaz09-._~"), "AZaz09-._~");
  assert.equal(uriEscape("!'()*"), "%21%27%28%29%2A");
  assert.equal(uriEscape("a b/c+d=e&f"), "a%20b%2Fc%2Bd%3De%26f");
  assert.equal(uriEscape("ሴ"), "%E1%88%B4");
  assert.equal(uriEscape("😀"), "%F0%9F%98%80");
  assert.equal(uriEscape("\uD800x"), "%EF%BF%BDx"); // a lone surrogate goes out as U+FFFD
  assert.equal(uriEscapePath("/a b/c~d/"), "/a%20b/c~d/");
});

test("uriEscape agrees with the byte-by-byte reference on random strings", () => {
  let seed = 42;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < 20_000; i++) {
    let value = "";
    const length = Math.floor(random() * 10);
    for (let j = 0; j < length; j++) {
      const r = random();
      value += String.fromCharCode(r < 0.5 ? 32 + Math.floor(random() * 95) : r < 0.8 ? Math.floor(random() * 0x800) : Math.floor(random() * 0x10000));
    }
    assert.equal(uriEscape(value), reference(value), JSON.stringify(value));
  }
});

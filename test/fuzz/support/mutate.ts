/**
 * Mutations of valid documents: the inputs that get past a parser's first glance and
 * into its deeper code. Positions are drawn as plain naturals and taken modulo the
 * document's length when applied, so one arbitrary serves documents of any size and
 * fast-check can shrink a failing case to the fewest, smallest edits.
 *
 *   bytes: flip a bit, overwrite a byte, truncate, delete a range, insert random bytes,
 *          duplicate a range (1 to 3 edits, applied in order)
 *   text:  the same edits on characters, where insertions are either random text or one
 *          of the `tokens` that mean something to the format ("<", "&amp;", "]]>", "{", …)
 */
import fc from "fast-check";

type Edit<T> = (input: T) => T;

const position = fc.nat({ max: 1 << 20 });

function at(index: number, length: number): number {
  return length === 0 ? 0 : index % (length + 1);
}

export function byteEdit(): fc.Arbitrary<Edit<Uint8Array>> {
  return fc.oneof(
    fc.tuple(position, fc.integer({ min: 0, max: 7 })).map(([i, bit]): Edit<Uint8Array> => (bytes) => {
      if (bytes.length === 0) return bytes;
      const out = bytes.slice();
      const index = i % bytes.length;
      out[index] = (out[index] as number) ^ (1 << bit);
      return out;
    }),
    fc.tuple(position, fc.integer({ min: 0, max: 255 })).map(([i, value]): Edit<Uint8Array> => (bytes) => {
      if (bytes.length === 0) return bytes;
      const out = bytes.slice();
      out[i % bytes.length] = value;
      return out;
    }),
    position.map((i): Edit<Uint8Array> => (bytes) => bytes.slice(0, at(i, bytes.length))),
    fc.tuple(position, fc.nat({ max: 16 })).map(([i, n]): Edit<Uint8Array> => (bytes) => {
      const start = at(i, bytes.length);
      return concat(bytes.subarray(0, start), bytes.subarray(start + n));
    }),
    fc.tuple(position, fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([i, extra]): Edit<Uint8Array> => (bytes) => {
      const start = at(i, bytes.length);
      return concat(bytes.subarray(0, start), extra, bytes.subarray(start));
    }),
    fc.tuple(position, fc.nat({ max: 32 })).map(([i, n]): Edit<Uint8Array> => (bytes) => {
      const start = at(i, bytes.length);
      return concat(bytes.subarray(0, start + n), bytes.subarray(start));
    }),
  );
}

export function mutatedBytes(base: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc.tuple(base, fc.array(byteEdit(), { minLength: 1, maxLength: 3 })).map(([bytes, edits]) => edits.reduce((b, edit) => edit(b), bytes));
}

export function textEdit(tokens: readonly string[]): fc.Arbitrary<Edit<string>> {
  const insertion = fc.oneof(fc.constantFrom(...tokens), fc.string({ unit: "binary", maxLength: 6 }));
  return fc.oneof(
    position.map((i): Edit<string> => (text) => text.slice(0, at(i, text.length))),
    fc.tuple(position, fc.nat({ max: 24 })).map(([i, n]): Edit<string> => (text) => {
      const start = at(i, text.length);
      return text.slice(0, start) + text.slice(start + n);
    }),
    fc.tuple(position, insertion).map(([i, extra]): Edit<string> => (text) => {
      const start = at(i, text.length);
      return text.slice(0, start) + extra + text.slice(start);
    }),
    fc.tuple(position, fc.nat({ max: 40 })).map(([i, n]): Edit<string> => (text) => {
      const start = at(i, text.length);
      return text.slice(0, start + n) + text.slice(start);
    }),
    fc.tuple(position, insertion).map(([i, extra]): Edit<string> => (text) => {
      if (text.length === 0) return extra;
      const start = i % text.length;
      return text.slice(0, start) + extra + text.slice(start + 1);
    }),
  );
}

export function mutatedText(base: fc.Arbitrary<string>, tokens: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(base, fc.array(textEdit(tokens), { minLength: 1, maxLength: 3 })).map(([text, edits]) => edits.reduce((t, edit) => edit(t), text));
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export const utf8 = new TextEncoder();

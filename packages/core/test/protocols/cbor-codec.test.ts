/**
 * The CBOR codec on its own: the examples of RFC 8949 Appendix A (written out here as the
 * RFC gives them, hex bytes and value), round trips of every type the codec maps, and
 * malformed or hostile input, which must always end in a ParseError: never a RangeError,
 * never a hang, never a large allocation made on the input's word.
 *
 * The encoder writes preferred serialization, but numbers its own way (integral numbers as
 * integers, other numbers as the shortest exact of single/double, never half precision).
 * So every Appendix A example is decoded, and those whose bytes are what our encoder
 * chooses are encoded too; the others are marked decode-only.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeCbor, MAX_DEPTH } from "../../src/protocols/cbor/decode.ts";
import { encodeCbor, CborWriter } from "../../src/protocols/cbor/encode.ts";
import { CborTagged } from "../../src/protocols/cbor/tagged.ts";
import { ParseError, StratusError } from "../../src/errors/index.ts";

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.replace(/\s+/g, ""), "hex"));

/** [value, hex, encode too?] — RFC 8949 Appendix A, in the RFC's order. */
const APPENDIX_A: ReadonlyArray<readonly [unknown, string, boolean]> = [
  [0, "00", true],
  [1, "01", true],
  [10, "0a", true],
  [23, "17", true],
  [24, "1818", true],
  [25, "1819", true],
  [100, "1864", true],
  [1000, "1903e8", true],
  [1000000, "1a000f4240", true],
  [1000000000000, "1b000000e8d4a51000", true],
  [18446744073709551615n, "1bffffffffffffffff", true],
  [18446744073709551616n, "c249010000000000000000", true],
  [-18446744073709551616n, "3bffffffffffffffff", true],
  [-18446744073709551617n, "c349010000000000000000", true],
  [-1, "20", true],
  [-10, "29", true],
  [-100, "3863", true],
  [-1000, "3903e7", true],
  [0.0, "f90000", false],
  [-0.0, "f98000", false],
  [1.0, "f93c00", false],
  [1.1, "fb3ff199999999999a", true],
  [1.5, "f93e00", false],
  [65504.0, "f97bff", false],
  [100000.0, "fa47c35000", false],
  [3.4028234663852886e38, "fa7f7fffff", true],
  [1.0e300, "fb7e37e43c8800759c", true],
  [5.960464477539063e-8, "f90001", false],
  [0.00006103515625, "f90400", false],
  [-4.0, "f9c400", false],
  [-4.1, "fbc010666666666666", true],
  [Infinity, "f97c00", false],
  [NaN, "f97e00", false],
  [-Infinity, "f9fc00", false],
  [Infinity, "fa7f800000", true],
  [NaN, "fa7fc00000", true],
  [-Infinity, "faff800000", true],
  [Infinity, "fb7ff0000000000000", false],
  [NaN, "fb7ff8000000000000", false],
  [-Infinity, "fbfff0000000000000", false],
  [false, "f4", true],
  [true, "f5", true],
  [null, "f6", true],
  [undefined, "f7", true],
  [new CborTagged(0, "2013-03-21T20:04:00Z"), "c074323031332d30332d32315432303a30343a30305a", true],
  [new Date(1363896240 * 1000), "c11a514b67b0", true],
  [new Date(1363896240.5 * 1000), "c1fb41d452d9ec200000", true],
  [new CborTagged(23, bytes("01020304")), "d74401020304", true],
  [new CborTagged(24, bytes("6449455446")), "d818456449455446", true],
  [new CborTagged(32, "http://www.example.com"), "d82076687474703a2f2f7777772e6578616d706c652e636f6d", true],
  [new Uint8Array(0), "40", true],
  [bytes("01020304"), "4401020304", true],
  ["", "60", true],
  ["a", "6161", true],
  ["IETF", "6449455446", true],
  ["\"\\", "62225c", true],
  ["\u00fc", "62c3bc", true],
  ["\u6c34", "63e6b0b4", true],
  ["\ud800\udd51", "64f0908591", true],
  [[], "80", true],
  [[1, 2, 3], "83010203", true],
  [[1, [2, 3], [4, 5]], "8301820203820405", true],
  [range(1, 25), "98190102030405060708090a0b0c0d0e0f101112131415161718181819", true],
  [{}, "a0", true],
  [{ a: 1, b: [2, 3] }, "a26161016162820203", true],
  [["a", { b: "c" }], "826161a161626163", true],
  [{ a: "A", b: "B", c: "C", d: "D", e: "E" }, "a56161614161626142616361436164614461656145", true],
  [bytes("0102030405"), "5f42010243030405ff", false],
  ["streaming", "7f657374726561646d696e67ff", false],
  [[], "9fff", false],
  [[1, [2, 3], [4, 5]], "9f018202039f0405ffff", false],
  [[1, [2, 3], [4, 5]], "9f01820203820405ff", false],
  [[1, [2, 3], [4, 5]], "83018202039f0405ff", false],
  [[1, [2, 3], [4, 5]], "83019f0203ff820405", false],
  [range(1, 25), "9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff", false],
  [{ a: 1, b: [2, 3] }, "bf61610161629f0203ffff", false],
  [["a", { b: "c" }], "826161bf61626163ff", false],
  [{ Fun: true, Amt: -2 }, "bf6346756ef563416d7421ff", false],
];

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function expectParseError(input: Uint8Array, pattern?: RegExp): void {
  assert.throws(() => decodeCbor(input), (error: unknown) => {
    assert.ok(error instanceof ParseError, `expected a ParseError for ${hex(input).slice(0, 40)}, got ${String(error)}`);
    if (pattern) assert.match(error.message, pattern);
    return true;
  });
}

test("RFC 8949 Appendix A: every example decodes to its value", () => {
  for (const [value, encoded] of APPENDIX_A) {
    assert.deepStrictEqual(decodeCbor(bytes(encoded)), value, `decoding ${encoded}`);
  }
});

test("RFC 8949 Appendix A: examples in preferred serialization encode to the RFC's bytes", () => {
  for (const [value, encoded, encodes] of APPENDIX_A) {
    if (encodes) assert.equal(hex(encodeCbor(value)), encoded, `encoding ${String(value)}`);
  }
  // {1: 2, 3: 4} has integer keys, which only a Map can express (and which decoding refuses: see below).
  assert.equal(hex(encodeCbor(new Map([[1, 2], [3, 4]]))), "a201020304");
});

test("numbers: integers as integers, other numbers as the shortest exact float, never half precision", () => {
  const cases: ReadonlyArray<readonly [number, string]> = [
    [0, "00"],
    [1.0, "01"],
    [100000.0, "1a000186a0"],
    [-0, "fa80000000"],
    [1.5, "fa3fc00000"],
    [7.625, "fa40f40000"],
    [1.889, "fb3ffe395810624dd3"],
    [2 ** 53, "1b0020000000000000"],
    [-(2 ** 64), "3bffffffffffffffff"],
    [2 ** 64, "fa5f800000"],
    [2 ** 70, "fa62800000"],
    [1e19, "1b8ac7230489e80000"],
  ];
  for (const [value, encoded] of cases) assert.equal(hex(encodeCbor(value)), encoded, `encoding ${value}`);
});

test("round trips: numbers", () => {
  const numbers = [
    0, 1, -1, 23, 24, -24, -25, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, -(2 ** 32), Number.MAX_SAFE_INTEGER,
    Number.MIN_SAFE_INTEGER, 0.5, -0.1, 1 / 3, Math.PI, 1e-310, Number.MIN_VALUE, Number.MAX_VALUE, 3.4e38, 1.17549435e-38,
    Infinity, -Infinity, NaN, -0,
  ];
  let seed = 7;
  for (let i = 0; i < 500; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    numbers.push((seed / 2 ** 31 - 0.5) * 10 ** ((seed % 30) - 20));
  }
  for (const n of numbers) assert.ok(Object.is(decodeCbor(encodeCbor(n)), n), `round trip of ${n}`);
  // Integral numbers beyond 2^53 are exact as 64-bit integers and come back as bigints of the same value.
  assert.equal(decodeCbor(encodeCbor(2 ** 60)), 2n ** 60n);
  assert.equal(decodeCbor(encodeCbor(-(2 ** 60))), -(2n ** 60n));
});

test("round trips: bigints at every width, and bignums beyond 64 bits", () => {
  const values = [0n, 1n, -1n, 2n ** 53n - 1n, 2n ** 53n, -(2n ** 53n) - 1n, 2n ** 63n, 2n ** 64n - 1n, -(2n ** 64n), 2n ** 64n, -(2n ** 64n) - 1n, 2n ** 200n + 12345n, -(3n ** 100n)];
  for (const value of values) {
    const back = decodeCbor(encodeCbor(value));
    assert.equal(BigInt(back as number | bigint), value, `round trip of ${value}`);
    // Within ±(2^53 − 1) the decoder gives numbers.
    assert.equal(typeof back, value >= -(2n ** 53n - 1n) && value <= 2n ** 53n - 1n ? "number" : "bigint");
  }
});

test("round trips: text, including non-ASCII at every head size", () => {
  const texts = ["", "a", "x".repeat(23), "x".repeat(24), "x".repeat(255), "x".repeat(256), "x".repeat(70000), "héllo wörld", "日本語のテキスト", "emoji 😀🎉", "ü".repeat(12), "ü".repeat(200), "水".repeat(30000), "\u0000\u007f\u0080\uffff"];
  for (const text of texts) assert.equal(decodeCbor(encodeCbor(text)), text);
  // A lone surrogate cannot be UTF-8; like TextEncoder, the encoder writes U+FFFD.
  assert.equal(decodeCbor(encodeCbor("a\ud800b")), "a\ufffdb");
});

test("round trips: bytes, booleans, null, undefined, dates, tags", () => {
  for (const length of [0, 1, 23, 24, 255, 256, 65535, 65536, 200000]) {
    const data = new Uint8Array(length).map((_, i) => (i * 31) & 0xff);
    assert.deepStrictEqual(decodeCbor(encodeCbor(data)), data);
  }
  assert.deepStrictEqual(decodeCbor(encodeCbor(new Uint16Array([1, 2]))), new Uint8Array(new Uint16Array([1, 2]).buffer));
  assert.deepStrictEqual(decodeCbor(encodeCbor(new Uint8Array([9, 8]).buffer)), new Uint8Array([9, 8]));
  for (const value of [true, false, null, undefined]) assert.equal(decodeCbor(encodeCbor(value)), value);
  for (const ms of [0, 1, -1, 946845296123, 1398796238000, -62135596800000, 8.64e15]) {
    assert.deepStrictEqual(decodeCbor(encodeCbor(new Date(ms))), new Date(ms));
  }
  assert.deepStrictEqual(decodeCbor(encodeCbor(new CborTagged(4, [-2, 27315]))), new CborTagged(4, [-2, 27315]));
  // Tag 55799 (self-described CBOR) is transparent.
  assert.deepStrictEqual(decodeCbor(bytes("d9d9f7 a16161 01")), { a: 1 });
});

test("round trips: nested arrays and maps; undefined members are left out", () => {
  const value = {
    list: [1, "two", [3, [4, { five: 5 }]], null, true],
    map: { "": 0, "with space": { deeper: { deepest: new Uint8Array([1]) } } },
    when: new Date(1700000000500),
    big: 2n ** 70n,
  };
  assert.deepStrictEqual(decodeCbor(encodeCbor(value)), value);
  assert.deepStrictEqual(decodeCbor(encodeCbor({ a: 1, gone: undefined })), { a: 1 });
  assert.deepStrictEqual(decodeCbor(encodeCbor([undefined])), [undefined]);
});

test("a map key __proto__ is an ordinary key, never the object's prototype", () => {
  const decoded = decodeCbor(bytes("a2 69 5f5f70726f746f5f5f a1 6161 01 6162 02")) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(decoded), Object.prototype);
  assert.deepStrictEqual(Object.keys(decoded), ["__proto__", "b"]);
  assert.equal((decoded as { a?: unknown }).a, undefined);
  assert.deepStrictEqual(Object.getOwnPropertyDescriptor(decoded, "__proto__")?.value, { a: 1 });
});

test("map keys stay exact through the decoder's key cache (collisions, non-ASCII, lengths)", () => {
  const keys = Array.from({ length: 5000 }, (_, i) => `k${(i * 2654435761) % 100003}`);
  keys.push("Région", "Regi\u00f3n", "x".repeat(32), "x".repeat(33), "日本", "", "__proto__x");
  const record = Object.fromEntries(keys.map((key, i) => [key, i]));
  for (let round = 0; round < 3; round++) assert.deepStrictEqual(decodeCbor(encodeCbor(record)), record);
  // Same bytes, different position in the input: still the same key.
  assert.deepStrictEqual(decodeCbor(encodeCbor([{ Name: 1 }, { Name: 2 }, { Nbme: 3 }])), [{ Name: 1 }, { Name: 2 }, { Nbme: 3 }]);
});

test("a repeated map key keeps the last value", () => {
  assert.deepStrictEqual(decodeCbor(bytes("a2 6161 01 6161 02")), { a: 2 });
});

test("the encoder's shared buffer never leaks into earlier results", () => {
  const first = encodeCbor({ a: "first" });
  const firstHex = hex(first);
  encodeCbor({ b: "x".repeat(5000) });
  encodeCbor(new Uint8Array(2_000_000));
  assert.equal(hex(first), firstHex);
  // Growing mid-string keeps what was already written.
  const writer = new CborWriter();
  writer.array(3);
  writer.string("ü".repeat(600));
  writer.string("x".repeat(1500));
  writer.bytes(new Uint8Array(3000).fill(7));
  assert.deepStrictEqual(decodeCbor(writer.finish()), ["ü".repeat(600), "x".repeat(1500), new Uint8Array(3000).fill(7)]);
});

test("the encoder refuses what CBOR cannot hold, with a StratusError", () => {
  const cyclic: Record<string, unknown> = {};
  cyclic["self"] = cyclic;
  for (const value of [() => 1, Symbol("s"), new Date(Number.NaN), cyclic, { nested: [Symbol("t")] }]) {
    assert.throws(() => encodeCbor(value), StratusError);
  }
});

// ---- malformed and hostile input ---------------------------------------------------------

test("malformed: empty input, trailing bytes", () => {
  expectParseError(new Uint8Array(0), /no data/);
  expectParseError(bytes("00 00"), /unexpected bytes after/);
  expectParseError(bytes("a0 ff"), /unexpected bytes after/);
});

test("malformed: every truncation of a valid body is a ParseError", () => {
  const full = encodeCbor({
    n: [0, 24, 256, 65536, 2 ** 32, 2 ** 60, -(2 ** 40), 1.5, 1.1, 2n ** 80n],
    s: ["", "abc", "ü".repeat(40), "x".repeat(300)],
    b: new Uint8Array(40),
    d: new Date(1700000000123),
    t: new CborTagged(4, [-2, 12345]),
    z: [true, false, null, undefined, {}],
  });
  const indefinite = bytes("bf 6161 9f 01 7f 6161 6162 ff 5f 4101 ff ff 6162 f9 3c00 ff");
  for (const whole of [full, indefinite]) {
    assert.doesNotThrow(() => decodeCbor(whole));
    for (let end = 0; end < whole.length; end++) expectParseError(whole.subarray(0, end));
  }
});

test("hostile: length and count claims beyond the input are refused before allocating", () => {
  const claims = [
    "5b ffffffffffffffff", // byte string of 2^64 − 1 bytes
    "5b 0000000100000000 00", // 2^32 bytes
    "7a ffffffff 61", // text of 4 GiB
    "7b 001fffffffffffff", // text of 2^53 − 1 bytes
    "9b ffffffffffffffff", // array of 2^64 − 1 items
    "9a 7fffffff 00", // array of 2^31 − 1 items
    "bb 00000000ffffffff", // map of 2^32 − 1 pairs
    "b9 ffff 6161", // map of 65535 pairs
    "99 0003 00 00", // array of 3 items, 2 present
    "a2 6161 01", // map of 2 pairs, 1 present
    "5f 5b ffffffffffffffff ff", // such a chunk inside an indefinite string
  ];
  for (const claim of claims) {
    expectParseError(bytes(claim));
  }
});

test("hostile: nesting deeper than the limit is refused, at the limit it decodes", () => {
  const nest = (open: string, depth: number, inner = "00", close = ""): Uint8Array =>
    bytes(open.repeat(depth) + inner + close.repeat(depth));
  assert.doesNotThrow(() => decodeCbor(nest("81", MAX_DEPTH)));
  expectParseError(nest("81", MAX_DEPTH + 1), /nested more than/);
  expectParseError(nest("81", 100_000), /nested more than/);
  expectParseError(nest("9f", 100_000), /nested more than/);
  expectParseError(nest("a16161", 100_000), /nested more than/);
  expectParseError(nest("d8 20", 100_000), /nested more than/);
  // Indefinite containers that never close end with the input.
  expectParseError(bytes("9f" + "00".repeat(100_000)), /truncated/);
});

test("malformed: invalid UTF-8 in text strings and keys", () => {
  for (const text of [
    "61 ff", // never valid
    "61 80", // a lone continuation byte
    "62 c3 28", // a bad continuation
    "62 c0 80", // overlong NUL
    "63 eda080", // a UTF-16 surrogate
    "64 f4908080", // beyond U+10FFFF
    "62 e6b0", // a sequence cut short by the length
    "78 21 " + "41".repeat(32) + "ff", // past the short-string fast path
    "7f 61 c3 61 bc ff", // one character split across chunks
    "a1 61 ff 00", // a map key
  ]) {
    expectParseError(bytes(text), /UTF-8/);
  }
});

test("malformed: reserved and invalid additional information, misplaced breaks", () => {
  for (const initial of [0x1c, 0x1d, 0x1e, 0x3c, 0x5c, 0x7d, 0x9e, 0xbc, 0xdd, 0xfc, 0xfd, 0xfe]) {
    expectParseError(new Uint8Array([initial, 0, 0, 0, 0, 0, 0, 0, 0]), /reserved additional information/);
  }
  for (const initial of [0x1f, 0x3f, 0xdf]) expectParseError(new Uint8Array([initial, 0]), /indefinite length/);
  expectParseError(bytes("ff"), /break outside/);
  expectParseError(bytes("81 ff"), /break outside/);
  expectParseError(bytes("a1 6161 ff"), /break outside/);
});

test("malformed: indefinite strings hold only definite chunks of their own type", () => {
  expectParseError(bytes("5f 6161 ff"), /only definite strings/);
  expectParseError(bytes("7f 4161 ff"), /only definite strings/);
  expectParseError(bytes("5f 5f ff ff"), /only definite strings/);
  expectParseError(bytes("7f 00 ff"), /only definite strings/);
});

test("unsupported: non-text map keys, unassigned simple values, ill-typed tags", () => {
  expectParseError(bytes("a2 01 02 03 04"), /map key is not a text string/);
  expectParseError(bytes("a1 41 61 00"), /map key is not a text string/);
  expectParseError(bytes("f0"), /unsupported simple value 16/);
  expectParseError(bytes("f8 ff"), /unsupported simple value 255/);
  expectParseError(bytes("f8 18"), /not well-formed/);
  expectParseError(bytes("c1 6161"), /tag 1/);
  expectParseError(bytes("c1 fb 7ff0000000000000"), /tag 1/);
  expectParseError(bytes("c1 1b 7fffffffffffffff"), /tag 1/);
  expectParseError(bytes("c2 01"), /tag 2/);
});

test("hostile: random and mutated input only ever gives a value or a ParseError", () => {
  const seedBodies = [
    encodeCbor({ a: [1, 2, { b: "ü", c: new Uint8Array(5), d: new Date(0) }], e: 1.1, f: -(2n ** 70n) }),
    bytes("bf 6161 9f 01 7f 6161 6162 ff 5f 4101 ff ff 6162 f9 3c00 ff"),
  ];
  let seed = 0x2545f491;
  const next = (): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  for (let i = 0; i < 20_000; i++) {
    let input: Uint8Array;
    if (i % 2 === 0) {
      input = new Uint8Array(1 + (next() % 24)).map(() => next() & 0xff);
    } else {
      const base = seedBodies[i % seedBodies.length] as Uint8Array;
      input = base.slice();
      for (let flips = 1 + (next() % 3); flips > 0; flips--) input[next() % input.length] = next() & 0xff;
    }
    try {
      decodeCbor(input);
    } catch (error) {
      if (!(error instanceof ParseError)) assert.fail(`${hex(input)} threw ${String(error)}`);
    }
  }
});

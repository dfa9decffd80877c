/**
 * A CBOR tag (RFC 8949 §3.4) that the codec has no JavaScript type for: the tag number and
 * the item it wraps. The decoder turns the tags the RPC v2 protocol uses into native values
 * (1 → Date, 2/3 → bigint) and hands every other tag back as a `CborTagged`; the encoder
 * writes one out as given. Decimal fractions (tag 4, Smithy's bigDecimal) travel this way:
 * `new CborTagged(4, [exponent, mantissa])`.
 */
export class CborTagged {
  readonly tag: number;
  readonly value: unknown;
  constructor(tag: number, value: unknown) {
    this.tag = tag;
    this.value = value;
  }
}

/**
 * DynamoDB numbers are decimals of up to 38 significant digits, sent as strings (`{ N }`).
 * A JavaScript number holds about 16, so "12345678901234567890.123" read into a `number`
 * would come back as 12345678901234567000: the document layer never does that silently.
 *
 * `NumberValue` carries such a number as its exact decimal text. `unmarshall` returns one
 * wherever a `number` would not give the same decimal back (with the default
 * `numbers: "auto"`), or always (`numbers: "NumberValue"`); `marshall` sends its text as
 * it is. Converting it to a `number` is an explicit, visible step (`toNumber()`).
 *
 * `exactNumber(text)` is the test behind "auto": the number whose shortest decimal form
 * (what `String(n)` prints) is the same decimal as `text`, else undefined. So "0.1", "1.50"
 * and "1e2" give numbers (0.1 prints as "0.1"), "9007199254740993" and "0.1000000000000000055"
 * do not.
 */
const PLAIN_DECIMAL = /^-?(?:\d+\.?\d*|\.\d+)$/;
const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export class NumberValue {
  /** The decimal text, exactly as given or as DynamoDB returned it. */
  readonly value: string;

  constructor(value: string | number | bigint) {
    if (typeof value === "bigint") {
      this.value = value.toString();
    } else if (typeof value === "number") {
      if (!Number.isFinite(value)) throw new RangeError(`NumberValue: ${value} is not a number DynamoDB can store`);
      this.value = String(value);
    } else {
      const text = value.trim();
      if (!NUMBER_TEXT.test(text)) throw new RangeError(`NumberValue: "${value}" is not a decimal number`);
      this.value = text;
    }
  }

  static from(value: string | number | bigint): NumberValue {
    return new NumberValue(value);
  }

  /** The nearest JavaScript number (may round: that is why it is a separate, explicit step). */
  toNumber(): number {
    return Number(this.value);
  }

  /** The value as a bigint; RangeError if it is not a whole number. */
  toBigInt(): bigint {
    const { sign, digits, exponent } = decimalParts(this.value);
    if (digits === "") return 0n;
    if (exponent < 0) throw new RangeError(`NumberValue ${this.value} is not a whole number`);
    return BigInt(`${sign}${digits}${"0".repeat(exponent)}`);
  }

  toString(): string {
    return this.value;
  }

  /** JSON has no exact decimals: the text, so nothing is rounded on the way. */
  toJSON(): string {
    return this.value;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `NumberValue(${this.value})`;
  }
}

/** The JavaScript number with the same decimal value as `text`, or undefined when there is none. */
export function exactNumber(text: string): number | undefined {
  // Fast path: a plain decimal of at most 15 digits always survives a double (DBL_DIG is 15).
  if (text.length <= 15 && PLAIN_DECIMAL.test(text)) return Number(text);
  const n = Number(text);
  if (!Number.isFinite(n)) return undefined;
  return sameDecimal(decimalParts(text), decimalParts(String(n))) ? n : undefined;
}

interface DecimalParts {
  readonly sign: "" | "-";
  /** Significant digits, no leading or trailing zeros; "" for zero. */
  readonly digits: string;
  /** value = digits × 10^exponent */
  readonly exponent: number;
}

function decimalParts(text: string): DecimalParts {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (match === null) return { sign: "", digits: "", exponent: Number.NaN };
  const whole = match[2] ?? "";
  const fraction = match[3] ?? "";
  let digits = `${whole}${fraction}`.replace(/^0+/, "");
  let exponent = Number(match[4] ?? "0") - fraction.length;
  const trailing = /0+$/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  if (digits === "") return { sign: "", digits: "", exponent: 0 };
  return { sign: match[1] === "-" ? "-" : "", digits, exponent };
}

function sameDecimal(a: DecimalParts, b: DecimalParts): boolean {
  return a.sign === b.sign && a.digits === b.digits && a.exponent === b.exponent;
}

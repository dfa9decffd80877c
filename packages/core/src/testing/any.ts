/**
 * The "any value" sentinels of expected parameters (botocore's `stub.ANY`): `ANY` in place
 * of one member's value matches whatever the call passes there (it must still be present),
 * `ANY_PARAMS` in place of the whole input matches any input.
 */

/** The class of `ANY`: one instance, printed as `ANY`. */
class AnyValue {
  // Makes the type nominal: no object literal passes for ANY.
  readonly #brand = "ANY";
  toString(): string {
    return this.#brand;
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return "ANY";
  }
}

/** Matches any value of a member (the member must be present in the call). */
export const ANY: AnyValue = new AnyValue();

/** Matches any input: the call's operation is checked, its parameters are not. */
export const ANY_PARAMS: unique symbol = Symbol("ANY_PARAMS");

export type Any = typeof ANY;
export type AnyParams = typeof ANY_PARAMS;

export function isAny(value: unknown): boolean {
  return value === ANY;
}

/**
 * Arbitraries of values for a shape of a real model, in the form the SDK deals in
 * (protocol.ts): Date for timestamps, Uint8Array for blobs, numbers, plain objects and
 * arrays, a union as `{ [member]: value }`.
 *
 * Two uses:
 *   output  what a parser should return for a document written from the value (the
 *           round-trip properties: write with an independent writer, parse, compare)
 *   input   what validation must accept: every required member set, every length, size
 *           and range within the model's min/max, exactly one member of a union
 *
 * Recursion (DynamoDB's AttributeValue holds lists and maps of itself) stops at
 * `maxDepth`: deeper structures are empty, unions take a scalar member, lists and maps
 * are empty. Map keys sometimes are "__proto__" or "constructor", and entries are made
 * with defineProperty so the key stays data in the expected value too.
 */
import fc from "fast-check";
import { membersOf, memberShape, type MemberView } from "../../../packages/core/src/schema/normalize.ts";
import type { ListShape, MapShape, ScalarShape, Shape, StructureShape } from "../../../packages/core/src/schema/types.ts";

export interface ValueOptions {
  /** Strings in general (a protocol that cannot carry every code point narrows this). */
  readonly text: fc.Arbitrary<string>;
  /** "input" respects the model's bounds and required members (see the header). */
  readonly mode: "input" | "output";
  readonly maxDepth: number;
  /** Members to leave out entirely (e.g. header-bound ones when only a body is written). */
  readonly skip?: ((view: MemberView) => boolean) | undefined;
  /** Largest list / map generated (a bounded input keeps every case fast). */
  readonly maxItems?: number | undefined;
}

const SPECIAL_KEYS = fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty", "");

export function valueOf(shape: Shape, options: ValueOptions): fc.Arbitrary<unknown> {
  return new ValueArbitraries(options).of(shape, 0);
}

/** Only the members a structure value may have under `options` (after `skip`). */
export function keptMembers(shape: StructureShape, options: Pick<ValueOptions, "skip">): readonly MemberView[] {
  return membersOf(shape).filter((view) => !options.skip?.(view));
}

class ValueArbitraries {
  readonly #options: ValueOptions;
  readonly #cache = new Map<Shape, Map<number, fc.Arbitrary<unknown>>>();

  constructor(options: ValueOptions) {
    this.#options = options;
  }

  of(shape: Shape, depth: number): fc.Arbitrary<unknown> {
    let byDepth = this.#cache.get(shape);
    if (!byDepth) {
      byDepth = new Map();
      this.#cache.set(shape, byDepth);
    }
    let arbitrary = byDepth.get(depth);
    if (!arbitrary) {
      arbitrary = this.#build(shape, depth);
      byDepth.set(depth, arbitrary);
    }
    return arbitrary;
  }

  #build(shape: Shape, depth: number): fc.Arbitrary<unknown> {
    switch (shape.type) {
      case "structure":
        return shape.union ? this.#union(shape, depth) : this.#structure(shape, depth);
      case "list":
        return this.#list(shape, depth);
      case "map":
        return this.#map(shape, depth);
      case "document":
        // Through JSON once, so -0 is 0 as it is after any wire; a null document is "not set".
        return fc.jsonValue({ maxDepth: 2 }).filter((v) => v !== null).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
      default:
        return this.#scalar(shape);
    }
  }

  #structure(shape: StructureShape, depth: number): fc.Arbitrary<unknown> {
    const input = this.#options.mode === "input";
    const required = new Set(input ? (shape.required ?? []) : []);
    const views = keptMembers(shape, this.#options).filter((view) => depth < this.#options.maxDepth || required.has(view.name));
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const view of views) record[view.name] = this.of(view.shape, depth + 1);
    return fc.record(record, { requiredKeys: views.filter((view) => required.has(view.name)).map((view) => view.name), noNullPrototype: true });
  }

  #union(shape: StructureShape, depth: number): fc.Arbitrary<unknown> {
    let views = keptMembers(shape, this.#options);
    if (depth >= this.#options.maxDepth) {
      const scalars = views.filter((view) => !["structure", "list", "map"].includes(view.shape.type));
      if (scalars.length > 0) views = scalars;
    }
    return fc.oneof(...views.map((view) => this.of(view.shape, depth + 1).map((value) => ({ [view.name]: value }))));
  }

  #list(shape: ListShape, depth: number): fc.Arbitrary<unknown> {
    const { min, max } = this.#bounds(shape, depth);
    return fc.array(this.of(memberShape(shape.member), depth + 1), { minLength: min, maxLength: max });
  }

  #map(shape: MapShape, depth: number): fc.Arbitrary<unknown> {
    const { min, max } = this.#bounds(shape, depth);
    const keyShape = memberShape(shape.key);
    const key = keyShape.type === "string" ? this.#string(keyShape as ScalarShape, true) : this.#options.text;
    return fc
      .uniqueArray(fc.tuple(key, this.of(memberShape(shape.value), depth + 1)), { minLength: min, maxLength: max, selector: ([k]) => k })
      .map((entries) => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
        return out;
      });
  }

  /** Item counts: within min/max for input, small always, none past the depth limit unless min demands. */
  #bounds(shape: ListShape | MapShape, depth: number): { min: number; max: number } {
    const limit = this.#options.maxItems ?? 4;
    const input = this.#options.mode === "input";
    const min = input ? (shape.min ?? 0) : 0;
    const max = depth >= this.#options.maxDepth ? min : Math.max(min, Math.min(input ? (shape.max ?? limit) : limit, min + limit));
    return { min, max };
  }

  #scalar(shape: ScalarShape): fc.Arbitrary<unknown> {
    const input = this.#options.mode === "input";
    switch (shape.type) {
      case "string":
        return this.#string(shape, false);
      case "boolean":
        return fc.boolean();
      case "byte":
        return this.#integer(shape, -128, 127);
      case "short":
        return this.#integer(shape, -32768, 32767);
      case "integer":
        return this.#integer(shape, -(2 ** 31), 2 ** 31 - 1);
      case "long":
      case "biginteger":
        return this.#integer(shape, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      case "float":
      case "double":
      case "bigdecimal": {
        const bounded = input && (shape.min !== undefined || shape.max !== undefined);
        return fc
          .double({ min: input ? shape.min : undefined, max: input ? shape.max : undefined, noNaN: bounded || shape.type === "bigdecimal", noDefaultInfinity: shape.type === "bigdecimal" })
          .map((n) => (Object.is(n, -0) ? 0 : n));
      }
      case "timestamp":
        // Millisecond dates between 1900 and 2200: every protocol's format holds them exactly.
        return fc.integer({ min: -2_208_988_800_000, max: 7_258_118_400_000 }).map((ms) => new Date(ms));
      case "blob": {
        const min = input ? (shape.min ?? 0) : 0;
        return fc.uint8Array({ minLength: min, maxLength: Math.max(min, Math.min(shape.max ?? min + 12, min + 12)) });
      }
    }
  }

  #string(shape: ScalarShape, key: boolean): fc.Arbitrary<string> {
    const input = this.#options.mode === "input";
    const min = input ? (shape.min ?? 0) : 0;
    const max = input ? Math.max(min, Math.min(shape.max ?? min + 12, min + 12)) : 12;
    const text = fc.string({ unit: "binary", minLength: min, maxLength: max });
    const ofLength = (arbitrary: fc.Arbitrary<string>): fc.Arbitrary<string> =>
      arbitrary.filter((s) => {
        const length = [...s].length;
        return length >= min && length <= max;
      });
    // `text` from the options narrows what a protocol can carry; lengths are re-checked after it.
    const base = input ? text : this.#options.text;
    return key ? fc.oneof({ weight: 6, arbitrary: ofLength(base) }, { weight: 1, arbitrary: ofLength(SPECIAL_KEYS) }) : ofLength(base);
  }

  #integer(shape: ScalarShape, low: number, high: number): fc.Arbitrary<number> {
    const input = this.#options.mode === "input";
    const min = input && shape.min !== undefined ? Math.max(low, Math.ceil(shape.min)) : low;
    const max = input && shape.max !== undefined ? Math.min(high, Math.floor(shape.max)) : high;
    return fc.integer({ min, max });
  }
}

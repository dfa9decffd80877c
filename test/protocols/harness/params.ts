/**
 * The suites write params in JSON, which cannot hold NaN or ±Infinity: a float member's
 * "NaN" / "Infinity" / "-Infinity" stands for the number. This turns a case's params into
 * what an SDK caller passes, walking the input shape. Everything else (epoch-second
 * timestamps, blobs as text) is already a value the protocols accept from callers.
 */
import { membersOf, memberShape } from "../../../packages/core/src/schema/normalize.ts";
import type { Shape } from "../../../packages/core/src/schema/types.ts";

const SPECIAL: ReadonlyMap<unknown, number> = new Map([["NaN", Number.NaN], ["Infinity", Infinity], ["-Infinity", -Infinity]]);

export function callerValue(value: unknown, shape: Shape): unknown {
  if (value === null || value === undefined) return value;
  switch (shape.type) {
    case "float":
    case "double":
      return SPECIAL.get(value) ?? value;
    case "list":
      return Array.isArray(value) ? value.map((item: unknown) => callerValue(item, memberShape(shape.member))) : value;
    case "map": {
      if (typeof value !== "object") return value;
      const valueShape = memberShape(shape.value);
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, callerValue(v, valueShape)]));
    }
    case "structure": {
      if (typeof value !== "object" || Array.isArray(value)) return value;
      const record = value as Record<string, unknown>;
      const out: Record<string, unknown> = { ...record };
      for (const view of membersOf(shape)) {
        if (view.name in record) out[view.name] = callerValue(record[view.name], view.shape);
      }
      return out;
    }
    default:
      return value;
  }
}

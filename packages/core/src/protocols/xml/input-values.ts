/**
 * The caller's collections as the serializers walk them: a list may be an array or a Set,
 * a map a plain object or a Map, a structure a plain object (the same leniency as the REST
 * bindings). Anything else is the caller's mistake, reported with where it was found.
 */
import { StratusError } from "../../errors/index.ts";

export function listItems(value: unknown, where: string): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (value instanceof Set) return [...(value as Set<unknown>)];
  throw new StratusError(`${where}: expected a list (an array or a Set)`);
}

export function mapEntries(value: unknown, where: string): Array<readonly [string, unknown]> {
  if (value instanceof Map) return [...(value as Map<unknown, unknown>)].map(([k, v]) => [String(k), v] as const);
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new StratusError(`${where}: expected a map (an object or a Map)`);
  return Object.entries(value);
}

export function structureFields(value: unknown, where: string): Readonly<Record<string, unknown>> {
  if (value === null || typeof value !== "object" || Array.isArray(value) || value instanceof Map || value instanceof Set) {
    throw new StratusError(`${where}: expected an object`);
  }
  return value as Readonly<Record<string, unknown>>;
}

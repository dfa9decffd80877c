/**
 * Which operations a client has, found from the client itself: a generated client's
 * methods are one line each, `return this.send(schema.GetItem, input, options)`, so calling
 * each method once on a probe whose `send` records its first argument and stops yields the
 * operation's schema and name. Nothing is sent, nothing of the client is resolved, and the
 * generated package needs no extra table. The result is cached per client class.
 *
 * A method is taken for an operation when it hands `send` a schema at once and bears the
 * operation's name (generated methods are the name in camelCase); anything else (a
 * hand-written helper, an async method) is skipped, its work stopped at the probe's `send`.
 */
import { ServiceClient } from "../client/service-client.ts";
import type { OperationSchema } from "../schema/types.ts";
import { UnknownOperationError } from "./errors.ts";

export interface ClientOperation {
  /** The service's name for it: "GetItem". */
  readonly name: string;
  /** The client's method: "getItem". */
  readonly method: string;
  readonly schema: OperationSchema;
}

export interface OperationTable {
  /** By operation name and by method name. */
  readonly byName: ReadonlyMap<string, ClientOperation>;
  readonly all: readonly ClientOperation[];
}

const tables = new WeakMap<object, OperationTable>();

/** The client's operations (probed on first use for its class). */
export function operationsOf(client: ServiceClient): OperationTable {
  const type = Object.getPrototypeOf(client) as object;
  let table = tables.get(type);
  if (!table) {
    table = probeOperations(client);
    tables.set(type, table);
  }
  return table;
}

/** The operation named `name` (the service's name or the method's), else UnknownOperationError with close names. */
export function findOperation(table: OperationTable, service: string, name: string): ClientOperation {
  const found = table.byName.get(name);
  if (found) return found;
  throw new UnknownOperationError(service, name, closeNames(name, table.all.map((operation) => operation.name)));
}

class Probed {
  readonly schema: OperationSchema;
  constructor(schema: OperationSchema) {
    this.schema = schema;
  }
}

function probeOperations(client: ServiceClient): OperationTable {
  const all: ClientOperation[] = [];
  const byName = new Map<string, ClientOperation>();
  for (let type = Object.getPrototypeOf(client) as object | null; type && type !== ServiceClient.prototype && type !== Object.prototype; type = Object.getPrototypeOf(type) as object | null) {
    for (const method of Object.getOwnPropertyNames(type)) {
      if (method === "constructor" || byName.has(method)) continue;
      const value = Object.getOwnPropertyDescriptor(type, method)?.value as unknown;
      if (typeof value !== "function") continue;
      const schema = probe(client, value as (...args: unknown[]) => unknown);
      // A helper that calls an operation (tableNames() → listTables()) is not that operation.
      if (!schema || schema.name.toLowerCase() !== method.toLowerCase() || byName.has(schema.name)) continue;
      const operation: ClientOperation = { name: schema.name, method, schema };
      all.push(operation);
      byName.set(schema.name, operation);
      byName.set(method, operation);
    }
  }
  return { byName, all };
}

/** The schema `method` hands to `send` straight away, if it does. */
function probe(client: ServiceClient, method: (...args: unknown[]) => unknown): OperationSchema | undefined {
  const probeTarget = Object.create(client) as Record<string, unknown>;
  probeTarget["send"] = (schema: OperationSchema): never => {
    throw new Probed(schema);
  };
  try {
    const result = method.call(probeTarget, {}, {});
    // An async helper rejects later, on its own: nobody is waiting for it.
    if (result instanceof Promise) result.catch(() => undefined);
  } catch (caught) {
    if (caught instanceof Probed && typeof caught.schema?.name === "string") return caught.schema;
  }
  return undefined;
}

/** Up to three names close to `wanted`: same letters in another case, a prefix, or a few edits away. */
export function closeNames(wanted: string, names: readonly string[]): string[] {
  const lower = wanted.toLowerCase();
  const scored = names
    .map((name) => {
      const candidate = name.toLowerCase();
      const score = candidate === lower ? 0 : candidate.includes(lower) || lower.includes(candidate) ? 1 : 1 + editDistance(lower, candidate);
      return { name, score };
    })
    .filter(({ score }) => score <= Math.max(3, Math.floor(wanted.length / 3)))
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  return scored.slice(0, 3).map(({ name }) => name);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * Which operations a client has, found from the client itself: a generated client's
 * methods are one line each, `return this.send(schema.GetItem, input, options)`, so calling
 * each method once on a probe whose `send` records its first argument and stops yields the
 * operation's schema and name. Nothing is sent, nothing of the client is resolved, and the
 * generated package needs no extra table (which would also defeat tree-shaking: every
 * schema would be reachable from the class). The result is cached per client class.
 *
 * Used by `presign("GetObject", …)` (service-client.ts) and by the test Stubber (testing/).
 *
 * A method is taken for an operation when it hands `send` a schema at once and bears the
 * operation's name, case aside (generated methods are the name in camelCase, with "_" in
 * front of a name the generator cannot use); anything else (a
 * hand-written helper, an async method) is skipped, its work stopped at the probe's `send`.
 */
import type { OperationSchema } from "../schema/types.ts";

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

/**
 * The client's operations, probed on first use for its class. `base` is the class whose
 * own methods are not operations (ServiceClient.prototype): the walk up the prototype
 * chain stops there.
 */
export function operationsOf(client: object, base: object): OperationTable {
  const type = Object.getPrototypeOf(client) as object;
  let table = tables.get(type);
  if (!table) {
    table = probeOperations(client, base);
    tables.set(type, table);
  }
  return table;
}

class Probed {
  readonly schema: OperationSchema;
  constructor(schema: OperationSchema) {
    this.schema = schema;
  }
}

function probeOperations(client: object, base: object): OperationTable {
  const all: ClientOperation[] = [];
  const byName = new Map<string, ClientOperation>();
  for (let type = Object.getPrototypeOf(client) as object | null; type && type !== base && type !== Object.prototype; type = Object.getPrototypeOf(type) as object | null) {
    for (const method of Object.getOwnPropertyNames(type)) {
      if (method === "constructor" || byName.has(method)) continue;
      const value = Object.getOwnPropertyDescriptor(type, method)?.value as unknown;
      if (typeof value !== "function") continue;
      const schema = probe(client, value as (...args: unknown[]) => unknown);
      // A helper that calls an operation (tableNames() → listTables()) is not that operation.
      if (!schema || schema.name.toLowerCase() !== method.replace(/^_+/, "").toLowerCase() || byName.has(schema.name)) continue;
      const operation: ClientOperation = { name: schema.name, method, schema };
      all.push(operation);
      byName.set(schema.name, operation);
      byName.set(method, operation);
    }
  }
  return { byName, all };
}

/** The schema `method` hands to `send` straight away, if it does. */
function probe(client: object, method: (...args: unknown[]) => unknown): OperationSchema | undefined {
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

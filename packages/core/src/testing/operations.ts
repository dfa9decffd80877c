/**
 * The operations a Stubber can queue, by the service's name or the client's method name,
 * from the core's probe of the client (client/operations.ts), and the "did you mean" list
 * for a name that matches none.
 */
import { operationsOf as probeOperations, type ClientOperation, type OperationTable } from "../client/operations.ts";
import { ServiceClient } from "../client/service-client.ts";
import { UnknownOperationError } from "./errors.ts";

export type { ClientOperation, OperationTable };

/** The client's operations (probed on first use for its class). */
export function operationsOf(client: ServiceClient): OperationTable {
  return probeOperations(client, ServiceClient.prototype);
}

/** The operation named `name` (the service's name or the method's), else UnknownOperationError with close names. */
export function findOperation(table: OperationTable, service: string, name: string): ClientOperation {
  const found = table.byName.get(name);
  if (found) return found;
  throw new UnknownOperationError(service, name, closeNames(name, table.all.map((operation) => operation.name)));
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

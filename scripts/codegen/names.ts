/**
 * Naming rules of the generated code, in one place:
 *
 * - Client class: the model's serviceId with its words joined, each word's first letter
 *   upper-cased and the rest kept ("Secrets Manager" → SecretsManager, "CloudWatch Logs" →
 *   CloudWatchLogs, "SSO OIDC" → SSOOIDC). These are the short names boto3 and the v3 SDK use.
 * - Methods (operations, paginators, waiters): camelCase of the model name, a leading
 *   acronym lower-cased as a whole ("GetObject" → getObject, "ListObjectsV2" →
 *   listObjectsV2, "DBInstanceAvailable" → dbInstanceAvailable, "SSOLogin" → ssoLogin).
 * - Shapes, operations, error classes, types: the model's own names. Only a name that
 *   cannot be used as is (a reserved word, a global the file itself needs, or a clash with
 *   another generated name) changes, by a leading underscore (`Record` → `_Record`), as the
 *   v3 SDK does.
 */

const RESERVED_WORDS = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await arguments eval undefined NaN Infinity " +
    // TypeScript's own type names, which cannot name an interface or a type alias.
    "any boolean number string symbol object never unknown bigint"
  ).split(" "),
);

export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(name);
}

/** A property key as written in an object literal or interface: bare when possible. */
export function propertyKey(name: string): string {
  return isIdentifier(name) ? name : JSON.stringify(name);
}

export function clientClassName(serviceId: string): string {
  const name = serviceId
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");
  if (!name) throw new Error(`serviceId "${serviceId}" gives no class name`);
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

export function camelCase(name: string): string {
  const match = /^[A-Z]+/.exec(name);
  if (!match) return name;
  const run = match[0];
  // "DBInstance": the run "DBI" ends with the first letter of the next word, which stays upper.
  const lower = run.length > 1 && run.length < name.length && /[a-z]/.test(name.charAt(run.length)) ? run.length - 1 : run.length;
  return name.slice(0, lower).toLowerCase() + name.slice(lower);
}

/**
 * Hands out identifiers unique within one scope (a generated module, or a package's
 * entry point): the wanted name if it is free and allowed, else `_` + name, and so on.
 */
export class Scope {
  readonly #taken = new Set<string>();
  readonly #avoid: ReadonlySet<string>;

  constructor(avoid: Iterable<string> = []) {
    this.#avoid = new Set(avoid);
  }

  claim(wanted: string): string {
    let name = isIdentifier(wanted) ? wanted : wanted.replace(/[^\w$]/g, "_").replace(/^(?=[0-9])/, "_");
    while (RESERVED_WORDS.has(name) || this.#avoid.has(name) || this.#taken.has(name)) name = `_${name}`;
    this.#taken.add(name);
    return name;
  }

  has(name: string): boolean {
    return this.#taken.has(name);
  }
}

/** paginators.ts / waiters.ts constants: the operation / waiter name (made a valid identifier). */
export function pagConst(operation: string): string {
  return new Scope(["PaginatorConfig"]).claim(operation);
}

export function waiterConst(waiter: string): string {
  return new Scope(["WaiterConfig"]).claim(waiter);
}

/**
 * One entry of botocore's waiters-2.json (`waiters.<Name>`), with its key names, so the
 * generator can emit the model's objects verbatim (readonly lists: `as const` works too).
 *
 * Acceptors are tried in order after every attempt; the first that matches decides:
 *
 *   matcher   argument          matches when
 *   path      JMESPath          the expression's value equals `expected`
 *   pathAll   JMESPath          it is a non-empty list and every element equals `expected`
 *   pathAny   JMESPath          it is a non-empty list and some element equals `expected`
 *   status    -                 the HTTP status (of the output or of the service error)
 *                               equals `expected`
 *   error     -                 `expected` "Code": the attempt failed with that service error
 *                               code; `true`: it failed with any service error; `false`: it
 *                               did not fail (smithy's `success: true`)
 *
 * The path matchers look at successful outputs only. `state` is what a match means:
 * "success" ends the wait, "failure" ends it with WaiterFailureError, "retry" waits and
 * tries again (as does an output no acceptor matched).
 */
import { compileExpression, type Expression } from "../paginate/jmespath.ts";

export type WaiterState = "success" | "failure" | "retry";
export type WaiterMatcher = "path" | "pathAll" | "pathAny" | "status" | "error";

export interface WaiterPathAcceptor {
  readonly state: WaiterState;
  readonly matcher: "path" | "pathAll" | "pathAny";
  readonly argument: string;
  readonly expected: string | number | boolean;
}

export interface WaiterStatusAcceptor {
  readonly state: WaiterState;
  readonly matcher: "status";
  readonly argument?: string | undefined;
  readonly expected: number;
}

export interface WaiterErrorAcceptor {
  readonly state: WaiterState;
  readonly matcher: "error";
  readonly argument?: string | undefined;
  readonly expected: string | boolean;
}

export type WaiterAcceptor = WaiterPathAcceptor | WaiterStatusAcceptor | WaiterErrorAcceptor;

export interface WaiterConfig {
  /** Seconds between attempts in botocore; here the minimum delay of smithy's backoff. */
  readonly delay: number;
  /** Botocore's attempt limit; here it sets the default maximum wait (delay × maxAttempts). */
  readonly maxAttempts: number;
  /** The operation the waiter calls (informational: the caller supplies `send`). */
  readonly operation: string;
  readonly description?: string | undefined;
  readonly acceptors: readonly WaiterAcceptor[];
}

/** An acceptor with its argument parsed once, before the first attempt. */
export interface CompiledAcceptor {
  readonly acceptor: WaiterAcceptor;
  readonly expression: Expression | undefined;
}

const STATES: ReadonlySet<string> = new Set(["success", "failure", "retry"]);

/** Checks what TypeScript cannot when the config came from JSON; throws TypeError. */
export function compileAcceptors(config: WaiterConfig): readonly CompiledAcceptor[] {
  if (!Array.isArray(config.acceptors) || config.acceptors.length === 0) {
    throw new TypeError(`waiter for ${config.operation} has no acceptors`);
  }
  return config.acceptors.map((acceptor: WaiterAcceptor, i: number) => {
    const where = `waiter for ${config.operation}, acceptor ${i + 1}`;
    if (!STATES.has(acceptor.state)) throw new TypeError(`${where}: unknown state ${String(acceptor.state)}`);
    switch (acceptor.matcher) {
      case "path":
      case "pathAll":
      case "pathAny":
        if (typeof acceptor.argument !== "string") throw new TypeError(`${where}: ${acceptor.matcher} needs an argument`);
        return { acceptor, expression: compileExpression(acceptor.argument) };
      case "status":
        if (typeof acceptor.expected !== "number") throw new TypeError(`${where}: status expects a number`);
        return { acceptor, expression: undefined };
      case "error":
        if (typeof acceptor.expected !== "string" && typeof acceptor.expected !== "boolean") {
          throw new TypeError(`${where}: error expects a code or a boolean`);
        }
        return { acceptor, expression: undefined };
      default:
        throw new TypeError(`${where}: unknown matcher ${String((acceptor as { matcher: unknown }).matcher)}`);
    }
  });
}

/** A sentence saying what an acceptor matched, for error reasons. */
export function explainAcceptor(acceptor: WaiterAcceptor): string {
  const expected = JSON.stringify(acceptor.expected);
  switch (acceptor.matcher) {
    case "path":
      return `${acceptor.argument} was ${expected}`;
    case "pathAll":
      return `every element of ${acceptor.argument} was ${expected}`;
    case "pathAny":
      return `an element of ${acceptor.argument} was ${expected}`;
    case "status":
      return `the HTTP status was ${acceptor.expected}`;
    case "error":
      if (acceptor.expected === true) return "the call failed with a service error";
      if (acceptor.expected === false) return "the call succeeded";
      return `the call failed with ${acceptor.expected}`;
  }
}

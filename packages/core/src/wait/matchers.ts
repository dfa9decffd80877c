/**
 * Matching one attempt's outcome against the acceptors. An outcome is either the output
 * (`ok: true`) or what `send` threw. Only a `ServiceError` counts as an error the acceptors
 * can see, as in botocore, where a network failure raises before the waiter looks: a
 * `status` or `error` matcher never matches a socket error, so it propagates unchanged.
 *
 * Path matchers never look at errors. An expression that fails while evaluating (smithy
 * models use `length(...)`, which throws on null when the service left a list out) counts
 * as no match: the resource is not in that state yet, and a timeout will still end the
 * wait, whereas an exception would end it for a response the model's author did not expect.
 */
import { ServiceError } from "../errors/service-error.ts";
import { sameValue } from "../paginate/jmespath.ts";
import type { CompiledAcceptor } from "./config.ts";

export type Outcome<O> = { readonly ok: true; readonly output: O } | { readonly ok: false; readonly error: unknown };

function statusOf(outcome: Outcome<unknown>): number | undefined {
  if (!outcome.ok) return outcome.error instanceof ServiceError ? outcome.error.$metadata.httpStatusCode : undefined;
  const output = outcome.output as { readonly $metadata?: { readonly httpStatusCode?: unknown } } | null | undefined;
  const status = output?.$metadata?.httpStatusCode;
  return typeof status === "number" ? status : undefined;
}

function searchQuietly(compiled: CompiledAcceptor, output: unknown): { found: boolean; value: unknown } {
  try {
    return { found: true, value: compiled.expression?.search(output) ?? null };
  } catch {
    return { found: false, value: null };
  }
}

export function acceptorMatches(compiled: CompiledAcceptor, outcome: Outcome<unknown>): boolean {
  const { acceptor } = compiled;
  switch (acceptor.matcher) {
    case "path":
    case "pathAll":
    case "pathAny": {
      if (!outcome.ok) return false;
      const { found, value } = searchQuietly(compiled, outcome.output);
      if (!found) return false;
      if (acceptor.matcher === "path") return sameValue(value, acceptor.expected);
      if (!Array.isArray(value) || value.length === 0) return false;
      return acceptor.matcher === "pathAll"
        ? value.every((element) => sameValue(element, acceptor.expected))
        : value.some((element) => sameValue(element, acceptor.expected));
    }
    case "status":
      return statusOf(outcome) === acceptor.expected;
    case "error":
      if (acceptor.expected === false) return outcome.ok;
      if (outcome.ok || !(outcome.error instanceof ServiceError)) return false;
      return acceptor.expected === true || outcome.error.code === acceptor.expected;
  }
}

/** The first acceptor that matches, in model order. */
export function firstMatch(acceptors: readonly CompiledAcceptor[], outcome: Outcome<unknown>): CompiledAcceptor | undefined {
  return acceptors.find((compiled) => acceptorMatches(compiled, outcome));
}

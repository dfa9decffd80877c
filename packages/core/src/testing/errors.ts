/**
 * What the test helpers throw. Every class is a `StratusError`, and every message names the
 * operation (or the request) and says what was expected instead; none prints a credential
 * or the value of a member the model marks sensitive.
 *
 *   StubberError                  any misuse or surprise of a Stubber
 *   ├─ UnknownOperationError      add()/addError() named no operation of the client
 *   ├─ InvalidStubError           a canned response, error or expected input that does not
 *   │                             fit the operation's schema (caught at add() time)
 *   ├─ UnexpectedCallError        a call with no queued response, or for another operation
 *   ├─ StubMismatchError          the call's input differs from the expected parameters
 *   └─ PendingStubsError          assertAllConsumed() with responses still queued
 *   ReplayMismatchError           replayHttp: a request that matches no recorded exchange
 */
import { StratusError } from "../errors/index.ts";
import type { ValidationProblem } from "../errors/index.ts";

export class StubberError extends StratusError {
  override name = "StubberError";
}

export class UnknownOperationError extends StubberError {
  override name = "UnknownOperationError";
  readonly operation: string;
  readonly suggestions: readonly string[];
  constructor(service: string, operation: string, suggestions: readonly string[]) {
    const hint = suggestions.length > 0 ? ` (did you mean ${suggestions.join(", ")}?)` : "";
    super(`${service} has no operation "${operation}"${hint}`);
    this.operation = operation;
    this.suggestions = suggestions;
  }
}

export class InvalidStubError extends StubberError {
  override name = "InvalidStubError";
  readonly operation: string;
  readonly problems: readonly ValidationProblem[];
  constructor(operation: string, what: string, problems: readonly ValidationProblem[]) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    super(`invalid ${what} for ${operation} (${count}):\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join("\n")}`);
    this.operation = operation;
    this.problems = problems;
  }
}

export class UnexpectedCallError extends StubberError {
  override name = "UnexpectedCallError";
  /** The operation that was called. */
  readonly operation: string;
  /** The operation the next queued stub is for, when there is one. */
  readonly expected: string | undefined;
  constructor(operation: string, expected: string | undefined, message: string) {
    super(message);
    this.operation = operation;
    this.expected = expected;
  }
}

/**
 * One place where the call's input differs from what the stub expected: a path as in a
 * validation problem (`input.Key.id.S`, `input.Tags[2]`) and what differs there, e.g.
 * `expected "ada", got "bob"` (a sensitive member's values are not shown).
 */
export type ParamDifference = ValidationProblem;

export class StubMismatchError extends StubberError {
  override name = "StubMismatchError";
  readonly operation: string;
  readonly differences: readonly ParamDifference[];
  constructor(operation: string, differences: readonly ParamDifference[]) {
    const count = differences.length === 1 ? "1 difference" : `${differences.length} differences`;
    super(
      `${operation} was called with other parameters than the stub expected (${count}):\n` +
        differences.map((d) => `  - ${d.path}: ${d.message}`).join("\n"),
    );
    this.operation = operation;
    this.differences = differences;
  }
}

export class PendingStubsError extends StubberError {
  override name = "PendingStubsError";
  /** The operations of the stubs never consumed, in queue order. */
  readonly pending: readonly string[];
  constructor(pending: readonly string[]) {
    super(`${pending.length === 1 ? "1 stubbed response was" : `${pending.length} stubbed responses were`} never consumed: ${pending.join(", ")}`);
    this.pending = pending;
  }
}

export class ReplayMismatchError extends StratusError {
  override name = "ReplayMismatchError";
}

/**
 * The one way a fuzz family runs a property: `fc.check` with a fixed seed (so CI is
 * deterministic and a failure replays), counted into a tally that the family and the
 * entry file (fuzz.test.ts) print as `fuzz[<family>]: N cases, 0 failures` and
 * `fuzz: N cases, 0 failures`.
 *
 *   FUZZ_SEED=<int>   replaces the base seed (each property still mixes its own name in,
 *                     so two properties never walk the same sequence)
 *   FUZZ_RUNS=<int>   runs every property that many times instead of its own budget
 *                     (e.g. FUZZ_RUNS=20000 for a long local session)
 *
 * Also here: `outcome`, which runs a parser and sorts what it did into "returned a value"
 * or "threw one of the errors this parser may throw"; anything else (a TypeError, a
 * RangeError from a stack overflow, a raw SyntaxError) fails the property at once.
 */
import { after, describe, test } from "node:test";
import fc from "fast-check";

const DEFAULT_SEED = 0x5eed_2024;

export interface Tally {
  cases: number;
  failures: number;
}

const tallies = new Map<string, Tally>();

function tallyOf(family: string): Tally {
  let tally = tallies.get(family);
  if (!tally) {
    tally = { cases: 0, failures: 0 };
    tallies.set(family, tally);
  }
  return tally;
}

/** Every family's counts so far, in registration order. */
export function allTallies(): ReadonlyMap<string, Readonly<Tally>> {
  return tallies;
}

export function summaryLine(label: string, tally: Readonly<Tally>): string {
  return `${label}: ${tally.cases} cases, ${tally.failures} failures`;
}

function envInteger(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  return value;
}

/** A 32-bit seed per property: the base seed mixed with the property's name (FNV-1a). */
function seedFor(name: string): number {
  let hash = (envInteger("FUZZ_SEED") ?? DEFAULT_SEED) ^ 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return hash | 0;
}

function runsFor(own: number): number {
  return envInteger("FUZZ_RUNS") ?? own;
}

/**
 * One family: a describe block whose tests are its properties and corpus cases, and
 * which prints the family's own count line when they are done.
 */
export function fuzzFamily(family: string, body: (family: FamilyRunner) => void): void {
  const runner = new FamilyRunner(family);
  describe(`fuzz: ${family}`, () => {
    after(() => console.log(summaryLine(`fuzz[${family}]`, tallyOf(family))));
    body(runner);
  });
}

export class FamilyRunner {
  readonly family: string;

  constructor(family: string) {
    this.family = family;
  }

  /** A synchronous property, `runs` cases (FUZZ_RUNS overrides). */
  property<Ts>(name: string, runs: number, property: fc.IProperty<Ts>): void {
    test(name, () => {
      const details = fc.check(property, { seed: seedFor(`${this.family}/${name}`), numRuns: runsFor(runs) });
      this.#record(details);
    });
  }

  /** An asynchronous property (event-stream decoding, calls through a client). */
  asyncProperty<Ts>(name: string, runs: number, property: fc.IAsyncProperty<Ts>): void {
    test(name, async () => {
      const details = await fc.check(property, { seed: seedFor(`${this.family}/${name}`), numRuns: runsFor(runs) });
      this.#record(details);
    });
  }

  /** A fixed hostile input (deep nesting, huge numbers, entity bombs…): one case. */
  corpus(name: string, check: () => void | Promise<void>): void {
    test(`corpus: ${name}`, async () => {
      const tally = tallyOf(this.family);
      tally.cases++;
      try {
        await check();
      } catch (error) {
        tally.failures++;
        throw error;
      }
    });
  }

  #record<Ts>(details: fc.RunDetails<Ts>): void {
    const tally = tallyOf(this.family);
    tally.cases += details.numRuns;
    if (details.failed) {
      tally.failures++;
      throw new Error(fc.defaultReportMessage(details) ?? "property failed", { cause: details.errorInstance });
    }
  }
}

// ---- what a parser did ---------------------------------------------------------------

// Constructors of the typed errors a parser is allowed to throw (abstract-friendly).
export type ErrorClass = abstract new (...args: never[]) => Error;

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: Error };

/**
 * Runs `parse`; a value or an instance of one of `allowed` is an outcome, anything else
 * is a failure of the property, reported with its own name, message and stack.
 */
export function outcome<T>(parse: () => T, allowed: readonly ErrorClass[]): Outcome<T> {
  try {
    return { ok: true, value: parse() };
  } catch (error) {
    return { ok: false, error: typed(error, allowed) };
  }
}

export async function asyncOutcome<T>(parse: () => Promise<T>, allowed: readonly ErrorClass[]): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await parse() };
  } catch (error) {
    return { ok: false, error: typed(error, allowed) };
  }
}

function typed(error: unknown, allowed: readonly ErrorClass[]): Error {
  if (error instanceof Error && allowed.some((kind) => error instanceof kind)) return error;
  const what = error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
  const names = allowed.map((kind) => kind.name).join(" | ");
  throw new Error(`expected a value or ${names}, got ${what}${error instanceof Error && error.stack ? `\n${error.stack}` : ""}`, { cause: error });
}

/**
 * `paginate()`: botocore's PageIterator rebuilt on async iteration. It takes the operation
 * as a plain `send` function, so it knows nothing of clients, and the paginators-1.json
 * entry as data, so one implementation serves every operation of every service.
 *
 * The loop, per page (botocore's order, which decides the corner cases):
 *
 *   1. stop if the signal is aborted (between pages; the signal also goes to `send`)
 *   2. send a fresh copy of the request: the caller's input, the page size under
 *      `limit_key`, the tokens from the previous page (a token that is absent is removed,
 *      so a caller's own marker never lingers after it was replaced)
 *   3. first page after a starting token with an offset: drop the items already returned
 *   4. `maxItems` would be exceeded: yield the page cut short, remember a resume token that
 *      re-requests this page with the offset of the first item not returned, and stop
 *   5. yield the page; read the next tokens; stop when `more_results` is false or every
 *      token is absent (null, "", [], {}); at exactly `maxItems`, the next tokens become the
 *      resume token and the paginator stops
 *   6. a next token equal to the one just sent means the service would return this page
 *      forever: PaginationError rather than an endless loop
 *
 * Differences from botocore, on purpose:
 *   - nothing is mutated: not the caller's input, not the pages `send` returned (a cut page
 *     is a copy with only the objects along the result key's path copied);
 *   - the repeated-token check also covers the first page (botocore starts comparing at the
 *     second), and compares structurally, so map tokens (DynamoDB's LastEvaluatedKey) work;
 *   - a resume token made on a page boundary does not empty the secondary result keys of
 *     the next page (botocore empties them on any resumed first page, losing e.g. S3
 *     CommonPrefixes); they are emptied only when the page was already partly returned;
 *   - `search()` skips pages where the expression finds nothing (botocore yields None);
 *   - `buildFullResult()` returns the resume token beside the result rather than inside it
 *     as `NextToken`, where it would shadow the service's own member of that name.
 *
 * `items()` yields the primary (first) result key's items only: that is the list `maxItems`
 * counts, so `items()` with `maxItems: n` yields exactly n. Secondary keys (S3's
 * CommonPrefixes, DynamoDB's Count) are reachable through `search()` or `buildFullResult()`,
 * which aggregates all of them as botocore does.
 */
import { PaginationError } from "./errors.ts";
import { normalizePaginatorConfig, type CompiledPaginatorConfig, type PaginatorConfig } from "./config.ts";
import {
  compileExpression,
  getPath,
  isFalsy,
  sameValue,
  setPathInPlace,
  withPath,
  type Expression,
} from "./jmespath.ts";
import { decodeResumeToken, encodeResumeToken, type ResumePoint, type TokenMap } from "./token.ts";

export interface SendOptions {
  readonly signal?: AbortSignal | undefined;
}

export interface PaginateOptions {
  /** Items per page, sent as the operation's `limit_key`; PaginationError if it has none. */
  readonly pageSize?: number | undefined;
  /** Stop after this many primary-result items, leaving `resumeToken` to go on from. */
  readonly maxItems?: number | undefined;
  /** A `resumeToken` from an earlier run (or, for one-token operations, a raw service token). */
  readonly startingToken?: string | undefined;
  /** Checked before every page and passed to `send`; aborting rejects with its reason. */
  readonly signal?: AbortSignal | undefined;
}

export interface FullResult<O> {
  /**
   * Every result key aggregated over the pages (lists concatenated, numbers summed, strings
   * joined) plus the non-aggregate keys of the first page. Other members are absent, hence
   * Partial; nested objects on a result key's path hold only those members.
   */
  readonly result: Partial<O>;
  /** Set when `maxItems` stopped the paginator before the last page. */
  readonly resumeToken: string | undefined;
}

/**
 * Pages of an operation. Every iteration (of the pages, `items()`, `search()` or
 * `buildFullResult()`) starts again from the first page and sends requests anew.
 */
export interface Paginator<O, T = unknown> extends AsyncIterable<O> {
  /** The primary result key's items across pages (see the module header). */
  items(): AsyncIterable<T>;
  /** Each page searched with JMESPath; list results are flattened into their elements. */
  search(expression: string): AsyncIterable<unknown>;
  buildFullResult(): Promise<FullResult<O>>;
  /**
   * After an iteration that `maxItems` stopped: the token to pass as `startingToken` to get
   * exactly the items not yet returned. Undefined otherwise (including after a full run).
   */
  readonly resumeToken: string | undefined;
}

function checkCount(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
}

function describeTokens(tokens: TokenMap): string {
  return Object.entries(tokens)
    .map(([key, value]) => `${key}=${JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? `<${v.length} bytes>` : v))}`)
    .join(", ");
}

class PageIterator<I extends object, O extends object, T> implements Paginator<O, T> {
  readonly #send: (input: I, options: SendOptions) => Promise<O>;
  readonly #config: CompiledPaginatorConfig;
  readonly #input: I;
  readonly #options: PaginateOptions;
  #resumeToken: string | undefined;

  constructor(
    send: (input: I, options: SendOptions) => Promise<O>,
    config: CompiledPaginatorConfig,
    input: I,
    options: PaginateOptions,
  ) {
    this.#send = send;
    this.#config = config;
    this.#input = input;
    this.#options = options;
  }

  get resumeToken(): string | undefined {
    return this.#resumeToken;
  }

  #primaryKey(): Expression {
    const primary = this.#config.resultKeys[0];
    if (primary === undefined) throw new PaginationError("this operation's paginator names no result key");
    return primary;
  }

  /** The primary result key's list on a page ([] when absent). */
  #primaryItems(page: unknown): readonly unknown[] {
    const key = this.#primaryKey();
    const value = key.search(page);
    if (value === null) return [];
    if (!Array.isArray(value)) throw new PaginationError(`result key ${key.source} is not a list on this page`);
    return value;
  }

  #settablePath(key: Expression, why: string): readonly string[] {
    if (key.path === undefined) {
      throw new PaginationError(`${why} needs result key "${key.source}" to be a plain member path (like A.B)`);
    }
    return key.path;
  }

  /** Tokens for the next page, or undefined when there is none. */
  #nextTokens(page: O): TokenMap | undefined {
    const { moreResults, outputTokens, inputTokens } = this.#config;
    if (moreResults !== undefined && isFalsy(moreResults.search(page))) return undefined;
    const next: Record<string, unknown> = {};
    let any = false;
    outputTokens.forEach((expression, i) => {
      const value = expression.search(page);
      const present = !isFalsy(value);
      next[inputTokens[i] as string] = present ? value : null;
      any ||= present;
    });
    return any ? next : undefined;
  }

  /** Drops the first `offset` primary items (already returned) and empties the other keys. */
  #skipReturned(page: O, offset: number): O {
    const [primary, ...secondary] = this.#config.resultKeys;
    if (primary === undefined) return page;
    let out = withPath(page, this.#settablePath(primary, "a starting token with an offset"), this.#primaryItems(page).slice(offset));
    // The earlier run returned this page's secondary keys in full with its cut-short copy.
    for (const key of secondary) {
      const sample = key.search(out);
      const empty = Array.isArray(sample) ? [] : typeof sample === "string" ? "" : typeof sample === "number" ? 0 : undefined;
      out = withPath(out, this.#settablePath(key, "a starting token with an offset"), empty);
    }
    return out;
  }

  async *#pages(): AsyncGenerator<O, void, undefined> {
    const { inputTokens, limitKey } = this.#config;
    const { maxItems, pageSize, startingToken, signal } = this.#options;
    this.#resumeToken = undefined;

    const request: Record<string, unknown> = { ...(this.#input as Record<string, unknown>) };
    const inject = (tokens: TokenMap): void => {
      for (const name of inputTokens) {
        const value = tokens[name];
        if (value === null || value === undefined) delete request[name];
        else request[name] = value;
      }
    };
    let offset = 0;
    if (startingToken !== undefined) {
      const start: ResumePoint = decodeResumeToken(startingToken, inputTokens);
      inject(start.tokens);
      offset = start.offset;
    }
    if (pageSize !== undefined && limitKey !== undefined) request[limitKey] = pageSize;

    let total = 0;
    let first = true;
    for (;;) {
      signal?.throwIfAborted();
      const sent: Record<string, unknown> = {};
      for (const name of inputTokens) sent[name] = request[name] ?? null;
      let page: O;
      try {
        page = await this.#send({ ...request } as I, { signal });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        throw error;
      }

      let out = page;
      let skipped = 0;
      if (first) {
        first = false;
        if (offset > 0) {
          out = this.#skipReturned(page, offset);
          skipped = offset;
        }
      }

      if (maxItems !== undefined) {
        const items = this.#primaryItems(out);
        if (total + items.length > maxItems) {
          const keep = maxItems - total;
          const path = this.#settablePath(this.#primaryKey(), "maxItems");
          this.#resumeToken = encodeResumeToken({ tokens: sent, offset: skipped + keep });
          yield withPath(out, path, items.slice(0, keep));
          return;
        }
        total += items.length;
      }
      yield out;

      const next = this.#nextTokens(page);
      if (next === undefined) return;
      if (maxItems !== undefined && total === maxItems) {
        this.#resumeToken = encodeResumeToken({ tokens: next, offset: 0 });
        return;
      }
      if (sameValue(next, sent)) {
        throw new PaginationError(
          `the service returned the same token twice (${describeTokens(next)}); stopping rather than requesting the same page forever`,
        );
      }
      inject(next);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<O> {
    return this.#pages();
  }

  items(): AsyncIterable<T> {
    this.#primaryKey();
    const self = this;
    return {
      async *[Symbol.asyncIterator]() {
        for await (const page of self.#pages()) yield* self.#primaryItems(page) as readonly T[];
      },
    };
  }

  search(expression: string): AsyncIterable<unknown> {
    const compiled = compileExpression(expression);
    const self = this;
    return {
      async *[Symbol.asyncIterator]() {
        for await (const page of self.#pages()) {
          const found = compiled.search(page);
          if (Array.isArray(found)) yield* found;
          else if (found !== null) yield found;
        }
      },
    };
  }

  async buildFullResult(): Promise<FullResult<O>> {
    const keys = this.#config.resultKeys.map((key) => [key, this.#settablePath(key, "buildFullResult")] as const);
    const constant = this.#config.nonAggregateKeys.map((key) => {
      if (key.path === undefined) {
        throw new PaginationError(`buildFullResult needs non-aggregate key "${key.source}" to be a plain member path (like A.B)`);
      }
      return [key, key.path] as const;
    });
    const result: Record<string, unknown> = {};
    // Botocore takes the non-aggregate members from the first page; they are the same on all.
    let firstPageValues: Array<readonly [readonly string[], unknown]> | undefined;
    for await (const page of this.#pages()) {
      firstPageValues ??= constant.map(([key, path]) => [path, key.search(page)] as const);
      for (const [key, path] of keys) {
        const value = key.search(page);
        if (value === null) continue;
        const existing = getPath(result, path);
        if (existing === undefined || existing === null) {
          // A copy: later pages are appended to it, and the page's own list stays as it was.
          setPathInPlace(result, path, Array.isArray(value) ? [...value] : value);
        } else if (Array.isArray(existing) && Array.isArray(value)) {
          for (const element of value) existing.push(element); // no spread: pages can be long
        } else if (typeof existing === "number" && typeof value === "number") {
          setPathInPlace(result, path, existing + value);
        } else if (typeof existing === "string" && typeof value === "string") {
          setPathInPlace(result, path, existing + value);
        }
      }
    }
    for (const [path, value] of firstPageValues ?? []) {
      if (value !== null && value !== undefined) setPathInPlace(result, path, value);
    }
    return { result: result as Partial<O>, resumeToken: this.#resumeToken };
  }
}

/**
 * Pages of `send` for the paginators-1.json entry `config`, starting from `input` (which is
 * copied, never changed). Nothing is sent until the result is iterated. Throws at once
 * (PaginationError, RangeError, JmesPathError) for a config or options that cannot work.
 */
export function paginate<I extends object, O extends object, T = unknown>(
  send: (input: I, options: SendOptions) => Promise<O>,
  config: PaginatorConfig,
  input: I,
  options: PaginateOptions = {},
): Paginator<O, T> {
  const compiled = normalizePaginatorConfig(config);
  checkCount("pageSize", options.pageSize);
  checkCount("maxItems", options.maxItems);
  if (options.pageSize !== undefined && compiled.limitKey === undefined) {
    throw new PaginationError("pageSize is not supported: this operation's paginator has no limit key");
  }
  if (options.maxItems !== undefined) {
    const primary = compiled.resultKeys[0];
    if (primary === undefined) throw new PaginationError("maxItems needs a result key, and this paginator names none");
    if (primary.path === undefined) {
      throw new PaginationError(`maxItems needs result key "${primary.source}" to be a plain member path (like A.B)`);
    }
  }
  if (options.startingToken !== undefined) decodeResumeToken(options.startingToken, compiled.inputTokens);
  // A copy, so options changed after this call cannot bypass the checks above.
  return new PageIterator<I, O, T>(send, compiled, input, { ...options });
}

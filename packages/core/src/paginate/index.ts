/**
 * Pagination: one generic paginator driven by botocore's paginators-1.json entries.
 *
 *   config.ts      the entry's shape (botocore's key names) and its compiled form
 *   paginator.ts   paginate(): pages, items, search, full result, resume tokens
 *   token.ts       the resume-token format (botocore's base64 JSON)
 *   jmespath.ts    the wrapper around the `jmespath` package, shared with ../wait
 *   errors.ts      PaginationError
 */
export { paginate, type FullResult, type PaginateOptions, type Paginator, type SendOptions } from "./paginator.ts";
export type { PaginatorConfig } from "./config.ts";
export { PaginationError } from "./errors.ts";
export { JmesPathError } from "./jmespath.ts";

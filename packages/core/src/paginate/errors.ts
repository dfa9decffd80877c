/**
 * Errors of the paginator itself (a service's own errors pass through unchanged). Misuse
 * that can be seen before any request (a page size for an operation with no limit key, a
 * bad starting token) is reported here too, so one `instanceof` covers "pagination could
 * not go on", whether the cause is the caller's options or a service that misbehaves.
 */
import { StratusError } from "../errors/index.ts";

export class PaginationError extends StratusError {
  override name = "PaginationError";
}

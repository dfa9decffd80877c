/**
 * The one error flexible checksums raise on their own: the bytes received do not match the
 * checksum the service sent with them. It is thrown where the data would otherwise be
 * handed over as good: from a streamed body's iterator (in place of its last chunk) or its
 * `bytes()`/`text()`, and from the call itself for a buffered response.
 */
import { StratusError } from "../errors/index.ts";
import type { ChecksumAlgorithm } from "../schema/types.ts";

export class ChecksumMismatchError extends StratusError {
  override name = "ChecksumMismatchError";
  readonly algorithm: ChecksumAlgorithm;
  /** The base64 value the response carried. */
  readonly expected: string;
  /** The base64 value of the bytes that arrived. */
  readonly actual: string;
  constructor(algorithm: ChecksumAlgorithm, expected: string, actual: string) {
    super(
      `the response body failed its ${algorithm} checksum: the service sent ${expected}, the bytes received give ${actual}; ` +
        "the data is corrupt or incomplete and must not be used",
    );
    this.algorithm = algorithm;
    this.expected = expected;
    this.actual = actual;
  }
}

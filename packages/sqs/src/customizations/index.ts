/** SQS's hand-written additions, re-exported from the package's entry point. */
export { MessageChecksumError, type MessageChecksumMismatch, type MessageDigest } from "./checksum-error.ts";

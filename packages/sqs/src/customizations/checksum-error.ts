/**
 * What the MD5 checks (verify-md5.ts) throw when a digest SQS returned does not match what
 * was sent or received: the message was corrupted on the way, and the call's result is
 * not handed over. The message names the operation, the message (and batch entry) and the
 * digest, never the body or attribute values.
 */
import { StratusError } from "@stratus/core";

/** The digest member that did not match. */
export type MessageDigest = "MD5OfMessageBody" | "MD5OfBody" | "MD5OfMessageAttributes" | "MD5OfMessageSystemAttributes";

export interface MessageChecksumMismatch {
  readonly operation: "SendMessage" | "SendMessageBatch" | "ReceiveMessage";
  readonly digest: MessageDigest;
  readonly messageId: string | undefined;
  /** The batch entry's `Id` (SendMessageBatch). */
  readonly entryId?: string | undefined;
  /** The digest SQS returned. */
  readonly received: string;
  /** The digest of what was sent (SendMessage, SendMessageBatch) or received (ReceiveMessage). */
  readonly computed: string;
}

export class MessageChecksumError extends StratusError {
  override name = "MessageChecksumError";
  readonly operation: MessageChecksumMismatch["operation"];
  readonly digest: MessageDigest;
  readonly messageId: string | undefined;
  readonly entryId: string | undefined;
  readonly received: string;
  readonly computed: string;

  constructor(mismatch: MessageChecksumMismatch) {
    const which = [
      mismatch.entryId === undefined ? undefined : `batch entry ${mismatch.entryId}`,
      mismatch.messageId === undefined ? undefined : `message ${mismatch.messageId}`,
    ].filter((part) => part !== undefined);
    const subject = mismatch.operation === "ReceiveMessage" ? "the message received" : "the message sent";
    super(
      `${mismatch.operation}: ${mismatch.digest} does not match ${subject}` +
        `${which.length > 0 ? ` (${which.join(", ")})` : ""}: SQS returned ${mismatch.received}, ` +
        `the client computed ${mismatch.computed}; the message was corrupted on the way and is not returned as good`,
    );
    this.operation = mismatch.operation;
    this.digest = mismatch.digest;
    this.messageId = mismatch.messageId;
    this.entryId = mismatch.entryId;
    this.received = mismatch.received;
    this.computed = mismatch.computed;
  }
}

/**
 * SQS's end-to-end integrity check, as the Java SDK and the v3 SDK's middleware-sdk-sqs do
 * it: SQS returns the MD5 of every message it stored or hands out, and the client compares
 * it with its own digest of the same data (message-md5.ts for the encodings).
 *
 *   SendMessage        MD5OfMessageBody              ↔ the body sent (context.input)
 *                      MD5OfMessageAttributes        ↔ the attributes sent, if any
 *                      MD5OfMessageSystemAttributes  ↔ the system attributes sent, if any
 *   SendMessageBatch   the same three, for each Successful entry ↔ the request entry of
 *                      the same Id
 *   ReceiveMessage     MD5OfBody                     ↔ each message's Body
 *                      MD5OfMessageAttributes        ↔ its MessageAttributes, when returned
 *
 * A digest the response does not carry is not checked (what is stored is then not known to
 * be wrong). A mismatch throws MessageChecksumError from the call: the output is never
 * handed over as good. For a receive, the messages stay in the queue and come back after
 * their visibility timeout.
 */
import type { HookContext } from "@stratus/core";
import { MessageChecksumError, type MessageChecksumMismatch, type MessageDigest } from "./checksum-error.ts";
import { md5OfAttributes, md5OfBody, type AttributeValue } from "./message-md5.ts";

/** A structure of the input or output, before its members are checked. */
type Fields = Readonly<Record<string, unknown>>;

/** afterParse for SendMessage. */
export function verifySendMessage(output: Record<string, unknown>, context: HookContext): void {
  if (context.operation.name !== "SendMessage") return;
  verifySent(output, context.input, { operation: "SendMessage", messageId: text(output["MessageId"]) });
}

/** afterParse for SendMessageBatch: each successful entry against the request entry it answers. */
export function verifySendMessageBatch(output: Record<string, unknown>, context: HookContext): void {
  if (context.operation.name !== "SendMessageBatch") return;
  const sent = new Map<string, Fields>();
  for (const entry of records(context.input["Entries"])) {
    const id = text(entry["Id"]);
    if (id !== undefined) sent.set(id, entry);
  }
  for (const result of records(output["Successful"])) {
    const entryId = text(result["Id"]);
    const entry = entryId === undefined ? undefined : sent.get(entryId);
    if (entry === undefined) continue;
    verifySent(result, entry, { operation: "SendMessageBatch", messageId: text(result["MessageId"]), entryId });
  }
}

/** afterParse for ReceiveMessage: each message against its own body and attributes. */
export function verifyReceiveMessage(output: Record<string, unknown>, context: HookContext): void {
  if (context.operation.name !== "ReceiveMessage") return;
  for (const message of records(output["Messages"])) {
    const where = { operation: "ReceiveMessage", messageId: text(message["MessageId"]) } as const;
    const body = text(message["Body"]);
    if (body !== undefined) compare(text(message["MD5OfBody"]), () => md5OfBody(body), "MD5OfBody", where);
    const attributes = attributeMap(message["MessageAttributes"]);
    if (attributes !== undefined) compare(text(message["MD5OfMessageAttributes"]), () => md5OfAttributes(attributes), "MD5OfMessageAttributes", where);
  }
}

/** One sent message (SendMessage's input, or a batch entry) against the digests SQS returned for it. */
function verifySent(result: Fields, sent: Fields, where: Where): void {
  const body = text(sent["MessageBody"]);
  if (body !== undefined) compare(text(result["MD5OfMessageBody"]), () => md5OfBody(body), "MD5OfMessageBody", where);
  const attributes = attributeMap(sent["MessageAttributes"]);
  if (attributes !== undefined) compare(text(result["MD5OfMessageAttributes"]), () => md5OfAttributes(attributes), "MD5OfMessageAttributes", where);
  const system = attributeMap(sent["MessageSystemAttributes"]);
  if (system !== undefined) compare(text(result["MD5OfMessageSystemAttributes"]), () => md5OfAttributes(system), "MD5OfMessageSystemAttributes", where);
}

type Where = Pick<MessageChecksumMismatch, "operation" | "messageId" | "entryId">;

function compare(received: string | undefined, compute: () => string, digest: MessageDigest, where: Where): void {
  if (received === undefined) return;
  const computed = compute();
  if (received.toLowerCase() !== computed) throw new MessageChecksumError({ ...where, digest, received, computed });
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function records(value: unknown): Fields[] {
  return Array.isArray(value) ? value.filter((item): item is Fields => item !== null && typeof item === "object") : [];
}

/** A non-empty map of attributes, or undefined (nothing sent or returned: nothing to check). */
function attributeMap(value: unknown): Readonly<Record<string, AttributeValue>> | undefined {
  if (value === null || typeof value !== "object" || Object.keys(value).length === 0) return undefined;
  return value as Readonly<Record<string, AttributeValue>>;
}

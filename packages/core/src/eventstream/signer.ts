/**
 * SigV4 for input event streams (the scheme Transcribe streaming and Bedrock's
 * bidirectional stream use): every frame the client sends is wrapped in an envelope frame
 * whose payload is the original frame and whose headers are
 *
 *   :date             timestamp   when this envelope was signed
 *   :chunk-signature  bytes       the signature below
 *
 * and the signatures form a chain that starts at the HTTP request's own signature (the
 * "seed"), so frames cannot be dropped, reordered or replayed:
 *
 *   string to sign = "AWS4-HMAC-SHA256-PAYLOAD"   \n
 *                    amz date (YYYYMMDDTHHMMSSZ)   \n
 *                    credential scope              \n
 *                    previous signature (hex)      \n
 *                    hex SHA-256 of the encoded :date header \n
 *                    hex SHA-256 of the payload
 *   signature      = hex HMAC-SHA256(signing key, string to sign)
 *
 * The stream ends with one more envelope around an empty payload, which tells the service
 * that the client is done.
 *
 * Status: the codec and this signer are complete and tested on their own; the pipeline
 * does not yet send input event streams (it needs streaming HTTP/2 request bodies, and no
 * operation of the services generated here other than Bedrock's bidirectional stream has
 * one), so a caller wires them up by hand for now.
 */
import type { CredentialIdentity } from "../credentials/credentials.ts";
import { hashes } from "../signing/hash.ts";
import { hmacHex, signingKey } from "../signing/signing-key.ts";
import { encodeHeaders, type MessageHeaders } from "./headers.ts";
import { encodeMessage } from "./message.ts";

const PAYLOAD_ALGORITHM = "AWS4-HMAC-SHA256-PAYLOAD";

export interface EventSigningParams {
  readonly credentials: CredentialIdentity;
  readonly region: string;
  /** The signing name (e.g. "bedrock", "transcribe"). */
  readonly service: string;
  /** The signature (hex) of the HTTP request that opened the stream. */
  readonly seedSignature: string;
  /** The clock for each envelope's `:date` (default: the current time). */
  readonly now?: (() => Date) | undefined;
}

/** Each frame wrapped in a signed envelope, then the signed empty end frame. */
export async function* signEventStream(
  frames: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  params: EventSigningParams,
): AsyncGenerator<Uint8Array, void, undefined> {
  const now = params.now ?? (() => new Date());
  let prior = params.seedSignature;
  for await (const frame of frames) {
    const signed = signFrame(frame, prior, now(), params);
    prior = signed.signature;
    yield signed.envelope;
  }
  yield signFrame(new Uint8Array(0), prior, now(), params).envelope;
}

/** One envelope around `payload`, chained to `prior`. */
export function signFrame(
  payload: Uint8Array,
  prior: string,
  date: Date,
  params: Pick<EventSigningParams, "credentials" | "region" | "service">,
): { readonly envelope: Uint8Array; readonly signature: string } {
  const amzDate = date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${params.region}/${params.service}/aws4_request`;
  const dateHeader: MessageHeaders = { ":date": { type: "timestamp", value: date } };
  const stringToSign = [PAYLOAD_ALGORITHM, amzDate, scope, prior, sha256Hex(encodeHeaders(dateHeader)), sha256Hex(payload)].join("\n");
  const key = signingKey(params.credentials.secretAccessKey, day, params.region, params.service);
  const signature = hmacHex(key, stringToSign);
  const envelope = encodeMessage({
    headers: { ...dateHeader, ":chunk-signature": { type: "binary", value: Buffer.from(signature, "hex") } },
    body: payload,
  });
  return { envelope, signature };
}

function sha256Hex(data: Uint8Array): string {
  return hashes.sha256Hex(data);
}

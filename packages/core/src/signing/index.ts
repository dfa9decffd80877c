/**
 * The signing module's public face: SigV4 for headers and for presigned URLs, the types
 * that describe a signing call, and the few building blocks other layers reuse (the
 * RFC 3986 encoder, the payload hash, the key cache controls), and the streaming mode
 * for bodies read once (aws-chunked.ts: unsigned payload, trailing checksum). Internal
 * steps stay in their files.
 */
export {
  ALGORITHM,
  MAX_PRESIGN_EXPIRY,
  presignRequest,
  signRequest,
  SigningError,
  UNSIGNED_PAYLOAD,
} from "./sigv4.ts";
export type { PresignedRequest, PresignParams, SignedRequest, SigningParams } from "./sigv4.ts";
export { EMPTY_PAYLOAD_HASH, hashPayload, UNSIGNABLE_HEADERS } from "./canonical.ts";
export { clearSigningKeyCache, signingKeyCacheStats } from "./signing-key.ts";
export { uriEscape, uriEscapePath } from "./uri-encode.ts";
export {
  applyAwsChunked,
  awsChunkedLength,
  DEFAULT_AWS_CHUNK_SIZE,
  encodeAwsChunked,
  STREAMING_UNSIGNED_PAYLOAD_TRAILER,
  type ChunkTrailer,
} from "./aws-chunked.ts";

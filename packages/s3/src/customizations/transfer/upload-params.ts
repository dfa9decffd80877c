/**
 * What `upload()` takes (PutObject's input) and which of its fields each multipart request
 * carries. The lists are typed against the generated request shapes, so a field that one
 * of them lacks does not compile.
 *
 *   CreateMultipartUpload    the object's attributes: type, metadata, ACL, encryption, tags, lock…
 *   UploadPart               the part's bytes (+ checksum), and what S3 needs on every part:
 *                            the SSE-C key, RequestPayer, ExpectedBucketOwner
 *   CompleteMultipartUpload  the parts, the conditions (IfMatch / IfNoneMatch), the SSE-C key
 *   AbortMultipartUpload     RequestPayer, ExpectedBucketOwner
 *
 * Fields that describe the whole body in one request (ContentMD5, a precomputed
 * Checksum<Algorithm> value, WriteOffsetBytes) cannot be split over parts and are not
 * accepted: upload() computes per-part checksums itself when given ChecksumAlgorithm.
 */
import type { RequestBodyInput } from "@stratus/core";
import type {
  AbortMultipartUploadRequest,
  CompleteMultipartUploadOutput,
  CompleteMultipartUploadRequest,
  CreateMultipartUploadRequest,
  PutObjectRequest,
  UploadPartRequest,
} from "../../generated/types.ts";

/** The Checksum<Algorithm> members S3 shapes carry, value fields of one algorithm each. */
export type ChecksumField =
  | "ChecksumCRC32"
  | "ChecksumCRC32C"
  | "ChecksumCRC64NVME"
  | "ChecksumSHA1"
  | "ChecksumSHA256"
  | "ChecksumSHA512"
  | "ChecksumMD5"
  | "ChecksumXXHASH64"
  | "ChecksumXXHASH3"
  | "ChecksumXXHASH128";

/** PutObject fields that only make sense for the whole body in one request. */
export const WHOLE_BODY_FIELDS = [
  "ContentMD5",
  "WriteOffsetBytes",
  "ChecksumCRC32",
  "ChecksumCRC32C",
  "ChecksumCRC64NVME",
  "ChecksumSHA1",
  "ChecksumSHA256",
  "ChecksumSHA512",
  "ChecksumMD5",
  "ChecksumXXHASH64",
  "ChecksumXXHASH3",
  "ChecksumXXHASH128",
] as const satisfies readonly (keyof PutObjectRequest)[];

type WholeBodyField = (typeof WHOLE_BODY_FIELDS)[number];

/**
 * PutObject's input, where Body is anything the core accepts (string, bytes, Blob, Node
 * Readable, web ReadableStream, async iterable of bytes, RequestBody) and ContentLength,
 * when given, is the body's length (it lets a stream of known size get the right part
 * size).
 */
export type UploadParams = Omit<PutObjectRequest, "Body" | WholeBodyField> & { Body: RequestBodyInput };

/** What upload() resolves to, whichever way the object went. */
export interface UploadResult
  extends Pick<
    CompleteMultipartUploadOutput,
    | "ETag"
    | "VersionId"
    | "Location"
    | "Expiration"
    | "ServerSideEncryption"
    | "SSEKMSKeyId"
    | "BucketKeyEnabled"
    | "RequestCharged"
    | "ChecksumType"
    | ChecksumField
  > {
  readonly Bucket: string;
  readonly Key: string;
  /** Parts of the multipart upload; 0 when the object went as one PutObject. */
  readonly parts: number;
}

const CREATE_FIELDS = [
  "ACL",
  "Bucket",
  "CacheControl",
  "ContentDisposition",
  "ContentEncoding",
  "ContentLanguage",
  "ContentType",
  "Expires",
  "GrantFullControl",
  "GrantRead",
  "GrantReadACP",
  "GrantWriteACP",
  "Key",
  "Metadata",
  "ServerSideEncryption",
  "StorageClass",
  "WebsiteRedirectLocation",
  "SSECustomerAlgorithm",
  "SSECustomerKey",
  "SSECustomerKeyMD5",
  "SSEKMSKeyId",
  "SSEKMSEncryptionContext",
  "BucketKeyEnabled",
  "RequestPayer",
  "Tagging",
  "ObjectLockMode",
  "ObjectLockRetainUntilDate",
  "ObjectLockLegalHoldStatus",
  "ExpectedBucketOwner",
  "ChecksumAlgorithm",
] as const satisfies readonly (keyof CreateMultipartUploadRequest & keyof UploadParams)[];

const PART_FIELDS = [
  "Bucket",
  "Key",
  "SSECustomerAlgorithm",
  "SSECustomerKey",
  "SSECustomerKeyMD5",
  "RequestPayer",
  "ExpectedBucketOwner",
  "ChecksumAlgorithm",
] as const satisfies readonly (keyof UploadPartRequest & keyof UploadParams)[];

const COMPLETE_FIELDS = [
  "Bucket",
  "Key",
  "RequestPayer",
  "ExpectedBucketOwner",
  "IfMatch",
  "IfNoneMatch",
  "SSECustomerAlgorithm",
  "SSECustomerKey",
  "SSECustomerKeyMD5",
] as const satisfies readonly (keyof CompleteMultipartUploadRequest & keyof UploadParams)[];

const ABORT_FIELDS = ["Bucket", "Key", "RequestPayer", "ExpectedBucketOwner"] as const satisfies readonly (keyof AbortMultipartUploadRequest &
  keyof UploadParams)[];

function pick<K extends keyof UploadParams>(params: UploadParams, fields: readonly K[]): Pick<UploadParams, K> {
  const out: Partial<Pick<UploadParams, K>> = {};
  for (const field of fields) if (params[field] !== undefined) out[field] = params[field];
  return out as Pick<UploadParams, K>;
}

export function createInput(params: UploadParams): CreateMultipartUploadRequest {
  return pick(params, CREATE_FIELDS);
}

/** The fields every UploadPart repeats (bytes, number and upload id are added per part). */
export function partInput(params: UploadParams): Pick<UploadPartRequest, (typeof PART_FIELDS)[number]> {
  return pick(params, PART_FIELDS);
}

export function completeInput(params: UploadParams): Pick<CompleteMultipartUploadRequest, (typeof COMPLETE_FIELDS)[number]> {
  return pick(params, COMPLETE_FIELDS);
}

export function abortInput(params: UploadParams): Pick<AbortMultipartUploadRequest, (typeof ABORT_FIELDS)[number]> {
  return pick(params, ABORT_FIELDS);
}

/** PutObject's input for a body that goes in one request. */
export function putInput(params: UploadParams, body: Uint8Array | Blob): PutObjectRequest {
  const { ContentLength: _length, Body: _body, ...rest } = params;
  return { ...rest, Body: body };
}

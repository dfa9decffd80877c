/**
 * Presigned S3 URLs for the calls people hand to someone without credentials: a browser
 * downloading or uploading an object, a multipart upload whose parts a browser sends.
 * Each helper is `s3.presign` (the core's, for any operation) with the operation's typed
 * input; inputs of uploads leave out `Body`, which whoever uses the URL sends.
 *
 *   const { url, method, headers } = await presign.putObject(s3, { Bucket, Key, ContentType: "image/png" });
 *   await fetch(url, { method, headers, body: file });   // in the browser
 *
 * Every header in `headers` was signed (ContentType above, ContentLength to cap an upload's
 * size, x-amz-meta-*, SSE-C keys…) and must be sent with exactly that value. The payload is
 * UNSIGNED-PAYLOAD, so the URL does not fix the bytes: give ChecksumSHA256 (or another
 * checksum value) or ContentMD5 to have S3 check them. A multipart upload is started and
 * completed with credentials (`createMultipartUpload`, `completeMultipartUpload`); only its
 * parts travel through presigned URLs, each answer's ETag collected for the completion.
 */
import type { PresignedHttpRequest, PresignOptions } from "@stratus/core";
import type { S3 } from "../generated/client.ts";
import * as S from "../generated/schema.ts";
import type { DeleteObjectRequest, GetObjectRequest, HeadObjectRequest, PutObjectRequest, UploadPartRequest } from "../generated/types.ts";

export const presign = {
  /** A GET of the object (ResponseContentDisposition and the other Response* members shape the answer). */
  getObject(s3: S3, input: GetObjectRequest, options?: PresignOptions): Promise<PresignedHttpRequest> {
    return s3.presign(S.GetObject, input, options);
  },
  /** A HEAD of the object: its metadata without its bytes. */
  headObject(s3: S3, input: HeadObjectRequest, options?: PresignOptions): Promise<PresignedHttpRequest> {
    return s3.presign(S.HeadObject, input, options);
  },
  /** A PUT of a whole object; the URL's user sends the body. */
  putObject(s3: S3, input: Omit<PutObjectRequest, "Body">, options?: PresignOptions): Promise<PresignedHttpRequest> {
    return s3.presign(S.PutObject, input, options);
  },
  /** A DELETE of the object (or of one version). */
  deleteObject(s3: S3, input: DeleteObjectRequest, options?: PresignOptions): Promise<PresignedHttpRequest> {
    return s3.presign(S.DeleteObject, input, options);
  },
  /** A PUT of one part of a multipart upload; the URL's user sends the part and keeps the answer's ETag. */
  uploadPart(s3: S3, input: Omit<UploadPartRequest, "Body">, options?: PresignOptions): Promise<PresignedHttpRequest> {
    return s3.presign(S.UploadPart, input, options);
  },
};

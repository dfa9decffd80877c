/** S3's hand-written additions, re-exported from the package's entry point. */
export { EXPECT_CONTINUE_THRESHOLD_BYTES } from "./expect-continue.ts";
export * from "./transfer/index.ts";
export { presign } from "./presign.ts";

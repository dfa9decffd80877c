// S3's quirks (packages/s3/src/customizations/): a 200 whose body is an error, failed and
// retried as a 500; GetBucketLocation's bare <LocationConstraint> root; and the
// x-amz-bucket-region redirect, sent once more signed for the bucket's region. s3rver
// produces none of them (it answers GetBucketLocation with the empty us-east-1 element,
// checked too), so a loopback fake plays S3 for the rest.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { ServiceError } from "@stratus/core";
import { S3 } from "../../packages/s3/src/index.ts";
import { startLoopbackServer, type LoopbackServer, type ReceivedRequest } from "../../packages/core/test/support/loopback-server.ts";
import { startS3rver, type RunningServer } from "../../scripts/local-servers.ts";
import { s3rverClient } from "../support/s3rver-client.ts";

const CREDENTIALS = { accessKeyId: "AKIDQUIRKS", secretAccessKey: "quirks-secret" };
const XML = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

function errorDocument(code: string, message: string, extra = ""): string {
  return `${XML}<Error><Code>${code}</Code><Message>${message}</Message>${extra}<RequestId>REQ123</RequestId><HostId>host-id</HostId></Error>`;
}

function answer(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/xml", ...headers });
  res.end(body);
}

/** The region of a SigV4 Authorization header's credential scope. */
function signedRegion(request: ReceivedRequest): string | undefined {
  return /Credential=[^/]+\/\d{8}\/([^/]+)\/s3\/aws4_request/.exec(String(request.headers["authorization"]))?.[1];
}

/** A fake S3 whose answers the test queues: each request takes the next one (the last one repeats). */
class FakeS3 {
  readonly answers: Array<(req: ReceivedRequest, res: ServerResponse) => void> = [];
  server!: LoopbackServer;

  async start(): Promise<void> {
    this.server = await startLoopbackServer((req, res) => {
      const next = this.answers.length > 1 ? this.answers.shift() : this.answers[0];
      if (!next) throw new Error(`no answer queued for ${req.method} ${req.url}`);
      next(req, res);
    });
  }

  /** Forgets what was received and queued. */
  reset(...answers: Array<(req: ReceivedRequest, res: ServerResponse) => void>): void {
    this.server.requests.length = 0;
    this.answers.splice(0, this.answers.length, ...answers);
  }

  client(extra: ConstructorParameters<typeof S3>[0] = {}): S3 {
    return new S3({
      region: "us-east-1",
      endpoint: this.server.url,
      credentials: CREDENTIALS,
      endpointParams: { ForcePathStyle: true },
      requestChecksumCalculation: "when_required",
      env: {},
      ...extra,
    });
  }
}

describe("S3 quirks against a loopback fake", () => {
  const fake = new FakeS3();
  let s3: S3;

  before(async () => {
    await fake.start();
    s3 = fake.client();
  });
  after(async () => {
    await s3.destroy();
    await fake.server.close();
  });

  describe("200 with an error document", () => {
    const copied = `${XML}<CopyObjectResult ${NS}><ETag>"etag-1"</ETag><LastModified>2025-01-02T03:04:05.000Z</LastModified></CopyObjectResult>`;

    it("CopyObject: an <Error> after S3's whitespace padding is a 500, retried; the copy result after it is returned", async () => {
      fake.reset(
        (_req, res) => answer(res, 200, `${XML}\n   \n${errorDocument("InternalError", "We encountered an internal error. Please try again.")}`),
        (_req, res) => answer(res, 200, copied),
      );
      const out = await s3.copyObject({ Bucket: "bucket", Key: "copy", CopySource: "bucket/source" });
      assert.equal(out.CopyObjectResult?.ETag, '"etag-1"');
      assert.equal(out.$metadata.attempts, 2);
      assert.equal(fake.server.requests.length, 2);
    });

    it("CopyObject: an error document on every attempt ends as the ServiceError it names, after the retries", async () => {
      fake.reset((_req, res) => answer(res, 200, errorDocument("SlowDown", "Please reduce your request rate.")));
      const error = await s3.copyObject({ Bucket: "bucket", Key: "copy", CopySource: "bucket/source" }).then(
        () => assert.fail("expected a ServiceError"),
        (thrown: unknown) => thrown,
      );
      assert.ok(error instanceof ServiceError);
      assert.equal(error.code, "SlowDown");
      assert.equal(error.message, "Please reduce your request rate.");
      assert.equal(error.$fault, "server");
      assert.equal(error.$metadata.requestId, "REQ123");
      assert.equal(error.$metadata.attempts, 3);
      assert.equal(fake.server.requests.length, 3);
    });

    it("UploadPartCopy: the same", async () => {
      fake.reset(
        (_req, res) => answer(res, 200, errorDocument("InternalError", "retry me")),
        (_req, res) => answer(res, 200, `${XML}<CopyPartResult ${NS}><ETag>"part-1"</ETag><LastModified>2025-01-02T03:04:05.000Z</LastModified></CopyPartResult>`),
      );
      const out = await s3.uploadPartCopy({ Bucket: "bucket", Key: "big", UploadId: "upload-1", PartNumber: 1, CopySource: "bucket/source" });
      assert.equal(out.CopyPartResult?.ETag, '"part-1"');
      assert.equal(out.$metadata.attempts, 2);
    });

    it("CompleteMultipartUpload: an empty (whitespace-only) or cut-short body is a failure too, retried", async () => {
      const completed = `${XML}<CompleteMultipartUploadResult ${NS}><Location>http://bucket/big</Location><Bucket>bucket</Bucket><Key>big</Key><ETag>"whole-2"</ETag></CompleteMultipartUploadResult>`;
      fake.reset(
        (_req, res) => answer(res, 200, "\n  \n  "),
        (_req, res) => answer(res, 200, completed.slice(0, completed.length - 40)),
        (_req, res) => answer(res, 200, completed),
      );
      const input = { Bucket: "bucket", Key: "big", UploadId: "upload-1", MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"part-1"' }] } };
      const out = await s3.completeMultipartUpload(input);
      assert.equal(out.ETag, '"whole-2"');
      assert.equal(out.$metadata.attempts, 3);
      // The same request each time: the parts list went out three times unchanged.
      const bodies = fake.server.requests.map((request) => request.body);
      assert.equal(new Set(bodies).size, 1);
      assert.match(bodies[0] ?? "", /<PartNumber>1<\/PartNumber>/);
    });

    it("any operation whose output is a document: an <Error> in a 200 fails it", async () => {
      fake.reset((_req, res) => answer(res, 200, errorDocument("AccessDenied", "Access Denied")));
      await assert.rejects(s3.listObjectsV2({ Bucket: "bucket" }), (error: unknown) => error instanceof ServiceError && error.code === "AccessDenied");
    });

    it("a body that is not XML is a broken answer: retried", async () => {
      fake.reset(
        (_req, res) => answer(res, 200, "<html>proxy error", { etag: '"put-1"' }),
        (_req, res) => answer(res, 200, "", { etag: '"put-2"' }),
      );
      const out = await s3.putObject({ Bucket: "bucket", Key: "k", Body: "x" });
      assert.equal(out.ETag, '"put-2"');
      assert.equal(out.$metadata.attempts, 2);
    });

    it("left alone: an empty 200 where the output is all headers, an object whose content is an <Error>", async () => {
      fake.reset((_req, res) => answer(res, 200, "", { etag: '"put-1"' }));
      assert.equal((await s3.putObject({ Bucket: "bucket", Key: "k", Body: "x" })).ETag, '"put-1"');
      const content = errorDocument("NotAnError", "this object stores an error document");
      fake.reset((_req, res) => answer(res, 200, content));
      const object = await s3.getObject({ Bucket: "bucket", Key: "error.xml" });
      assert.equal(await object.Body?.text(), content);
      assert.equal(object.$metadata.attempts, 1);
    });
  });

  describe("GetBucketLocation", () => {
    it("reads the bare <LocationConstraint> root; the empty one (us-east-1) leaves it absent", async () => {
      fake.reset((_req, res) => answer(res, 200, `${XML}<LocationConstraint ${NS}>eu-west-2</LocationConstraint>`));
      assert.equal((await s3.getBucketLocation({ Bucket: "bucket" })).LocationConstraint, "eu-west-2");
      assert.match(fake.server.requests[0]?.url ?? "", /^\/bucket\?location/);

      fake.reset((_req, res) => answer(res, 200, `${XML}<LocationConstraint ${NS}>EU</LocationConstraint>`));
      assert.equal((await s3.getBucketLocation({ Bucket: "bucket" })).LocationConstraint, "EU", "legacy values as S3 sends them");

      for (const empty of [`${XML}<LocationConstraint ${NS}/>`, `${XML}<LocationConstraint ${NS}></LocationConstraint>`]) {
        fake.reset((_req, res) => answer(res, 200, empty));
        const out = await s3.getBucketLocation({ Bucket: "bucket" });
        assert.equal(out.LocationConstraint, undefined);
        assert.equal("LocationConstraint" in out, false);
      }
    });
  });

  describe("x-amz-bucket-region redirects", () => {
    const BUCKET_REGION = "eu-central-1";

    /** S3 for a bucket in eu-central-1: a request signed for any other region is refused with `wrong`. */
    function bucketIn(region: string, wrong: (res: ServerResponse, signed: string | undefined) => void, right: (res: ServerResponse) => void) {
      return (req: ReceivedRequest, res: ServerResponse): void => {
        const signed = signedRegion(req);
        if (signed === region) right(res);
        else wrong(res, signed);
      };
    }
    const permanentRedirect = (res: ServerResponse): void =>
      answer(res, 301, errorDocument("PermanentRedirect", "The bucket you are attempting to access must be addressed using the specified endpoint.", "<Bucket>bucket</Bucket>"), {
        "x-amz-bucket-region": BUCKET_REGION,
      });

    it("a 301 PermanentRedirect is sent once more, signed for the bucket's region", async () => {
      fake.reset(bucketIn(BUCKET_REGION, permanentRedirect, (res) => answer(res, 200, "object in eu-central-1")));
      const out = await s3.getObject({ Bucket: "bucket", Key: "k" });
      assert.equal(await out.Body?.text(), "object in eu-central-1");
      assert.deepEqual(fake.server.requests.map(signedRegion), ["us-east-1", BUCKET_REGION]);
      assert.equal(out.$metadata.attempts, 2);
      assert.equal(out.$metadata.totalRetryDelay, 0, "no backoff before a redirect");
    });

    it("outside the retry strategy: redirected even with maxAttempts 1", async () => {
      const once = fake.client({ maxAttempts: 1 });
      try {
        fake.reset(bucketIn(BUCKET_REGION, permanentRedirect, (res) => answer(res, 200, "", { etag: '"e"' })));
        assert.equal((await once.headObject({ Bucket: "bucket", Key: "k" })).ETag, '"e"');
        assert.equal(fake.server.requests.length, 2);
      } finally {
        await once.destroy();
      }
    });

    it("a 400 AuthorizationHeaderMalformed on an upload: the same body goes again, signed for the region S3 names", async () => {
      fake.reset(
        bucketIn(
          BUCKET_REGION,
          (res, signed) =>
            answer(res, 400, errorDocument("AuthorizationHeaderMalformed", `the region '${signed}' is wrong; expecting '${BUCKET_REGION}'`, `<Region>${BUCKET_REGION}</Region>`), {
              "x-amz-bucket-region": BUCKET_REGION,
            }),
          (res) => answer(res, 200, "", { etag: '"uploaded"' }),
        ),
      );
      const out = await s3.putObject({ Bucket: "bucket", Key: "k", Body: "the same bytes twice" });
      assert.equal(out.ETag, '"uploaded"');
      assert.deepEqual(fake.server.requests.map((request) => request.body), ["the same bytes twice", "the same bytes twice"]);
      assert.deepEqual(fake.server.requests.map(signedRegion), ["us-east-1", BUCKET_REGION]);
    });

    it("a HeadObject 400 with no body but the header is redirected", async () => {
      fake.reset(
        bucketIn(
          BUCKET_REGION,
          (res) => answer(res, 400, "", { "x-amz-bucket-region": BUCKET_REGION }),
          (res) => answer(res, 200, "", { "content-length": "0", etag: '"h"' }),
        ),
      );
      assert.equal((await s3.headObject({ Bucket: "bucket", Key: "k" })).ETag, '"h"');
      assert.deepEqual(fake.server.requests.map(signedRegion), ["us-east-1", BUCKET_REGION]);
    });

    it("redirected once only: a second redirect reaches the caller as the error", async () => {
      let region = 0;
      const regions = ["eu-west-1", "ap-south-1", "sa-east-1"];
      fake.reset((_req, res) => answer(res, 301, errorDocument("PermanentRedirect", "elsewhere"), { "x-amz-bucket-region": regions[region++] ?? "" }));
      await assert.rejects(s3.getObject({ Bucket: "bucket", Key: "k" }), (error: unknown) => {
        assert.ok(error instanceof ServiceError);
        assert.equal(error.code, "PermanentRedirect");
        assert.equal(error.$metadata.httpStatusCode, 301);
        return true;
      });
      assert.deepEqual(fake.server.requests.map(signedRegion), ["us-east-1", "eu-west-1"]);
    });

    it("not redirected: no header, the region already signed for, CreateBucket's IllegalLocationConstraintException, another 400", async () => {
      const cases: Array<{ status: number; code: string; header?: string; call: () => Promise<unknown> }> = [
        { status: 301, code: "PermanentRedirect", call: () => s3.getObject({ Bucket: "bucket", Key: "k" }) },
        { status: 301, code: "PermanentRedirect", header: "us-east-1", call: () => s3.getObject({ Bucket: "bucket", Key: "k" }) },
        {
          status: 400,
          code: "IllegalLocationConstraintException",
          header: "ap-east-1",
          call: () => s3.createBucket({ Bucket: "bucket", CreateBucketConfiguration: { LocationConstraint: "ap-east-1" } }),
        },
        { status: 400, code: "InvalidArgument", header: BUCKET_REGION, call: () => s3.getObject({ Bucket: "bucket", Key: "k" }) },
      ];
      for (const { status, code, header, call } of cases) {
        fake.reset((_req, res) => answer(res, status, errorDocument(code, "no"), header ? { "x-amz-bucket-region": header } : {}));
        await assert.rejects(call(), (error: unknown) => error instanceof ServiceError && error.code === code);
        assert.equal(fake.server.requests.length, 1, `${code} ${header ?? "(no header)"}: sent once`);
      }
    });
  });
});

describe("GetBucketLocation against s3rver", () => {
  let server: RunningServer;
  let s3: S3;

  before(async () => {
    server = await startS3rver();
    s3 = s3rverClient(server.endpoint, { requestChecksumCalculation: "when_required" });
  });
  after(async () => {
    await s3.destroy();
    await server.close();
  });

  it("the empty element s3rver answers (its buckets are all in us-east-1) leaves LocationConstraint absent", async () => {
    await s3.createBucket({ Bucket: "stratus-location" });
    const out = await s3.getBucketLocation({ Bucket: "stratus-location" });
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.equal(out.LocationConstraint, undefined);
  });
});

// restXml on S3-shaped models: payload root names and namespaces as S3 needs them, content
// types, S3's bare <Error> documents and bodiless HEAD errors, request ids, streaming
// payloads, and hostile bodies.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ParseError } from "../../src/errors/index.ts";
import { restXmlProtocol, restXmlResponseMetadata } from "../../src/protocols/rest-xml.ts";
import type { Endpoint, ParseCall } from "../../src/protocols/protocol.ts";
import type { OperationSchema, ServiceSchema, StructureShape } from "../../src/schema/types.ts";

const service: ServiceSchema = { serviceId: "S3", apiVersion: "2006-03-01", protocol: "rest-xml", signingName: "s3", endpointPrefix: "s3" };
const endpoint: Endpoint = { protocol: "https:", hostname: "bucket.s3.us-east-1.amazonaws.com", path: "" };
const str = { type: "string" } as const;
const s3Namespace = { uri: "http://s3.amazonaws.com/doc/2006-03-01/" };
const utf8 = new TextEncoder();

function response(operation: OperationSchema, status: number, body: string | Uint8Array, headers: Record<string, string> = {}): ParseCall {
  return { service, operation, response: { statusCode: status, headers, body: typeof body === "string" ? utf8.encode(body) : body } };
}

// PutBucketLifecycleConfiguration: the payload member is named after the element S3 wants,
// the shape it targets is not.
const lifecycle: OperationSchema = {
  name: "PutBucketLifecycleConfiguration",
  http: { method: "PUT", requestUri: "/?lifecycle" },
  input: {
    type: "structure",
    name: "PutBucketLifecycleConfigurationRequest",
    payload: "LifecycleConfiguration",
    members: {
      Bucket: { target: str, location: "uri", locationName: "Bucket" },
      LifecycleConfiguration: {
        target: {
          type: "structure",
          name: "BucketLifecycleConfiguration",
          members: {
            Rules: {
              target: {
                type: "list",
                flattened: true,
                member: { target: { type: "structure", name: "LifecycleRule", members: { ID: { target: str }, Status: { target: str } } } },
              },
              locationName: "Rule",
            },
          },
        },
        locationName: "LifecycleConfiguration",
        xmlNamespace: s3Namespace,
      },
    },
  },
};

test("a structure payload is rooted at the member's locationName, with the member's namespace", () => {
  const request = restXmlProtocol.serializeRequest({
    service,
    operation: lifecycle,
    endpoint,
    input: { Bucket: "bucket", LifecycleConfiguration: { Rules: [{ ID: "a&b", Status: "Enabled" }, { ID: "c", Status: "Disabled" }] } },
  });
  assert.equal(request.method, "PUT");
  assert.deepEqual(request.query, [["lifecycle", ""]]);
  assert.equal(request.headers["content-type"], "application/xml");
  assert.equal(
    request.body,
    '<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      "<Rule><ID>a&amp;b</ID><Status>Enabled</Status></Rule><Rule><ID>c</ID><Status>Disabled</Status></Rule>" +
      "</LifecycleConfiguration>",
  );
  assert.equal(request.headers["content-length"], String(Buffer.byteLength(String(request.body))));
});

const putObject: OperationSchema = {
  name: "PutObject",
  http: { method: "PUT", requestUri: "/{Key+}" },
  input: {
    type: "structure",
    name: "PutObjectRequest",
    payload: "Body",
    members: {
      Key: { target: str, location: "uri", locationName: "Key" },
      ContentType: { target: str, location: "header", locationName: "Content-Type" },
      Body: { target: { type: "blob", streaming: true } },
    },
  },
};

test("a blob payload is sent as is; a caller's Content-Type wins over the default", () => {
  const bytes = new Uint8Array([0, 1, 2, 255]);
  const typed = restXmlProtocol.serializeRequest({ service, operation: putObject, endpoint, input: { Key: "a/b c", ContentType: "image/png", Body: bytes } });
  assert.equal(typed.path, "/a/b%20c");
  assert.equal(typed.body, bytes);
  assert.equal(typed.headers["content-type"], "image/png");
  const untyped = restXmlProtocol.serializeRequest({ service, operation: putObject, endpoint, input: { Key: "k", Body: "text" } });
  assert.equal(untyped.headers["content-type"], "application/octet-stream");
  const none = restXmlProtocol.serializeRequest({ service, operation: putObject, endpoint, input: { Key: "k" } });
  assert.equal(none.body, undefined);
});

const getObject: OperationSchema = {
  name: "GetObject",
  http: { method: "GET", requestUri: "/{Key+}" },
  output: {
    type: "structure",
    name: "GetObjectOutput",
    payload: "Body",
    members: {
      ETag: { target: str, location: "header", locationName: "ETag" },
      Body: { target: { type: "blob", streaming: true } },
    },
  },
  errors: [{ type: "structure", name: "NoSuchKey", members: {}, exception: true }],
};

test("a streaming payload is left to the pipeline; headers still parse", () => {
  assert.deepEqual(restXmlProtocol.parseResponse(response(getObject, 200, "", { etag: '"abc"' })), { ETag: '"abc"' });
});

test("S3's bare <Error>, and request ids from headers and body", () => {
  const body = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>a &amp; b</Key>
<RequestId>body-id</RequestId><HostId>host-id</HostId></Error>`;
  const call = response(getObject, 404, body, { "x-amz-request-id": "hdr-id", "x-amz-id-2": "ext-id" });
  const error = restXmlProtocol.parseError(call);
  assert.equal(error.code, "NoSuchKey");
  assert.equal(error.message, "The specified key does not exist.");
  assert.equal(error.requestId, "body-id");
  assert.equal(error.shape?.name, "NoSuchKey");
  assert.deepEqual(restXmlResponseMetadata(call), { requestId: "hdr-id", extendedRequestId: "ext-id" });
});

test("a bodiless error (HEAD) is named after the status code", () => {
  const error = restXmlProtocol.parseError(response(getObject, 404, "", { "x-amz-request-id": "hdr-id" }));
  assert.equal(error.code, "NotFound");
  assert.equal(error.requestId, "hdr-id");
  assert.equal(restXmlProtocol.parseError(response(getObject, 403, "")).code, "Forbidden");
  assert.equal(restXmlProtocol.parseError(response(getObject, 418, " \n")).code, "418");
});

const owner: StructureShape = { type: "structure", name: "Owner", members: { ID: { target: str } } };
const listObjects: OperationSchema = {
  name: "ListObjectsV2",
  http: { method: "GET", requestUri: "/?list-type=2" },
  output: {
    type: "structure",
    name: "ListObjectsV2Output",
    members: {
      IsTruncated: { target: { type: "boolean" } },
      Contents: {
        target: {
          type: "list",
          flattened: true,
          member: {
            target: {
              type: "structure",
              name: "Object",
              members: {
                Key: { target: str },
                LastModified: { target: { type: "timestamp" } },
                Size: { target: { type: "long" } },
                Owner: { target: owner },
              },
            },
          },
        },
      },
      CommonPrefixes: {
        target: { type: "list", flattened: true, member: { target: { type: "structure", name: "CommonPrefix", members: { Prefix: { target: str } } } } },
      },
      KeyCount: { target: { type: "integer" } },
      RequestCharged: { target: str, location: "header", locationName: "x-amz-request-charged" },
    },
  },
};

test("a listing: flattened lists, escaped keys, large sizes, body and header members together", () => {
  const body = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <IsTruncated>false</IsTruncated>
  <Contents><Key>dir/&lt;weird&gt; &amp; key&#x9;</Key><LastModified>2024-01-02T03:04:05.000Z</LastModified><Size>5368709120000</Size><Owner/></Contents>
  <Contents><Key>  padded  </Key><LastModified>2024-01-02T03:04:05.123Z</LastModified><Size>0</Size></Contents>
  <CommonPrefixes><Prefix>photos/</Prefix></CommonPrefixes>
  <KeyCount>2</KeyCount>
</ListBucketResult>`;
  assert.deepEqual(restXmlProtocol.parseResponse(response(listObjects, 200, body, { "x-amz-request-charged": "requester" })), {
    RequestCharged: "requester",
    IsTruncated: false,
    Contents: [
      { Key: "dir/<weird> & key\t", LastModified: new Date("2024-01-02T03:04:05Z"), Size: 5368709120000, Owner: {} },
      { Key: "  padded  ", LastModified: new Date("2024-01-02T03:04:05.123Z"), Size: 0 },
    ],
    CommonPrefixes: [{ Prefix: "photos/" }],
    KeyCount: 2,
  });
});

test("hostile and broken bodies are a ParseError (success) or a generic error (failure)", () => {
  const laughs = '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><ListBucketResult>&b;</ListBucketResult>';
  assert.throws(() => restXmlProtocol.parseResponse(response(listObjects, 200, laughs)), ParseError);
  assert.throws(() => restXmlProtocol.parseResponse(response(listObjects, 200, "<ListBucketResult><KeyCount>2</KeyCount>")), ParseError);
  assert.throws(() => restXmlProtocol.parseResponse(response(listObjects, 200, "<ListBucketResult><KeyCount>two</KeyCount></ListBucketResult>")), ParseError);
  assert.throws(() => restXmlProtocol.parseResponse(response(listObjects, 200, `${"<a>".repeat(10_000)}${"</a>".repeat(10_000)}`)), ParseError);
  assert.equal(restXmlProtocol.parseError(response(listObjects, 500, laughs)).code, "InternalError");
});

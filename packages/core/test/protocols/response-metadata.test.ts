// Request ids: `Protocol.responseMetadata` for successful answers in every protocol of the
// table, and the extended request id rest-xml puts in a ParsedError.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PROTOCOLS } from "../../src/protocols/index.ts";
import type { ParseCall, RawResponse } from "../../src/protocols/protocol.ts";
import type { OperationSchema, ProtocolName, ServiceSchema } from "../../src/schema/types.ts";

function response(headers: Record<string, string>, body = "", statusCode = 200): RawResponse {
  return { statusCode, headers, body: new TextEncoder().encode(body) };
}

const NAMES = Object.keys(PROTOCOLS) as ProtocolName[];

for (const name of NAMES) {
  const protocol = PROTOCOLS[name];

  test(`${name}: request ids from the headers of a successful response`, () => {
    assert.deepEqual(protocol.responseMetadata(response({ "x-amzn-requestid": "amzn-1" })), { requestId: "amzn-1" });
    assert.deepEqual(protocol.responseMetadata(response({})), {});
    if (name !== "query" && name !== "ec2") {
      // No body of these protocols carries an id, so a body is never read for one.
      assert.deepEqual(protocol.responseMetadata(response({}, "not json, xml or cbor")), {});
    }
  });

  test(`${name}: S3-style x-amz-request-id and the x-amz-id-2 extended id`, () => {
    assert.deepEqual(protocol.responseMetadata(response({ "x-amz-request-id": "s3-1", "x-amz-id-2": "host-1" })), {
      requestId: "s3-1",
      extendedRequestId: "host-1",
    });
  });
}

test("every protocol but rest-xml prefers x-amzn-requestid; rest-xml prefers x-amz-request-id", () => {
  const both = response({ "x-amzn-requestid": "amzn", "x-amz-request-id": "amz" });
  for (const name of ["json", "rest-json", "smithy-rpc-v2-cbor", "query", "ec2"] as const) {
    assert.equal(PROTOCOLS[name].responseMetadata(both).requestId, "amzn", name);
  }
  assert.equal(PROTOCOLS["rest-xml"].responseMetadata(both).requestId, "amz");
});

test("query: ResponseMetadata/RequestId of the body when no header has the id", () => {
  const body = `<ListTopicsResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
    <ListTopicsResult><Topics/></ListTopicsResult>
    <ResponseMetadata><RequestId>body-1</RequestId></ResponseMetadata>
  </ListTopicsResponse>`;
  assert.deepEqual(PROTOCOLS.query.responseMetadata(response({}, body)), { requestId: "body-1" });
  // The header, when present, is the same id and is read without parsing the body.
  assert.deepEqual(PROTOCOLS.query.responseMetadata(response({ "x-amzn-requestid": "hdr-1" }, "<not-closed>")), { requestId: "hdr-1" });
  // A body that is not XML has no id to give: no error from here.
  assert.deepEqual(PROTOCOLS.query.responseMetadata(response({}, "{\"json\": true}")), {});
  assert.deepEqual(PROTOCOLS.query.responseMetadata(response({}, "<A><ResponseMetadata/></A>")), {});
});

test("ec2: the lower-case <requestId> of the body when no header has the id", () => {
  const body = `<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
    <requestId>ec2-req-1</requestId><regionInfo/>
  </DescribeRegionsResponse>`;
  assert.deepEqual(PROTOCOLS.ec2.responseMetadata(response({}, body)), { requestId: "ec2-req-1" });
  assert.deepEqual(PROTOCOLS.ec2.responseMetadata(response({}, "<broken")), {});
});

const s3: ServiceSchema = { serviceId: "S3", apiVersion: "2006-03-01", protocol: "rest-xml", signingName: "s3", endpointPrefix: "s3" };
const headObject: OperationSchema = { name: "HeadObject", http: { method: "HEAD", requestUri: "/{Bucket}/{Key+}" } };

function s3Error(status: number, headers: Record<string, string>, body: string): ParseCall {
  return { service: s3, operation: headObject, response: response(headers, body, status) };
}

test("rest-xml errors carry x-amz-id-2 as extendedRequestId", () => {
  const body = "<Error><Code>NoSuchKey</Code><Message>gone</Message><RequestId>body-req</RequestId><HostId>body-host</HostId></Error>";
  const error = PROTOCOLS["rest-xml"].parseError(s3Error(404, { "x-amz-request-id": "hdr-req", "x-amz-id-2": "hdr-host" }, body));
  assert.equal(error.code, "NoSuchKey");
  assert.equal(error.requestId, "body-req");
  assert.equal(error.extendedRequestId, "hdr-host");

  // S3 answers HEAD errors without a body: the ids come from the headers alone.
  const head = PROTOCOLS["rest-xml"].parseError(s3Error(404, { "x-amz-request-id": "r2", "x-amz-id-2": "h2" }, ""));
  assert.deepEqual([head.code, head.requestId, head.extendedRequestId], ["NotFound", "r2", "h2"]);

  const noHeader = PROTOCOLS["rest-xml"].parseError(s3Error(404, {}, body));
  assert.equal(noHeader.extendedRequestId, undefined);
  assert.equal(Object.hasOwn(noHeader, "extendedRequestId"), false);
});

test("other protocols' errors have no extended request id", () => {
  const service: ServiceSchema = { serviceId: "X", apiVersion: "1", protocol: "json", signingName: "x", endpointPrefix: "x" };
  const operation: OperationSchema = { name: "Op", http: { method: "POST", requestUri: "/" } };
  const error = PROTOCOLS.json.parseError({
    service,
    operation,
    response: response({ "x-amzn-requestid": "j-1", "x-amz-id-2": "ignored" }, '{"__type":"Boom","message":"m"}', 400),
  });
  assert.deepEqual([error.code, error.requestId, error.extendedRequestId], ["Boom", "j-1", undefined]);
});

/**
 * What the fault server says, in each protocol's own words: the success documents of the
 * operations the scenarios call, and error documents shaped as each protocol family sends
 * them (awsJson `__type`, S3's `<Error>`, query's `<ErrorResponse>`, EC2's `<Response><Errors>`).
 */
import type { Reply } from "./fault-server.ts";

const REQUEST_ID = "FAULT-REQUEST-ID-0001";

type Extra = Readonly<Record<string, string>>;

// ── DynamoDB (awsJson1.0) ──────────────────────────────────────────────────────────────

export const ITEM = { id: { S: "item-1" }, note: { S: "x".repeat(200) } };

export function jsonOk(document: unknown = {}, headers: Extra = {}): Reply {
  return { status: 200, headers: { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": REQUEST_ID, ...headers }, body: JSON.stringify(document) };
}

export function jsonError(status: number, code: string, headers: Extra = {}): Reply {
  return {
    status,
    headers: { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": REQUEST_ID, ...headers },
    body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${code}`, message: `fault server says ${code}` }),
  };
}

// ── S3 (rest-xml) ──────────────────────────────────────────────────────────────────────

export const OBJECT_BYTES = Buffer.from("0123456789abcdef".repeat(512)); // 8 KiB

export function s3Object(body: Uint8Array = OBJECT_BYTES): Reply {
  return {
    status: 200,
    headers: { "content-type": "application/octet-stream", etag: '"fault-etag"', "x-amz-request-id": REQUEST_ID },
    body,
  };
}

export function s3PutOk(): Reply {
  return { status: 200, headers: { etag: '"fault-etag"', "x-amz-request-id": REQUEST_ID } };
}

export function s3Error(status: number, code: string, headers: Extra = {}): Reply {
  return {
    status,
    headers: { "content-type": "application/xml", "x-amz-request-id": REQUEST_ID, ...headers },
    body:
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>fault server says ${code}</Message>` +
      `<RequestId>${REQUEST_ID}</RequestId><HostId>fault-host-id</HostId></Error>`,
  };
}

// ── STS (query) ────────────────────────────────────────────────────────────────────────

const STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";

export function stsCallerIdentity(): Reply {
  return {
    status: 200,
    headers: { "content-type": "text/xml" },
    body:
      `<GetCallerIdentityResponse xmlns="${STS_NS}"><GetCallerIdentityResult>` +
      "<Arn>arn:aws:iam::123456789012:user/fault</Arn><UserId>AIDAFAULTUSER</UserId><Account>123456789012</Account>" +
      `</GetCallerIdentityResult><ResponseMetadata><RequestId>${REQUEST_ID}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
  };
}

export function queryError(status: number, code: string, headers: Extra = {}): Reply {
  return {
    status,
    headers: { "content-type": "text/xml", ...headers },
    body:
      `<ErrorResponse xmlns="${STS_NS}"><Error><Type>${status >= 500 ? "Receiver" : "Sender"}</Type><Code>${code}</Code>` +
      `<Message>fault server says ${code}</Message></Error><RequestId>${REQUEST_ID}</RequestId></ErrorResponse>`,
  };
}

// ── EC2 (ec2 query) ────────────────────────────────────────────────────────────────────

export function ec2Regions(): Reply {
  return {
    status: 200,
    headers: { "content-type": "text/xml;charset=UTF-8" },
    body:
      '<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">' +
      `<requestId>${REQUEST_ID}</requestId><regionInfo><item><regionName>us-east-1</regionName>` +
      "<regionEndpoint>ec2.us-east-1.amazonaws.com</regionEndpoint></item></regionInfo></DescribeRegionsResponse>",
  };
}

export function ec2Error(status: number, code: string, headers: Extra = {}): Reply {
  return {
    status,
    headers: { "content-type": "text/xml;charset=UTF-8", ...headers },
    body:
      `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>fault server says ${code}</Message>` +
      `</Error></Errors><RequestID>${REQUEST_ID}</RequestID></Response>`,
  };
}

// ── anything ───────────────────────────────────────────────────────────────────────────

/** A proxy's page: a status with an HTML body no protocol parser understands. */
export function htmlStatus(status: number): Reply {
  return { status, headers: { "content-type": "text/html" }, body: `<html><body>${status}</body></html>` };
}

/** `headers` plus a Date header `offsetMs` away from now (a server whose clock differs). */
export function withServerDate(reply: Reply, offsetMs: number): Reply {
  return { ...reply, headers: { ...reply.headers, date: new Date(Date.now() + offsetMs).toUTCString() } };
}

/**
 * Error documents of the XML protocols (xml/errors.ts): awsQuery's <ErrorResponse>, EC2's
 * <Response><Errors>, S3's bare <Error>. An error answer has already failed the call, so
 * the reader's contract is stronger than "value or ParseError": for any body at all it
 * returns a ParsedError (an unreadable body gives one named after the status). The
 * request-id readers of successful answers likewise never throw.
 *
 * - round trips: documents written from random codes (with the namespaces and spaces
 *   services put around them), messages, types and request ids, in all three layouts,
 *   give back exactly those values, and a modelled code finds its shape
 * - arbitrary bytes, and mutations of those documents, as error answers of every status
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { ParseError } from "../../packages/core/src/errors/index.ts";
import { ec2Protocol } from "../../packages/core/src/protocols/ec2.ts";
import type { Protocol, RawResponse } from "../../packages/core/src/protocols/protocol.ts";
import { queryProtocol } from "../../packages/core/src/protocols/query.ts";
import { restXmlProtocol } from "../../packages/core/src/protocols/rest-xml.ts";
import type { OperationSchema, ServiceSchema } from "../../packages/core/src/schema/types.ts";
import * as ec2 from "../../packages/ec2/src/generated/schema.ts";
import * as s3 from "../../packages/s3/src/generated/schema.ts";
import * as sns from "../../packages/sns/src/generated/schema.ts";
import { fuzzFamily, outcome } from "./property.ts";
import { mutatedBytes, mutatedText, utf8 } from "./support/mutate.ts";
import { escapeXml } from "./support/writers.ts";

const response = (body: Uint8Array | string, statusCode: number, headers: Record<string, string> = {}): RawResponse => ({
  statusCode,
  headers,
  body: typeof body === "string" ? utf8.encode(body) : body,
});

const xmlChars = (s: string): string => s.replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "");
const text = fc.string({ unit: "binary", maxLength: 30 }).map(xmlChars);
/** Codes as services send them: modelled ones, random words, with spaces around. */
const code = fc
  .tuple(fc.oneof(fc.constantFrom("NotFound", "InvalidParameter", "ParameterValueInvalid", "Throttling", "NoSuchKey", "InvalidInstanceID.NotFound"), fc.stringMatching(/^[A-Za-z][A-Za-z0-9.]{0,20}$/)), fc.constantFrom("", " ", "\n  "))
  .map(([name, space]) => ({ name, written: `${space}${name}${space}` }));

interface ErrorFields {
  readonly code: { readonly name: string; readonly written: string };
  readonly message: string | null;
  readonly type: "Sender" | "Receiver" | null;
  readonly requestId: string;
}

const fields: fc.Arbitrary<ErrorFields> = fc.record({
  code,
  message: fc.option(text),
  type: fc.option(fc.constantFrom("Sender", "Receiver")),
  requestId: fc.stringMatching(/^[A-Za-z0-9-]{1,36}$/),
});

function errorElement(f: ErrorFields): string {
  const type = f.type === null ? "" : `<Type>${f.type}</Type>`;
  const message = f.message === null ? "" : `<Message>${escapeXml(f.message)}</Message>`;
  return `<Error>${type}<Code>${escapeXml(f.code.written)}</Code>${message}</Error>`;
}

interface Layout {
  readonly label: string;
  readonly protocol: Protocol;
  readonly service: ServiceSchema;
  readonly operation: OperationSchema;
  readonly document: (f: ErrorFields) => string;
}

const LAYOUTS: readonly Layout[] = [
  {
    label: "awsQuery <ErrorResponse>",
    protocol: queryProtocol,
    service: sns.service,
    operation: sns.Publish,
    document: (f) => `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">${errorElement(f)}<RequestId>${f.requestId}</RequestId></ErrorResponse>`,
  },
  {
    label: "ec2 <Response><Errors>",
    protocol: ec2Protocol,
    service: ec2.service,
    operation: ec2.DescribeInstances,
    document: (f) => `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors>${errorElement(f)}</Errors><RequestID>${f.requestId}</RequestID></Response>`,
  },
  {
    label: "S3 bare <Error>",
    protocol: restXmlProtocol,
    service: s3.service,
    operation: s3.GetObject,
    document: (f) => errorElement(f).replace("</Error>", `<RequestId>${f.requestId}</RequestId><HostId>h</HostId></Error>`),
  },
];

const QUERY_TOKENS = ["<Error>", "</Error>", "<Code>", "</Code>", "<Errors>", "</Errors>", "<Message>", "</Message>", "<RequestId>", "<", ">", "&", "&amp;", "<!DOCTYPE x>", "<![CDATA[", "]]>"];

fuzzFamily("query-errors", (family) => {
  for (const layout of LAYOUTS) {
    const parseError = (body: Uint8Array | string, status: number) =>
      layout.protocol.parseError({ service: layout.service, operation: layout.operation, response: response(body, status) });

    family.property(`${layout.label}: a written error gives back its code, message, type and request id`, 400, fc.property(fields, fc.integer({ min: 300, max: 599 }), (f, status) => {
      const parsed = parseError(layout.document(f), status);
      assert.equal(parsed.code, f.code.name);
      assert.equal(parsed.message, f.message ?? undefined);
      assert.equal(parsed.type, f.type ?? undefined);
      assert.equal(parsed.requestId, f.requestId);
      const modelled = layout.operation.errors?.map((ref) => (typeof ref === "function" ? ref() : ref)).find((shape) => (shape.error?.code ?? shape.name) === f.code.name);
      assert.equal(parsed.shape, modelled);
    }));

    family.property(`${layout.label}: a mutated error document still gives a ParsedError`, 500, fc.property(
      mutatedText(fields.map(layout.document), QUERY_TOKENS),
      fc.integer({ min: 300, max: 599 }),
      (body, status) => {
        const parsed = outcome(() => parseError(body, status), []);
        assert.ok(parsed.ok && typeof parsed.value.code === "string" && parsed.value.code !== "");
      },
    ));

    family.property(`${layout.label}: arbitrary bytes give a ParsedError named after the status`, 400, fc.property(
      fc.oneof(fc.uint8Array({ maxLength: 120 }), mutatedBytes(fields.map((f) => utf8.encode(layout.document(f))))),
      fc.integer({ min: 300, max: 599 }),
      (body, status) => {
        const parsed = outcome(() => parseError(body, status), []);
        assert.ok(parsed.ok && parsed.value.code !== "");
      },
    ));

    family.property(`${layout.label}: reading request ids of any answer never throws`, 300, fc.property(
      fc.oneof(fc.uint8Array({ maxLength: 80 }), fields.map((f) => utf8.encode(layout.document(f)))),
      fc.integer({ min: 100, max: 599 }),
      (body, status) => {
        outcome(() => layout.protocol.responseMetadata(response(body, status)), []);
      },
    ));

    family.property(`${layout.label}: an error document read as a result is a value or a ParseError`, 200, fc.property(
      mutatedText(fields.map(layout.document), QUERY_TOKENS),
      (body) => {
        outcome(() => layout.protocol.parseResponse({ service: layout.service, operation: layout.operation, response: response(body, 200) }), [ParseError]);
      },
    ));
  }
});

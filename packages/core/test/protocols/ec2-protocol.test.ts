// The EC2 protocol's three differences from awsQuery, on an EC2-shaped model: capitalised
// keys (queryName first), every list flattened and empty lists left out, and an answer
// without a Result wrapper; plus its error layout and request ids.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ParseError } from "../../src/errors/index.ts";
import { ec2Protocol, ec2ResponseMetadata } from "../../src/protocols/ec2.ts";
import type { Endpoint, ParseCall } from "../../src/protocols/protocol.ts";
import type { ListShape, OperationSchema, ServiceSchema, StructureShape } from "../../src/schema/types.ts";

const service: ServiceSchema = { serviceId: "EC2", apiVersion: "2016-11-15", protocol: "ec2", signingName: "ec2", endpointPrefix: "ec2" };
const endpoint: Endpoint = { protocol: "https:", hostname: "ec2.us-east-1.amazonaws.com", path: "" };
const str = { type: "string" } as const;
const stringList: ListShape = { type: "list", member: { target: str, locationName: "item" } };

const filter: StructureShape = {
  type: "structure",
  name: "Filter",
  members: { Name: { target: str }, Values: { target: stringList, locationName: "Value" } },
};

const operation: OperationSchema = {
  name: "DescribeInstances",
  http: { method: "POST", requestUri: "/" },
  input: {
    type: "structure",
    name: "DescribeInstancesRequest",
    members: {
      Filters: { target: { type: "list", member: { target: filter, locationName: "Filter" } }, locationName: "Filter" },
      InstanceIds: { target: stringList, locationName: "InstanceId" },
      DryRun: { target: { type: "boolean" }, locationName: "dryRun" },
      MaxResults: { target: { type: "integer" }, locationName: "maxResults", queryName: "MaxResults" },
    },
  },
  output: {
    type: "structure",
    name: "DescribeInstancesResult",
    members: {
      Reservations: {
        target: {
          type: "list",
          member: {
            target: { type: "structure", name: "Reservation", members: { ReservationId: { target: str, locationName: "reservationId" } } },
            locationName: "item",
          },
        },
        locationName: "reservationSet",
      },
      NextToken: { target: str, locationName: "nextToken" },
    },
  },
};

function call(status: number, body: string): ParseCall {
  return { service, operation, response: { statusCode: status, headers: {}, body: new TextEncoder().encode(body) } };
}

test("keys: queryName, else the locationName capitalised; lists flattened; empty lists left out", () => {
  const request = ec2Protocol.serializeRequest({
    service,
    operation,
    endpoint,
    input: { Filters: [{ Name: "instance-state-name", Values: ["running", "pending"] }], InstanceIds: [], DryRun: false, MaxResults: 5 },
  });
  assert.deepEqual(new URLSearchParams(String(request.body)).toString(), new URLSearchParams([
    ["Action", "DescribeInstances"],
    ["Version", "2016-11-15"],
    ["Filter.1.Name", "instance-state-name"],
    ["Filter.1.Value.1", "running"],
    ["Filter.1.Value.2", "pending"],
    ["DryRun", "false"],
    ["MaxResults", "5"],
  ]).toString());
});

test("response: members directly under <OpResponse>, request id from <requestId>", () => {
  const body = `<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
    <requestId>req-9</requestId>
    <reservationSet><item><reservationId>r-1</reservationId></item><item><reservationId>r-2</reservationId></item></reservationSet>
    <nextToken/>
  </DescribeInstancesResponse>`;
  assert.deepEqual(ec2Protocol.parseResponse(call(200, body)), {
    Reservations: [{ ReservationId: "r-1" }, { ReservationId: "r-2" }],
    NextToken: "",
  });
  assert.deepEqual(ec2ResponseMetadata(call(200, body)), { requestId: "req-9" });
});

test("errors: <Response><Errors><Error> with <RequestID>", () => {
  const body = `<?xml version="1.0" encoding="UTF-8"?>
    <Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code><Message>The instance ID 'i-1' does not exist</Message></Error></Errors>
    <RequestID>req-10</RequestID></Response>`;
  const error = ec2Protocol.parseError(call(400, body));
  assert.equal(error.code, "InvalidInstanceID.NotFound");
  assert.equal(error.message, "The instance ID 'i-1' does not exist");
  assert.equal(error.requestId, "req-10");
  assert.equal(error.shape, undefined);
  assert.deepEqual(error.fields, {});
});

test("malformed answers are a ParseError", () => {
  for (const body of ["<DescribeInstancesResponse>", "<a><b></a>", "not xml", "<a>&bogus;</a>"]) {
    assert.throws(() => ec2Protocol.parseResponse(call(200, body)), ParseError, body);
  }
});

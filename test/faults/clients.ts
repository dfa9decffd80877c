/**
 * Real generated clients aimed at the fault server, one per protocol family: DynamoDB
 * (awsJson1.0), S3 (rest-xml, a streamed GetObject body), STS (query) and EC2 (ec2 query).
 * Each is owned by the scenario, so it is destroyed when the scenario ends.
 */
import type { ClientConfig } from "@stratus/core";
import { DynamoDB } from "../../packages/dynamodb/src/index.ts";
import { EC2 } from "../../packages/ec2/src/index.ts";
import { S3 } from "../../packages/s3/src/index.ts";
import { STS } from "../../packages/sts/src/index.ts";
import type { ClientOptions, ScenarioContext } from "./harness.ts";

export function dynamodb(ctx: ScenarioContext, options?: ClientOptions): DynamoDB {
  return ctx.own(new DynamoDB(ctx.config(options)));
}

export function s3(ctx: ScenarioContext, options: ClientOptions = {}): S3 {
  const extra: ClientConfig = { endpointParams: { ForcePathStyle: true }, ...options.extra };
  return ctx.own(new S3(ctx.config({ ...options, extra })));
}

export function sts(ctx: ScenarioContext, options?: ClientOptions): STS {
  return ctx.own(new STS(ctx.config(options)));
}

export function ec2(ctx: ScenarioContext, options?: ClientOptions): EC2 {
  return ctx.own(new EC2(ctx.config(options)));
}

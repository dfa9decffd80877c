/**
 * Real service definitions for the client tests, built the way a generated package will
 * be: the schema from botocore's model (schemaFromBotocore), the real endpoint rule set,
 * a base error class per service and one class per modelled error. Models are read from
 * ../shared/models at run time, never copied.
 *
 * Also: explicit settings that keep every client away from the real environment (a
 * throw-away HOME, fixed keys, a region, the loopback endpoint, partitions.json) and a
 * retry strategy with millisecond backoff so retry tests do not sleep for seconds.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ClientConfig } from "../../src/client/config.ts";
import type { ServiceDefinition } from "../../src/client/definition.ts";
import type { PartitionsData, RuleSet } from "../../src/endpoints/index.ts";
import { ServiceError, type ServiceErrorClass, type ServiceErrorInit } from "../../src/errors/service-error.ts";
import { PROTOCOLS } from "../../src/protocols/index.ts";
import { createRetryStrategy } from "../../src/retry/strategy.ts";
import { schemaFromBotocore, type BotocoreModel } from "../../src/schema/from-botocore.ts";
import { resolveShape } from "../../src/schema/normalize.ts";
import type { OperationSchema, StructureShape } from "../../src/schema/types.ts";
import { tempHome, type TempHome } from "../support/temp-home.ts";

const MODELS = join(import.meta.dirname, "..", "..", "..", "..", "..", "shared", "models");

function readJson<T>(...parts: string[]): T {
  return JSON.parse(readFileSync(join(MODELS, ...parts), "utf8")) as T;
}

export const PARTITIONS: PartitionsData = readJson<PartitionsData>("partitions.json");

export interface TestService {
  readonly definition: ServiceDefinition;
  readonly operations: Readonly<Record<string, OperationSchema>>;
  readonly baseError: ServiceErrorClass;
  readonly errors: Readonly<Record<string, ServiceErrorClass>>;
}

export function loadService(name: string, version: string, options: { stripBucketFromPath?: boolean } = {}): TestService {
  const model = readJson<BotocoreModel>(name, version, "service-2.json");
  const ruleSet = readJson<RuleSet>(name, version, "endpoint-rule-set-1.json");
  const built = schemaFromBotocore(model);
  const serviceId = built.service.serviceId.replace(/\s+/g, "");

  const baseName = `${serviceId}ServiceError`;
  const baseError = { [baseName]: class extends ServiceError { override name = baseName; } }[baseName] as ServiceErrorClass;
  const errors: Record<string, ServiceErrorClass> = {};
  for (const shape of Object.values(built.shapes)) {
    if (shape.type !== "structure" || !(shape as StructureShape).exception) continue;
    const s = shape as StructureShape;
    const Base = baseError as unknown as new (init: ServiceErrorInit) => ServiceError;
    const cls = { [s.name]: class extends Base { override name = s.name; } }[s.name] as ServiceErrorClass;
    errors[s.error?.code ?? s.name] = cls;
  }

  let operations = built.operations;
  if (options.stripBucketFromPath) {
    // What the S3 package must do (botocore: handlers.remove_bucket_from_url_paths_from_model):
    // the rule set puts the bucket in the host or the base path, so "/{Bucket}" leaves the URI.
    const stripped: Record<string, OperationSchema> = {};
    for (const [key, op] of Object.entries(operations)) {
      const uri = op.http.requestUri.replace(/^\/\{Bucket\}/, "");
      stripped[key] = { ...op, http: { ...op.http, requestUri: uri.startsWith("/") ? uri : `/${uri}` } };
    }
    operations = stripped;
  }
  return {
    definition: { schema: built.service, protocol: PROTOCOLS[built.service.protocol], endpointRuleSet: ruleSet, baseError, errors },
    operations,
    baseError,
    errors,
  };
}

export function op(service: TestService, name: string): OperationSchema {
  const found = service.operations[name];
  if (!found) throw new Error(`no operation ${name}`);
  return found;
}

/** The shape an error class was made for, for assertions. */
export function inputShape(operation: OperationSchema): StructureShape {
  if (!operation.input) throw new Error(`${operation.name} has no input`);
  return resolveShape(operation.input);
}

export const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };

let home: TempHome | undefined;

/** One throw-away HOME for the whole test process (removed on exit). */
export function testEnv(): Record<string, string | undefined> {
  if (!home) {
    home = tempHome();
    const made = home;
    process.once("exit", () => made.remove());
  }
  return home.env;
}

/** A retry strategy whose backoff is a millisecond or two, so retry tests run fast. */
export function fastRetry(maxAttempts = 3): ReturnType<typeof createRetryStrategy> {
  return createRetryStrategy({ mode: "standard", maxAttempts }, { backoff: { baseMs: 2, maxMs: 5 }, random: () => 0.5 });
}

/** Explicit config for a loopback server: nothing is read from the real environment. */
export function loopbackConfig(url: string, extra: ClientConfig = {}): ClientConfig {
  return {
    region: "us-east-1",
    credentials: CREDENTIALS,
    endpoint: url,
    env: testEnv(),
    partitions: PARTITIONS,
    retryStrategy: fastRetry(),
    ...extra,
  };
}

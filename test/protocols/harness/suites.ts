/**
 * Reading the protocol conformance suites (botocore's layout, kept in ../shared and read at
 * test time, never copied into the repo) and turning one case into the runtime schema the
 * protocols take: the suite's `metadata` becomes the ServiceSchema, the case's `given`
 * becomes the OperationSchema over the suite's `shapes`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Endpoint } from "../../../packages/core/src/protocols/protocol.ts";
import { operationFromModel, serviceFromMetadata, ShapeTable, type BotocoreJson } from "../../../packages/core/src/schema/from-botocore.ts";
import type { OperationSchema, ServiceSchema } from "../../../packages/core/src/schema/types.ts";

/** /work/shared/conformance/protocols: the repo root's sibling `shared`. */
export const SUITES_DIR = join(import.meta.dirname, "..", "..", "..", "..", "shared", "conformance", "protocols");

export type Direction = "input" | "output";

export interface SerializedExpectation {
  readonly method?: string;
  readonly uri?: string;
  readonly host?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly forbidHeaders?: readonly string[];
  readonly requireHeaders?: readonly string[];
  readonly body?: string;
}

export interface ResponseFixture {
  readonly status_code: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface SuiteCase {
  readonly id: string;
  readonly description?: string;
  readonly given: BotocoreJson;
  readonly params?: Record<string, unknown>;
  readonly serialized?: SerializedExpectation;
  readonly response?: ResponseFixture;
  readonly result?: unknown;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly error?: Readonly<Record<string, unknown>>;
}

export interface Suite {
  readonly description: string;
  readonly metadata: BotocoreJson;
  readonly shapes: Readonly<Record<string, BotocoreJson>>;
  readonly clientEndpoint?: string;
  readonly cases: readonly SuiteCase[];
}

export interface SuiteFile {
  /** The file's name without `.json`, e.g. "rest-json", "json_1_0-query-compatible". */
  readonly name: string;
  readonly direction: Direction;
  readonly suites: readonly Suite[];
}

/** Every suite file of both directions, in a stable order (input first, then by name). */
export function loadSuiteFiles(): SuiteFile[] {
  const files: SuiteFile[] = [];
  for (const direction of ["input", "output"] as const) {
    const dir = join(SUITES_DIR, direction);
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
      const suites = JSON.parse(readFileSync(join(dir, file), "utf8")) as Suite[];
      files.push({ name: file.slice(0, -".json".length), direction, suites });
    }
  }
  return files;
}

export interface CaseSchema {
  readonly service: ServiceSchema;
  readonly operation: OperationSchema;
}

/** The schema one case runs against; a fresh shape table per case, as botocore builds a model per case. */
export function caseSchema(suite: Suite, testCase: SuiteCase): CaseSchema {
  const service = serviceFromMetadata(suite.metadata);
  const table = new ShapeTable(suite.shapes);
  const name = typeof testCase.given["name"] === "string" ? testCase.given["name"] : "OperationName";
  return { service, operation: operationFromModel(name, testCase.given, table) };
}

/** The suite's `clientEndpoint` (default https://example.com) as a resolved endpoint. */
export function suiteEndpoint(suite: Suite): Endpoint {
  const url = new URL(suite.clientEndpoint ?? "https://example.com");
  const path = url.pathname === "/" ? "" : url.pathname.replace(/\/$/, "");
  return {
    protocol: url.protocol === "http:" ? "http:" : "https:",
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path,
  };
}

/**
 * Input validation through real clients (S3 PutObject, DynamoDB PutItem and Query, SQS
 * SendMessage) pointed at a loopback server that records what reaches it. For any input
 * the call is either sent, or rejected with a `ValidationError` and then the server saw
 * nothing.
 *
 * - defects with an oracle: a valid input drawn from the operation's model (every
 *   required member, lengths, sizes and ranges within bounds, unions with one member) gets
 *   0–3 defects at random places: a required member removed, a value of the wrong type,
 *   an unknown member, a string, list or number outside its bounds. With no defect the
 *   call must be sent; with defects it must fail with a ValidationError whose problems
 *   name every defect's path (the paths the caller wrote: `input.Item.name.S`,
 *   `input.Tags[2].Key`, `input.Attributes["my key"]`), and send nothing
 * - anything at all (fast-check's `anything`, as the whole input or as member values):
 *   sent, or a ValidationError and nothing sent
 *
 * Members left out of the generated inputs, each for a reason that is not validation's:
 * the bucket name (drawn from valid names, so the endpoint rules cannot refuse it), and
 * S3's ContentLength / ContentMD5 / checksum members (their values must agree with the
 * body, which the model cannot say).
 */
import assert from "node:assert/strict";
import { after, before } from "node:test";
import fc from "fast-check";
import { StratusError, ValidationError } from "../../packages/core/src/errors/index.ts";
import { membersOf, memberShape, resolveShape, type MemberView } from "../../packages/core/src/schema/normalize.ts";
import type { OperationSchema, Shape, StructureShape } from "../../packages/core/src/schema/types.ts";
import { DynamoDB } from "../../packages/dynamodb/src/index.ts";
import * as dynamodbSchema from "../../packages/dynamodb/src/generated/schema.ts";
import { S3 } from "../../packages/s3/src/index.ts";
import * as s3Schema from "../../packages/s3/src/generated/schema.ts";
import { SQS } from "../../packages/sqs/src/index.ts";
import * as sqsSchema from "../../packages/sqs/src/generated/schema.ts";
import { startLoopbackServer, type LoopbackServer } from "../../packages/core/test/support/loopback-server.ts";
import { LOCAL_CREDENTIALS } from "../../scripts/local-servers.ts";
import { asyncOutcome, fuzzFamily } from "./property.ts";
import { valueOf } from "./support/shape-values.ts";

// ---- where a defect can go, and what the validator must then say -----------------------

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** The validator's own path syntax (validate.ts `join`), written independently. */
const memberPath = (path: string, key: string): string => (IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);

interface Site {
  readonly path: string;
  /** The object holding the value and its key in it (an array index for list items). */
  readonly holder: Record<string, unknown> | unknown[];
  readonly key: string | number;
  readonly shape: Shape;
  /** A required member of its structure (removable). */
  readonly required: boolean;
  /** The structure the value is a member of, for the unknown-member defect. */
  readonly structure: Record<string, unknown> | undefined;
  /** Where a top-level member travels (header, headers, uri…). */
  readonly location?: string | undefined;
}

function sitesOf(shape: Shape, value: unknown, path: string, out: Site[]): Site[] {
  if (shape.type === "structure" && isRecord(value)) {
    for (const view of membersOf(shape)) {
      if (!Object.hasOwn(value, view.name) || value[view.name] === undefined) continue;
      const at = memberPath(path, view.name);
      out.push({ path: at, holder: value, key: view.name, shape: view.shape, required: shape.required?.includes(view.name) ?? false, structure: value, location: view.location });
      sitesOf(view.shape, value[view.name], at, out);
    }
  } else if (shape.type === "list" && Array.isArray(value)) {
    const item = memberShape(shape.member);
    value.forEach((element, i) => {
      out.push({ path: `${path}[${i}]`, holder: value, key: i, shape: item, required: false, structure: undefined });
      sitesOf(item, element, `${path}[${i}]`, out);
    });
  } else if (shape.type === "map" && isRecord(value)) {
    const item = memberShape(shape.value);
    for (const key of Object.keys(value)) {
      const at = memberPath(path, key);
      out.push({ path: at, holder: value, key, shape: item, required: false, structure: undefined });
      sitesOf(item, value[key], at, out);
    }
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Uint8Array) && !(value instanceof Date);
}

type Defect = "remove" | "wrong-type" | "unknown-member" | "too-short" | "too-long" | "too-small" | "too-big" | "not-for-a-header";

const WRONG: Readonly<Record<string, readonly unknown[]>> = {
  string: [42, true, {}, [], 1n],
  boolean: ["true", 1, {}, []],
  // NaN and ±Infinity are valid floats and doubles.
  number: ["12", true, {}, []],
  integer: ["12", true, {}, [], 1.5, Infinity],
  timestamp: ["not a date", {}, true, new Date(Number.NaN), 8_640_000_000_001],
  blob: [42, true, [1, 2]],
  list: [{}, "x", 42, new Set([1])],
  map: [[], "x", 42, new Map()],
  structure: [[], "x", 42, new Date(0)],
};

function wrongValuesFor(shape: Shape): readonly unknown[] {
  switch (shape.type) {
    case "document":
      return [];
    case "string":
      return shape.jsonvalue ? [] : (WRONG["string"] ?? []);
    case "byte":
    case "short":
    case "integer":
    case "long":
    case "biginteger":
      return WRONG["integer"] ?? [];
    case "float":
    case "double":
    case "bigdecimal":
      return WRONG["number"] ?? [];
    default:
      return WRONG[shape.type] ?? [];
  }
}

/** The defects that can be put at `site`. */
function defectsFor(site: Site): Defect[] {
  const { shape } = site;
  const out: Defect[] = [];
  if (site.required) out.push("remove");
  if (wrongValuesFor(shape).length > 0) out.push("wrong-type");
  if (shape.type === "structure") out.push("unknown-member");
  if ((shape.type === "string" || shape.type === "list" || shape.type === "map") && shape.min !== undefined && shape.min >= 1) out.push("too-short");
  if (shape.type === "string" && shape.max !== undefined && shape.max <= 4096) out.push("too-long");
  if ("min" in shape && shape.min !== undefined && shape.type !== "string" && shape.type !== "blob") out.push("too-small");
  if ("max" in shape && shape.max !== undefined && shape.type !== "string" && shape.type !== "blob") out.push("too-big");
  if ((site.location === "header" && shape.type === "string") || site.location === "headers") out.push("not-for-a-header");
  return out;
}

/** Applies one defect at `site`; returns the path the validator must name, or undefined if it does not apply here. */
function applyDefect(site: Site, defect: Defect, pick: number): string | undefined {
  const { shape } = site;
  const set = (value: unknown): string => {
    (site.holder as Record<string | number, unknown>)[site.key] = value;
    return site.path;
  };
  switch (defect) {
    case "remove":
      if (!site.required || !site.structure) return undefined;
      delete site.structure[site.key as string];
      return site.path;
    case "wrong-type": {
      const choices = wrongValuesFor(shape);
      return choices.length === 0 ? undefined : set(choices[pick % choices.length]);
    }
    case "unknown-member": {
      if (shape.type !== "structure" || !isRecord(site.holder[site.key as never])) return undefined;
      const holder = site.holder[site.key as never] as Record<string, unknown>;
      const name = `NotAMember${pick % 1000}`;
      holder[name] = 1;
      return memberPath(site.path, name);
    }
    case "too-short":
      if ((shape.type === "string" && !shape.jsonvalue) || shape.type === "list" || shape.type === "map") {
        if (shape.min === undefined || shape.min < 1) return undefined;
        return set(shape.type === "string" ? "x".repeat(shape.min - 1) : shape.type === "list" ? [] : {});
      }
      return undefined;
    case "too-long":
      if (shape.type === "string" && !shape.jsonvalue && shape.max !== undefined && shape.max <= 4096) return set("x".repeat(shape.max + 1));
      return undefined;
    case "not-for-a-header": {
      const view = site.location;
      if (view === "header" && shape.type === "string" && typeof site.holder[site.key as never] === "string") return set(["a\nb", "\u0000", "caf\u00e9 \u20ac", "\r"][pick % 4]);
      if (view === "headers" && isRecord(site.holder[site.key as never])) {
        const map = site.holder[site.key as never] as Record<string, unknown>;
        const key = ["bad key", "ключ", "a:b", "tab\tkey"][pick % 4] as string;
        map[key] = "v";
        return `${memberPath(site.path, key)} (key)`;
      }
      return undefined;
    }
    case "too-small":
    case "too-big": {
      if (!["byte", "short", "integer", "long", "float", "double"].includes(shape.type) || !("min" in shape)) return undefined;
      const bound = defect === "too-small" ? shape.min : shape.max;
      if (bound === undefined) return undefined;
      return set(defect === "too-small" ? bound - 1 : bound + 1);
    }
  }
}

// ---- the operations --------------------------------------------------------------------

interface Target {
  readonly label: string;
  readonly operation: OperationSchema;
  readonly call: (input: Record<string, unknown>) => Promise<unknown>;
  /** Members left out of generated inputs (see the header). */
  readonly skip: ReadonlySet<string>;
  /** Values that replace generated ones (a valid bucket name). */
  readonly fixed: (input: Record<string, unknown>, pick: number) => void;
}

const S3_SKIPPED = new Set(["ContentLength", "ContentMD5", "ChecksumAlgorithm", "ChecksumCRC32", "ChecksumCRC32C", "ChecksumCRC64NVME", "ChecksumSHA1", "ChecksumSHA256", "ChecksumSHA512", "ChecksumMD5", "ChecksumXXHASH64", "ChecksumXXHASH3", "ChecksumXXHASH128"]);
const BUCKETS = ["my-bucket", "fuzz-bucket", "a.b.c", "bucket-1"];

let server: LoopbackServer;
let clients: { s3: S3; dynamodb: DynamoDB; sqs: SQS };

const TARGETS: readonly Target[] = [
  {
    label: "S3 PutObject",
    operation: s3Schema.PutObject,
    call: (input) => clients.s3.putObject(input as never),
    skip: S3_SKIPPED,
    fixed: (input, pick) => {
      if (Object.hasOwn(input, "Bucket")) input["Bucket"] = BUCKETS[pick % BUCKETS.length];
    },
  },
  { label: "DynamoDB PutItem", operation: dynamodbSchema.PutItem, call: (input) => clients.dynamodb.putItem(input as never), skip: new Set(), fixed: () => {} },
  { label: "DynamoDB Query", operation: dynamodbSchema.Query, call: (input) => clients.dynamodb.query(input as never), skip: new Set(), fixed: () => {} },
  { label: "SQS SendMessage", operation: sqsSchema.SendMessage, call: (input) => clients.sqs.sendMessage(input as never), skip: new Set(), fixed: () => {} },
];

function inputShape(operation: OperationSchema): StructureShape {
  if (!operation.input) throw new Error(`${operation.name} has no input`);
  return resolveShape(operation.input);
}

/** What HTTP can carry in a header value, and in a header name (validate.ts checks both). */
const headerSafe = (text: string): string => [...text].map((c) => (/^[\t\x20-\x7e\x80-\xff]$/.test(c) ? c : "x")).join("");
const tokenSafe = (text: string): string => [...text].map((c) => (/^[!#$%&'*+\-.^_`|~0-9A-Za-z]$/.test(c) ? c : "x")).join("");

/** Header-bound members made sendable, code point for code point (lengths stay as drawn). */
function sendableHeaders(shape: StructureShape, input: Record<string, unknown>): void {
  for (const view of membersOf(shape)) {
    const value = input[view.name];
    if (view.location === "header" && typeof value === "string") input[view.name] = headerSafe(value);
    if (view.location === "headers" && isRecord(value)) {
      input[view.name] = Object.fromEntries(Object.entries(value).map(([k, v]) => [tokenSafe(k), typeof v === "string" ? headerSafe(v) : v]));
    }
  }
}

function validInputs(target: Target): fc.Arbitrary<Record<string, unknown>> {
  const shape = inputShape(target.operation);
  const skip = (view: MemberView): boolean => target.skip.has(view.name) && !(shape.required ?? []).includes(view.name);
  return fc
    .tuple(valueOf(shape, { text: fc.string({ unit: "binary", maxLength: 12 }), mode: "input", maxDepth: 3, maxItems: 3, skip }), fc.nat())
    .map(([value, pick]) => {
      // A copy: fast-check hands the same values out again while it shrinks.
      const input = structuredClone(value) as Record<string, unknown>;
      sendableHeaders(shape, input);
      target.fixed(input, pick);
      return input;
    });
}

/** An input and the paths its defects are at (empty: the input is valid). */
function defectiveInputs(target: Target): fc.Arbitrary<{ input: Record<string, unknown>; paths: string[] }> {
  const shape = inputShape(target.operation);
  return fc
    .tuple(
      validInputs(target),
      fc.oneof({ weight: 1, arbitrary: fc.constant([]) }, { weight: 4, arbitrary: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { minLength: 1, maxLength: 3 }) }),
    )
    .map(([valid, wanted]) => {
      const input = structuredClone(valid);
      const paths: string[] = [];
      const root = { input };
      const sites: Site[] = [{ path: "input", holder: root as unknown as Record<string, unknown>, key: "input", shape, required: false, structure: undefined }];
      sitesOf(shape, input, "input", sites);
      for (const [where, which, pick] of wanted) {
        const site = sites[where % sites.length] as Site;
        const candidates = defectsFor(site);
        const defect = candidates[which % Math.max(1, candidates.length)];
        if (defect === undefined) continue;
        // Defects on one path, or on a path inside another's, would hide each other.
        if (paths.some((p) => site.path === p || site.path.startsWith(p + ".") || site.path.startsWith(p + "[") || p.startsWith(site.path + ".") || p.startsWith(site.path + "["))) continue;
        if (site.path === "input" && defect !== "unknown-member") continue;
        const path = applyDefect(site, defect, pick);
        if (path !== undefined) paths.push(path);
      }
      return { input: root.input, paths };
    });
}

/** The call's outcome and how many requests reached the server during it. */
async function send(target: Target, input: unknown): Promise<{ error: Error | undefined; sent: number }> {
  const before = server.requests.length;
  const result = await asyncOutcome(() => target.call(input as Record<string, unknown>), [StratusError]);
  return { error: result.ok ? undefined : result.error, sent: server.requests.length - before };
}

fuzzFamily("validation", (family) => {
  before(async () => {
    server = await startLoopbackServer((req, res) => {
      const target = req.headers["x-amz-target"];
      if (typeof target === "string") {
        res.writeHead(200, { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": "fuzz" });
        res.end(target.endsWith(".SendMessage") ? '{"MessageId":"m-1"}' : "{}");
      } else {
        res.writeHead(200, { etag: '"0"', "x-amz-request-id": "fuzz" });
        res.end();
      }
    });
    const common = { region: "us-east-1", endpoint: server.url, credentials: LOCAL_CREDENTIALS, env: {}, maxAttempts: 1 };
    clients = {
      s3: new S3({ ...common, endpointParams: { ForcePathStyle: true }, requestChecksumCalculation: "when_required" }),
      dynamodb: new DynamoDB(common),
      sqs: new SQS(common),
    };
  });
  after(async () => {
    await Promise.all([clients.s3.destroy(), clients.dynamodb.destroy(), clients.sqs.destroy()]);
    await server.close();
  });

  for (const target of TARGETS) {
    family.asyncProperty(`${target.label}: a defect is named in the ValidationError and nothing is sent; no defect, it is sent`, 150, fc.asyncProperty(defectiveInputs(target), async ({ input, paths }) => {
      const { error, sent } = await send(target, input);
      if (paths.length === 0) {
        assert.equal(error instanceof ValidationError, false, `a valid input was refused: ${error?.message}`);
        assert.equal(sent, 1, `a valid input was not sent${error ? `: ${error.name}: ${error.message}` : ""}`);
        return;
      }
      assert.ok(error instanceof ValidationError, `defects at ${paths.join(", ")} went through${error ? ` as ${error.name}: ${error.message}` : ""}`);
      assert.equal(sent, 0);
      const named = new Set(error.problems.map((p) => p.path));
      for (const path of paths) assert.ok(named.has(path), `${path} is not named; problems: ${JSON.stringify(error.problems)}`);
    }));

    family.asyncProperty(`${target.label}: anything at all is sent, or a ValidationError with nothing sent`, 80, fc.asyncProperty(
      fc.oneof(
        fc.anything({ maxDepth: 2 }),
        fc.tuple(validInputs(target), fc.constantFrom(...membersOf(inputShape(target.operation)).map((v) => v.name)), fc.anything({ maxDepth: 2 })).map(([input, name, value]) => ({ ...input, [name]: value })),
      ),
      async (input) => {
        const { error, sent } = await send(target, input);
        if (error instanceof ValidationError) assert.equal(sent, 0, "sent after a ValidationError");
        else assert.equal(sent, 1, `not validated, yet not sent: ${error?.name}: ${error?.message}`);
      },
    ));
  }
});

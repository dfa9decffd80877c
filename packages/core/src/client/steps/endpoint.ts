/**
 * The endpoint phase: which URL a call goes to and how it is signed there.
 *
 *   endpointParameters   the rule set's parameters, from four sources, later ones winning
 *                        (the Smithy precedence: built-ins < client context < operation):
 *                          1. built-ins from client config: Region, UseFIPS, UseDualStack,
 *                             Endpoint (a configured URL), found by the rule set's own
 *                             `builtIn` markers, since names differ between services
 *                          2. the client's `endpointParams` option (ForcePathStyle, Accelerate…)
 *                          3. input members marked `contextParam` (S3's Bucket, Key…)
 *                          4. the operation's `staticContextParams`
 *                        then the `endpointParams` hooks (service's, then client's) may edit them
 *   resolveCallEndpoint  runs the rule set and picks the signing scheme from `authSchemes`;
 *                        answers are cached per client by their parameters (as the v3 SDK's
 *                        EndpointCache does): S3's rule set takes ~20 µs to evaluate, the
 *                        cache key ~0.3 µs to build
 *   applyEndpoint        puts the URL on a request the protocol serialized without a host
 *
 * The protocol serializes against an empty endpoint, so its request carries only the
 * operation's part: a host prefix ("data." for some operations), the path and query.
 * `applyEndpoint` joins the URL's base path and the operation's path the way botocore's
 * `_urljoin` does ("/" adds nothing to a base path, so S3's path-style
 * `https://host/bucket` plus ListObjects' "/" stays "/bucket").
 */
import { builtInParameters, resolveEndpoint } from "../../endpoints/index.ts";
import { StratusError } from "../../errors/index.ts";
import type { EndpointParams, ParamValue, PartitionsData, ResolvedEndpoint, RuleSet } from "../../endpoints/index.ts";
import { cloneRequest, type HttpRequest } from "../../http/http-request.ts";
import type { Endpoint } from "../../protocols/protocol.ts";
import { membersOf, resolveShape } from "../../schema/normalize.ts";
import type { OperationSchema, ServiceSchema } from "../../schema/types.ts";
import type { HookContext, ServiceHooks } from "../hooks.ts";

/** Where a protocol serializes to before the endpoint is known (see the header). */
export const RELATIVE_ENDPOINT: Endpoint = Object.freeze({ protocol: "https:", hostname: "", path: "" });

/** How a request to this endpoint is signed. */
export type SigningTarget =
  | { readonly scheme: "none" }
  | {
      readonly scheme: "sigv4";
      /** The signing name ("s3", "sqs", "execute-api"…). */
      readonly name: string;
      readonly region: string;
      /** The rule set's `disableDoubleEncoding` (S3): sign the path as sent. */
      readonly disableDoubleEncoding: boolean;
    };

export interface CallEndpoint {
  readonly url: URL;
  /** Extra headers the rule set asks for. */
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly signing: SigningTarget;
  /** The rule set's answer as it was, for logs and presigning. */
  readonly resolved: ResolvedEndpoint;
}

/** What the endpoint phase needs from the client's settings. */
export interface EndpointSettings {
  readonly service: ServiceSchema;
  readonly ruleSet: RuleSet;
  readonly partitions: PartitionsData;
  readonly region: string;
  readonly endpointUrl: string | undefined;
  readonly useFips: boolean;
  readonly useDualStack: boolean;
  readonly clientParams: Readonly<Record<string, ParamValue>>;
  /** The client's resolved endpoints by parameters (see `EndpointCache`). */
  readonly cache: EndpointCache;
}

/** The last `capacity` rule-set answers, by their parameters; the oldest is dropped first. */
export class EndpointCache {
  readonly #entries = new Map<string, { readonly resolved: ResolvedEndpoint; readonly url: URL }>();
  readonly #capacity: number;

  constructor(capacity = 50) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  resolve(key: string, compute: () => { readonly resolved: ResolvedEndpoint; readonly url: URL }): { readonly resolved: ResolvedEndpoint; readonly url: URL } {
    const hit = this.#entries.get(key);
    if (hit) return hit;
    const entry = compute();
    if (this.#entries.size >= this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, entry);
    return entry;
  }
}

export function endpointParameters(
  settings: EndpointSettings,
  operation: OperationSchema,
  input: Readonly<Record<string, unknown>>,
  hooks: readonly ServiceHooks[],
  context: HookContext,
): EndpointParams {
  const builtIns = builtInParameters(settings.ruleSet);
  const params: Record<string, ParamValue> = {};
  const set = (builtIn: string, value: ParamValue): void => {
    const name = builtIns[builtIn];
    if (name !== undefined && value !== undefined) params[name] = value;
  };
  // 1. built-ins
  set("AWS::Region", settings.region);
  set("AWS::UseFIPS", settings.useFips);
  set("AWS::UseDualStack", settings.useDualStack);
  set("SDK::Endpoint", settings.endpointUrl);
  // 2. client context
  Object.assign(params, settings.clientParams);
  // 3. input members bound to parameters
  if (operation.input) {
    for (const view of membersOf(resolveShape(operation.input))) {
      const name = view.member.contextParam;
      const value = name === undefined ? undefined : asParam(input[view.name]);
      if (name !== undefined && value !== undefined) params[name] = value;
    }
  }
  // 4. fixed for the operation
  Object.assign(params, operation.staticContextParams ?? {});
  for (const hook of hooks) hook.endpointParams?.(params, context);
  return params;
}

export function resolveCallEndpoint(settings: EndpointSettings, operation: OperationSchema, params: EndpointParams): CallEndpoint {
  const { resolved, url } = settings.cache.resolve(JSON.stringify(params), () => {
    const answer = resolveEndpoint(settings.ruleSet, params, { partitions: settings.partitions });
    let parsed: URL;
    try {
      parsed = new URL(answer.url);
    } catch {
      throw new StratusError(`the endpoint rule set gave a URL that cannot be parsed for ${operation.name}`);
    }
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
      throw new StratusError(`the endpoint for ${operation.name} uses ${parsed.protocol}; only http: and https: can be sent`);
    }
    return { resolved: answer, url: parsed };
  });
  return { url, headers: resolved.headers, signing: signingTarget(settings, operation, resolved), resolved };
}

/** The request with the endpoint's scheme, host, port and base path. */
export function applyEndpoint(request: HttpRequest, endpoint: CallEndpoint): HttpRequest {
  const { url } = endpoint;
  const out = cloneRequest(request);
  out.protocol = url.protocol === "http:" ? "http:" : "https:";
  // URL keeps IPv6 literals in brackets; HttpRequest holds the bare address.
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  out.hostname = `${request.hostname}${host}`;
  out.port = url.port === "" ? undefined : Number(url.port);
  out.path = joinPath(url.pathname, request.path);
  for (const [name, values] of Object.entries(endpoint.headers)) out.headers[name.toLowerCase()] = values.join(",");
  return out;
}

/** botocore's `_urljoin`: "/" adds nothing to a base path; otherwise one "/" between them. */
function joinPath(base: string, path: string): string {
  if (path === "" || path === "/") return base === "" ? "/" : base;
  const trimmed = base.endsWith("/") ? base.slice(0, -1) : base;
  return `${trimmed}${path.startsWith("/") ? path : `/${path}`}`;
}

interface AuthScheme {
  readonly name?: unknown;
  readonly signingName?: unknown;
  readonly signingRegion?: unknown;
  readonly disableDoubleEncoding?: unknown;
}

/**
 * The operation's `auth: "none"` wins; otherwise the first of the endpoint's `authSchemes`
 * this core can sign (sigv4), with its signing name and region; with no `authSchemes` at
 * all, SigV4 with the service's signing name and the client's region.
 */
function signingTarget(settings: EndpointSettings, operation: OperationSchema, resolved: ResolvedEndpoint): SigningTarget {
  if (operation.auth === "none") return { scheme: "none" };
  const schemes = resolved.properties["authSchemes"];
  const fallback = { scheme: "sigv4", name: settings.service.signingName, region: settings.region, disableDoubleEncoding: false } as const;
  if (!Array.isArray(schemes) || schemes.length === 0) return fallback;
  for (const scheme of schemes as readonly AuthScheme[]) {
    if (scheme.name === "sigv4") {
      return {
        scheme: "sigv4",
        name: typeof scheme.signingName === "string" ? scheme.signingName : fallback.name,
        region: typeof scheme.signingRegion === "string" ? scheme.signingRegion : fallback.region,
        disableDoubleEncoding: scheme.disableDoubleEncoding === true,
      };
    }
    if (scheme.name === "none") return { scheme: "none" };
  }
  const names = (schemes as readonly AuthScheme[]).map((scheme) => String(scheme.name)).join(", ");
  throw new StratusError(`${operation.name}: the endpoint requires an auth scheme this client cannot sign with yet (${names})`);
}

function asParam(value: unknown): ParamValue {
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value as readonly string[];
  return undefined;
}

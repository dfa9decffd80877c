/**
 * The class every generated service client extends:
 *
 *   export class SQS extends ServiceClient {
 *     constructor(config?: ClientConfig) { super(definition, config); }
 *     sendMessage(input: SendMessageInput, options?: CallOptions) {
 *       return this.send<SendMessageOutput>(schema.SendMessage, input, options);
 *     }
 *   }
 *
 * Constructing one reads no file, opens no socket and imports nothing heavy: the settings
 * (through the session), the credentials and the HTTP pool are resolved on the first call
 * and then shared by every call of the client. `send` runs the pipeline (pipeline.ts);
 * `buildRequest` runs it up to the signed request without sending it; `presign` up to a
 * URL signed in its query (presign.ts).
 *
 * The transport is undici on Node.js and the platform's fetch elsewhere (transport.ts).
 * The pool lives until `destroy()` (or `await using client = new SQS()`), which closes its
 * sockets; a transport passed in as `http.handler` belongs to whoever made it and is left
 * open.
 */
import type { ChecksumSettings } from "../checksums/settings.ts";
import { StratusError } from "../errors/index.ts";
import type { HttpHandler } from "../http/http-handler.ts";
import type { OperationSchema } from "../schema/types.ts";
import type { CallOptions } from "./call-scope.ts";
import { ClockOffset } from "./clock.ts";
import type { ClientConfig } from "./config.ts";
import type { ServiceDefinition } from "./definition.ts";
import { buildRequest, invokeOperation, type BuiltRequest, type Output } from "./pipeline.ts";
import { operationsOf } from "./operations.ts";
import { operationNamed, presignOperation, type PresignedHttpRequest, type PresignOptions } from "./presign.ts";
import { resolveRuntime, type ClientRuntime } from "./runtime.ts";
import { createDefaultHttpHandler } from "#default-transport";

/**
 * The definition a client was built from, for tools that work beside the pipeline (the
 * test Stubber needs the service's error classes). Not on the class, so generated clients
 * show no extra member, and not exported from the main entry point.
 */
export function definitionOf(client: ServiceClient): ServiceDefinition {
  return readDefinition(client);
}

let readDefinition: (client: ServiceClient) => ServiceDefinition;

/** What `resolveConfig()` tells: the client's settings after every source was read. */
export interface ResolvedClientConfig extends ChecksumSettings {
  readonly region: string;
}

export class ServiceClient implements AsyncDisposable {
  static {
    readDefinition = (client) => client.#definition;
  }

  readonly #definition: ServiceDefinition;
  readonly #config: ClientConfig;
  readonly #clock = new ClockOffset();
  #http: HttpHandler | undefined;
  #runtime: Promise<ClientRuntime> | undefined;
  #destroyed = false;

  constructor(definition: ServiceDefinition, config: ClientConfig = {}) {
    this.#definition = definition;
    this.#config = config;
  }

  /** Sends one operation call: validated, signed, retried, parsed. */
  send<O extends object = Record<string, unknown>>(operation: OperationSchema, input: object, options?: CallOptions): Promise<Output<O>> {
    return invokeOperation<O>(() => this.#resolveRuntime(), operation, input, options);
  }

  /** The first attempt's signed request, exactly as `send` would send it; nothing is sent. */
  buildRequest(operation: OperationSchema, input: object, options?: CallOptions): Promise<BuiltRequest> {
    return buildRequest(() => this.#resolveRuntime(), operation, input, options);
  }

  /**
   * A URL that authorises one call of `operation` (its schema, or its name: "GetObject")
   * with this input until it expires (900 s by default, 7 days at most), signed with the
   * client's credentials; nothing is sent. See presign.ts.
   */
  presign(operation: OperationSchema | string, input: object, options?: PresignOptions): Promise<PresignedHttpRequest> {
    const find =
      typeof operation === "string"
        ? () => operationNamed(operationsOf(this, ServiceClient.prototype), operation, this.#definition.schema.serviceId)
        : () => operation;
    return presignOperation(() => this.#resolveRuntime(), find, input, options);
  }

  /**
   * The settings the client resolved from its config, the environment and the profile (on
   * first use, as a call would): what helpers beside the pipeline must agree with, such
   * as S3's upload(), which adds a default checksum exactly when the client's calls do.
   */
  async resolveConfig(): Promise<ResolvedClientConfig> {
    const runtime = await this.#resolveRuntime();
    return { region: runtime.endpoint.region, ...runtime.checksums };
  }

  /** Closes the client's connection pool. Calls made afterwards fail. */
  async destroy(): Promise<void> {
    this.#destroyed = true;
    const http = this.#http;
    this.#http = undefined;
    if (http && !this.#config.http?.handler) await http.destroy?.();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.destroy();
  }

  /** Resolved once; a failure (no region, a broken profile) is not kept, so the next call tries again. */
  #resolveRuntime(): Promise<ClientRuntime> {
    if (this.#destroyed) return Promise.reject(new StratusError("the client was destroyed; create a new one to send more requests"));
    this.#runtime ??= resolveRuntime(this.#definition, this.#config, { http: this.#transport(), clock: this.#clock }).catch(
      (error: unknown) => {
        this.#runtime = undefined;
        throw error;
      },
    );
    return this.#runtime;
  }

  #transport(): HttpHandler {
    const options = this.#config.http ?? {};
    this.#http ??= options.handler ?? createDefaultHttpHandler(options);
    return this.#http;
  }
}

/**
 * What a generated service package hands to the core: its schema, wire protocol, endpoint
 * rule set and error classes, plus the few customization hooks its hand-written folder
 * declares. The core never imports a service package; it only ever sees this object.
 *
 * The protocol travels as the module itself (the generated client imports, say,
 * `restXmlProtocol` from the core), not as a name looked up in the core's PROTOCOLS table:
 * a table that imports all six protocols would put all six in every bundle, where an app
 * that only calls S3 should carry rest-xml alone. PROTOCOLS stays for the conformance
 * harness and tools that pick a protocol by name.
 */
import type { RuleSet } from "../endpoints/index.ts";
import type { ServiceErrorClass } from "../errors/service-error.ts";
import type { Protocol } from "../protocols/protocol.ts";
import type { ServiceSchema } from "../schema/types.ts";
import type { ServiceHooks } from "./hooks.ts";

export interface ServiceDefinition {
  readonly schema: ServiceSchema;
  /** The module that speaks `schema.protocol` (e.g. `restXmlProtocol` for "rest-xml"). */
  readonly protocol: Protocol;
  readonly endpointRuleSet: RuleSet;
  /** The service's base error class (e.g. S3ServiceError): unmodelled codes use it. */
  readonly baseError: ServiceErrorClass;
  /** Modelled error classes by wire code (the shape name, or its `error.code` when set). */
  readonly errors: Readonly<Record<string, ServiceErrorClass>>;
  /** Service-specific behaviour, declared in the package's customizations folder. */
  readonly hooks?: ServiceHooks | undefined;
}

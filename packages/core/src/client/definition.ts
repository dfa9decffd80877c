/**
 * What a generated service package hands to the core: its schema, endpoint rule set and
 * error classes, plus the few customization hooks its hand-written folder declares. The
 * core never imports a service package; it only ever sees this object.
 */
import type { RuleSet } from "../endpoints/index.ts";
import type { ServiceErrorClass } from "../errors/service-error.ts";
import type { ServiceSchema } from "../schema/types.ts";
import type { ServiceHooks } from "./hooks.ts";

export interface ServiceDefinition {
  readonly schema: ServiceSchema;
  readonly endpointRuleSet: RuleSet;
  /** The service's base error class (e.g. S3ServiceError): unmodelled codes use it. */
  readonly baseError: ServiceErrorClass;
  /** Modelled error classes by wire code (the shape name, or its `error.code` when set). */
  readonly errors: Readonly<Record<string, ServiceErrorClass>>;
  /** Service-specific behaviour, declared in the package's customizations folder. */
  readonly hooks?: ServiceHooks | undefined;
}

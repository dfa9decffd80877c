/**
 * Endpoint resolution: from a service's endpoint rule set, the call's parameters and the
 * partitions document to the URL to send to, plus the properties (auth schemes, signing
 * name and region) the signer needs. An interpreter of the Smithy rules language, made
 * like botocore's `endpoint_provider.py`: self-contained, data in, endpoint out.
 *
 *   types.ts           the JSON documents it reads and the endpoint it returns
 *   rule-set.ts        compiles and checks a rule set once: parameters, rules, expressions
 *   resolve.ts         resolveEndpoint: binds parameters, evaluates rules (one evaluate each)
 *   library.ts         the standard library object: isSet … aws.partition, aws.parseArn
 *   built-ins.ts       which parameter each configured built-in (AWS::Region…) feeds
 *   endpoint-error.ts  EndpointError, with a reason: error rule, no match, bad parameter,
 *                      malformed rule set
 *   compact.ts         the compact JSON form generated packages ship their rule set in
 */
export { resolveEndpoint } from "./resolve.ts";
export type { EndpointResolveOptions } from "./resolve.ts";
export { EndpointError } from "./endpoint-error.ts";
export type { EndpointErrorReason } from "./endpoint-error.ts";
export { BUILT_INS, builtInParameters } from "./built-ins.ts";
export { compactRuleSet, expandRuleSet } from "./compact.ts";
export type { BuiltInName } from "./built-ins.ts";
// Names chosen to stay unambiguous when the core's root re-exports this file. The rule set
// document's own node types (Rule, Condition, Expression…) and the remaining library
// functions are in types.ts and library.ts for the few that need them.
export {
  isValidHostLabel,
  isVirtualHostableS3Bucket,
  parseArn,
  partition as awsPartition,
} from "./library.ts";
export type { ParsedArn } from "./library.ts";
export type {
  EndpointParams,
  ParameterSpec,
  ParameterType,
  ParamValue,
  PartitionData,
  PartitionOutputs,
  PartitionsData,
  ResolvedEndpoint,
  RuleSet,
} from "./types.ts";

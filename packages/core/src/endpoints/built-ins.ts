/**
 * Built-ins: the parameters whose values come from client configuration rather than from
 * the operation's input. A rule set marks them (`"Region": { "builtIn": "AWS::Region" }`),
 * and the parameter's name differs between services (S3's and STS's "UseGlobalEndpoint"
 * come from different built-ins), so the pipeline asks the rule set, not a fixed table,
 * which parameter to fill with each configured value.
 */
import { compileRuleSet } from "./rule-set.ts";
import type { RuleSet } from "./types.ts";

/** Every built-in the Smithy rules engine and its AWS extension define. */
export const BUILT_INS = [
  "SDK::Endpoint",
  "AWS::Region",
  "AWS::UseFIPS",
  "AWS::UseDualStack",
  "AWS::Auth::AccountId",
  "AWS::Auth::AccountIdEndpointMode",
  "AWS::Auth::CredentialScope",
  "AWS::S3::Accelerate",
  "AWS::S3::DisableMultiRegionAccessPoints",
  "AWS::S3::ForcePathStyle",
  "AWS::S3::UseArnRegion",
  "AWS::S3::UseGlobalEndpoint",
  "AWS::S3Control::UseArnRegion",
  "AWS::STS::UseGlobalEndpoint",
] as const;

export type BuiltInName = (typeof BUILT_INS)[number];

/**
 * The rule set's built-ins, each to the parameter it feeds:
 * `{ "AWS::Region": "Region", "SDK::Endpoint": "Endpoint", … }`. A built-in this engine
 * does not list still appears (newer rule sets may add some); its value is then simply
 * never supplied unless the caller knows it.
 */
export function builtInParameters(ruleSet: RuleSet): Readonly<Partial<Record<BuiltInName, string>> & Record<string, string>> {
  const out: Record<string, string> = {};
  for (const parameter of compileRuleSet(ruleSet).parameters) {
    if (parameter.builtIn !== undefined) out[parameter.builtIn] = parameter.name;
  }
  return Object.freeze(out);
}

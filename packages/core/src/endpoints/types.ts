/**
 * The shapes the endpoint resolver reads and returns. Two kinds live here:
 *
 *   - the input documents, exactly as AWS publishes them: a service's rule set
 *     (`endpoint-rule-set-1.json`) and the shared `partitions.json`. They arrive as plain
 *     data from whoever loaded them (a generated package embeds them; tests read them from
 *     disk), so these types describe JSON and the compiler in `rule-set.ts` still checks
 *     every field it relies on;
 *   - the values the interpreter passes around (`Value`) and what it hands back
 *     (`ResolvedEndpoint`).
 */

// ---- values ---------------------------------------------------------------------------

/**
 * Anything an expression can evaluate to: parameter values, literals, and the records that
 * library functions build (`parseURL`, `aws.partition`, `aws.parseArn`). `undefined` is the
 * rules language's "unset" (an empty optional); there is no `null`.
 */
export type Value = string | boolean | number | readonly Value[] | ValueRecord | undefined;
export interface ValueRecord {
  readonly [key: string]: Value;
}

/** What a caller may pass for one parameter: the three parameter types, or unset. */
export type ParamValue = string | boolean | readonly string[] | undefined;
export type EndpointParams = Readonly<Record<string, ParamValue>>;

// ---- the rule set document --------------------------------------------------------------

export type ParameterType = "string" | "boolean" | "stringArray";

export interface ParameterSpec {
  readonly type: ParameterType;
  readonly required?: boolean;
  readonly default?: string | boolean | readonly string[];
  /** e.g. "AWS::Region": the caller sources the value from client configuration. */
  readonly builtIn?: string;
  readonly documentation?: string;
  readonly deprecated?: { readonly message?: string; readonly since?: string };
}

export interface Reference {
  readonly ref: string;
}

export interface FunctionCall {
  readonly fn: string;
  readonly argv: readonly Expression[];
}

/**
 * An expression: a literal (strings may be templates such as "https://{Region}.x"), a
 * reference to a parameter or assigned variable, a function call, or an array / record of
 * expressions (endpoint properties are written this way).
 */
export type Expression =
  | string
  | boolean
  | number
  | Reference
  | FunctionCall
  | readonly Expression[]
  | { readonly [key: string]: Expression };

export interface Condition extends FunctionCall {
  /** Binds the function's result to this name for later conditions and sub-rules. */
  readonly assign?: string;
}

interface RuleBase {
  readonly conditions: readonly Condition[];
  readonly documentation?: string;
}

export interface EndpointRule extends RuleBase {
  readonly type: "endpoint";
  readonly endpoint: {
    readonly url: Expression;
    readonly properties?: { readonly [key: string]: Expression };
    readonly headers?: { readonly [name: string]: readonly Expression[] };
  };
}

export interface ErrorRule extends RuleBase {
  readonly type: "error";
  readonly error: Expression;
}

export interface TreeRule extends RuleBase {
  readonly type: "tree";
  readonly rules: readonly Rule[];
}

export type Rule = EndpointRule | ErrorRule | TreeRule;

export interface RuleSet {
  readonly version: string;
  readonly parameters: { readonly [name: string]: ParameterSpec };
  readonly rules: readonly Rule[];
}

// ---- partitions.json --------------------------------------------------------------------

/** What `aws.partition` returns; a region entry may override any of these. */
export interface PartitionOutputs {
  readonly name: string;
  readonly dnsSuffix: string;
  readonly dualStackDnsSuffix: string;
  readonly supportsFIPS: boolean;
  readonly supportsDualStack: boolean;
  readonly implicitGlobalRegion?: string;
  readonly [key: string]: string | boolean | undefined;
}

export interface PartitionData {
  readonly id: string;
  readonly regionRegex: string;
  readonly regions: { readonly [region: string]: { readonly description?: string; readonly [key: string]: unknown } };
  readonly outputs: PartitionOutputs;
}

export interface PartitionsData {
  readonly version?: string;
  readonly partitions: readonly PartitionData[];
}

// ---- the result -----------------------------------------------------------------------

export interface ResolvedEndpoint {
  readonly url: string;
  /** Extra transport headers the rule set asks for (rare); each name maps to its values. */
  readonly headers: Record<string, string[]>;
  /**
   * Everything else the rule attached, e.g. `authSchemes`: a list of
   * `{ name: "sigv4", signingName, signingRegion, disableDoubleEncoding }` objects.
   */
  readonly properties: Record<string, unknown>;
}

/**
 * The one error endpoint resolution throws. `reason` says which of four things went wrong,
 * because a caller reacts differently to each: an `error` rule matched (the message is the
 * rule set's own words, meant for the user: "Invalid Configuration: Missing Region"); no
 * rule matched; a parameter was missing or of the wrong type; or the rule set / partitions
 * document itself is malformed (a bug in the data, not in the call).
 */
import { StratusError } from "../errors/index.ts";

export type EndpointErrorReason = "error-rule" | "no-rule-matched" | "invalid-parameter" | "invalid-rule-set";

export class EndpointError extends StratusError {
  override name = "EndpointError";
  readonly reason: EndpointErrorReason;
  constructor(reason: EndpointErrorReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

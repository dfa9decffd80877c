/**
 * What `#undici` (packages/core/package.json "imports") resolves to outside the "node"
 * condition: in a bundle made for Workers or browsers, instead of undici itself, which
 * would bring ~500 KB of Node-only code that never runs there. The client never gets
 * here on such a runtime (platform.ts sends it to fetch-handler.ts); a caller who builds a
 * Node handler by hand gets this error instead of a crash inside undici.
 */
import { StratusError } from "../errors/index.ts";

/** Marks this stand-in, so a caller can tell it from the real undici. */
export const unavailable = "undici is not part of this build (it was bundled without the \"node\" condition)";

function fail(): never {
  throw new StratusError(`${unavailable}; use createFetchHttpHandler() as the client's http.handler`);
}

export class Agent {
  constructor() {
    fail();
  }
}

export function request(): never {
  return fail();
}

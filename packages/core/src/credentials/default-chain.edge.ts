/**
 * The default credential chain of the browser and Worker build, chosen by the package's
 * `#default-credential-chain` import for the `browser`, `worker` and `workerd` conditions
 * (Node.js, Bun and Deno get default-chain.ts):
 *
 *   1. explicit      keys the caller passed in code
 *   2. environment   AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN…, where
 *                    the runtime has a `process.env` (Workers with nodejs_compat and
 *                    populated variables); skipped when a profile is named, as on Node
 *
 * The Node chain's other links read ~/.aws, run processes or call the container and
 * instance-metadata endpoints: a page or a Worker has none of those, and carrying their
 * code (with the Node transports, a fifth of a small app's browser bundle) would only
 * make the failure slower. When both links come up empty, the error says to pass
 * `credentials` (keys or any provider, such as one that fetches them from the
 * application's own backend).
 *
 * The options and the exports are the Node chain's, so code written against one builds
 * against the other.
 */
import { CredentialsNotFound } from "../errors/index.ts";
import { processEnv } from "../platform/index.ts";
import { cacheCredentials, type CachedCredentialProvider } from "./cache.ts";
import { chainProviders } from "./chain.ts";
import type { Credentials } from "./credentials.ts";
import type { defaultCredentialChain as nodeChain, defaultCredentialProvider as nodeProvider, DefaultCredentialOptions } from "./default-chain.ts";
import type { CredentialProvider, Env, ResolveOptions } from "./provider.ts";
import { fromEnvironment } from "./providers/environment.ts";
import { fromStatic } from "./providers/static.ts";

export type { DefaultCredentialOptions } from "./default-chain.ts";

/** The chain, cached: what a Session or client uses. */
export const defaultCredentialProvider: typeof nodeProvider = (options: DefaultCredentialOptions = {}): CachedCredentialProvider =>
  cacheCredentials(defaultCredentialChain(options), { now: options.now });

/** The chain without a cache (every resolve walks it again). */
export const defaultCredentialChain: typeof nodeChain = (options: DefaultCredentialOptions = {}): CredentialProvider => {
  const env: Env = options.env ?? processEnv();
  // Built now, so half-filled keys in code fail where they were written.
  const explicit = options.credentials ? fromStatic(options.credentials) : undefined;
  const links: CredentialProvider[] = [];
  if (explicit) links.push(explicit);
  if (!options.profile) links.push(fromEnvironment({ env }));
  links.push(NOT_IN_THIS_BUILD);
  const chain = chainProviders(links, { name: "default" });
  return { name: "default", resolve: (resolveOptions: ResolveOptions = {}): Promise<Credentials> => chain.resolve(resolveOptions) };
};

const NOT_IN_THIS_BUILD: CredentialProvider = {
  name: "browser and Worker build",
  resolve(): Promise<Credentials> {
    return Promise.reject(new CredentialsNotFound(
      "browser and Worker build",
      "shared files, SSO, credential_process, container and instance-metadata credentials are not looked for here; pass `credentials` (keys or a provider) to the client or Session",
    ));
  },
};

/**
 * What a section header of the shared *config* file names. botocore splits the header the
 * way a POSIX shell splits words (`shlex.split`), so `[profile "my dev"]` is the profile
 * `my dev`, and a header that does not split into exactly two words is not a profile at all.
 *
 * Two choices differ from botocore, both to stop a typo from quietly meaning something:
 * the first word must be exactly `profile` / `sso-session` / `services` (botocore only checks
 * the prefix, so `[profiles x]` would be profile `x` there), and an empty name is ignored.
 * The credentials file does not come through here: its headers are profile names as written.
 */
import { shellSplit } from "./shell-words.ts";

export type ConfigSectionKind =
  | { readonly kind: "default" }
  | { readonly kind: "profile" | "sso-session" | "services"; readonly name: string };

const PREFIXED = new Set(["profile", "sso-session", "services"]);

/** undefined for a header the SDK does not read (`[preview]`, `[plugins]`, malformed names). */
export function classifyConfigSection(header: string): ConfigSectionKind | undefined {
  if (header === "default") return { kind: "default" };
  const words = shellWords(header);
  if (!words || words.length !== 2) return undefined;
  const [kind, name] = words;
  if (kind === undefined || name === undefined || name === "" || !PREFIXED.has(kind)) return undefined;
  return { kind: kind as "profile" | "sso-session" | "services", name };
}

/** Words of a header, or undefined for an unclosed quote or trailing backslash (botocore skips those). */
export function shellWords(text: string): string[] | undefined {
  try {
    return shellSplit(text);
  } catch {
    return undefined;
  }
}


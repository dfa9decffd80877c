/**
 * Loads `~/.aws/config` and `~/.aws/credentials` into one read-only view, with botocore's
 * rules for which file is where and which section means what.
 *
 * - Paths: AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, else `<home>/.aws/…`; a leading
 *   `~` means the resolved home (never the real one when a test passes its own HOME).
 * - A file that does not exist is empty, as in botocore; one that exists but cannot be read
 *   (a directory, no permission, not UTF-8) is a ConfigError, because botocore's silence
 *   there turns into a baffling "no credentials" much later.
 * - Config file: `[default]` and `[profile x]` are profiles, `[sso-session x]` and
 *   `[services x]` have their own maps, other sections are ignored. If `[profile default]`
 *   exists it is the default profile and every `[default]` is ignored (the shared-config
 *   rule of the AWS SDKs; botocore's own answer depends on the order in the file).
 *   Two headers naming the same thing (`[profile a]`, `[profile "a"]`, or a repeat) merge,
 *   the setting written last in the file winning.
 * - Credentials file: every section is a profile named exactly as written.
 * - `profile(name)` overlays the credentials-file settings on the config-file ones, key by
 *   key and one level deep, which is botocore's `dict.update` in `Session.full_config`.
 *
 * Everything returned is frozen, and each section remembers the file and line of every
 * setting (see origin.ts) so that later validation errors can point at them.
 */
import type { Env } from "../credentials/provider.ts";
import { ConfigError } from "../errors/index.ts";
import { nodeBuiltin } from "../platform/index.ts";
import { recordOrigin, type SettingLocation } from "./origin.ts";
import { parseIni, type IniSection, type IniSetting } from "./parse-ini.ts";
import { classifyConfigSection } from "./section-names.ts";

/** A section's settings; a nested block (`s3 =` + indented lines) is an object. */
export type SectionValues = Readonly<Record<string, string | Readonly<Record<string, string>>>>;

export interface SharedConfig {
  /** Path used (may not exist). */
  readonly configFile: string;
  /** Path used (may not exist). */
  readonly credentialsFile: string;
  /** From the config file: `[default]` and `[profile x]`. */
  readonly configProfiles: ReadonlyMap<string, SectionValues>;
  /** From the credentials file: `[x]`. */
  readonly credentialProfiles: ReadonlyMap<string, SectionValues>;
  /** `[sso-session x]` from the config file. */
  readonly ssoSessions: ReadonlyMap<string, SectionValues>;
  /** `[services x]` from the config file, e.g. `{ s3: { endpoint_url: "…" } }`. */
  readonly services: ReadonlyMap<string, SectionValues>;
  /** Config-file values overlaid with credentials-file values (botocore's merge); undefined if in neither. */
  profile(name: string): SectionValues | undefined;
}

/** HOME, then USERPROFILE, then HOMEDRIVE+HOMEPATH, then the OS's answer. Empty counts as unset. */
export function resolveHomeDir(env: Env): string {
  if (env["HOME"]) return env["HOME"];
  if (env["USERPROFILE"]) return env["USERPROFILE"];
  if (env["HOMEPATH"]) return `${env["HOMEDRIVE"] ?? ""}${env["HOMEPATH"]}`;
  // A runtime without node:os (a Worker without nodejs_compat) has no home and no files.
  return nodeBuiltin("node:os")?.homedir() ?? "";
}

/** The two paths loadSharedConfig reads, without reading them. */
export function sharedConfigPaths(options: { env: Env; homeDir?: string | undefined }): {
  configFile: string;
  credentialsFile: string;
} {
  const { env } = options;
  const home = (): string => options.homeDir ?? resolveHomeDir(env);
  const pick = (variable: string, fallback: string): string => {
    const path = env[variable] || joinPath(home(), ".aws", fallback);
    return /^~(?=$|[/\\])/.test(path) ? home() + path.slice(1) : path;
  };
  return { configFile: pick("AWS_CONFIG_FILE", "config"), credentialsFile: pick("AWS_SHARED_CREDENTIALS_FILE", "credentials") };
}

export async function loadSharedConfig(options: { env: Env; homeDir?: string | undefined }): Promise<SharedConfig> {
  const { configFile, credentialsFile } = sharedConfigPaths(options);
  const [configText, credentialsText] = await Promise.all([readIfPresent(configFile), readIfPresent(credentialsFile)]);

  const grouped = groupConfigSections(parseIni(configText, configFile), configFile);
  const fromCredentials = new Map<string, Settings>();
  for (const section of parseIni(credentialsText, credentialsFile)) {
    fromCredentials.set(section.name, locate(section.settings, credentialsFile));
  }

  const configProfiles = freezeAll(grouped.profiles, "profile");
  const credentialProfiles = freezeAll(fromCredentials, "profile");
  const merged = new Map<string, SectionValues>();
  for (const name of new Set([...configProfiles.keys(), ...credentialProfiles.keys()])) {
    const base = grouped.profiles.get(name);
    const over = fromCredentials.get(name);
    const single = !over ? configProfiles.get(name) : !base ? credentialProfiles.get(name) : undefined;
    merged.set(name, single ?? freezeSection(`profile "${name}"`, new Map([...(base ?? []), ...(over ?? [])])));
  }

  return Object.freeze({
    configFile,
    credentialsFile,
    configProfiles,
    credentialProfiles,
    ssoSessions: freezeAll(grouped.ssoSessions, "sso-session"),
    services: freezeAll(grouped.services, "services"),
    profile: (name: string) => merged.get(name),
  });
}

/** node:path's join where there is one (Windows separators), "/" elsewhere. */
function joinPath(...parts: string[]): string {
  return nodeBuiltin("node:path")?.join(...parts) ?? parts.join("/");
}

async function readIfPresent(path: string): Promise<string> {
  const readFile = await fileReader();
  // A runtime without a file system (a Worker without nodejs_compat) reads no shared
  // files, as if neither existed.
  if (!readFile) return "";
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return "";
    throw new ConfigError(`cannot read ${path}: ${code ?? String(error)}`, { cause: error });
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    throw new ConfigError(`${path} is not valid UTF-8`, { cause: error });
  }
}

/**
 * node:fs's readFile. Through `nodeBuiltin` where it can be: node:fs is loaded with Node
 * itself, while `import("node:fs/promises")` costs a few milliseconds of every client's
 * first call (the module, and the ES module view Node builds of it).
 */
async function fileReader(): Promise<((path: string) => Promise<Uint8Array>) | undefined> {
  const fs = nodeBuiltin("node:fs");
  if (fs) {
    return (path) =>
      new Promise((resolve, reject) => fs.readFile(path, (error, data) => (error ? reject(error) : resolve(data))));
  }
  const promises = await import("node:fs/promises").catch(() => undefined);
  return promises ? (path) => promises.readFile(path) : undefined;
}

interface Located extends IniSetting {
  readonly file: string;
}

/** Settings of one section, each remembering its file (the line is already there). */
type Settings = ReadonlyMap<string, Located>;

function locate(settings: ReadonlyMap<string, IniSetting>, file: string): Settings {
  return new Map([...settings].map(([key, setting]) => [key, { ...setting, file }] as const));
}

function groupConfigSections(
  sections: readonly IniSection[],
  file: string,
): { profiles: Map<string, Settings>; ssoSessions: Map<string, Settings>; services: Map<string, Settings> } {
  const profiles = new Map<string, Settings>();
  const ssoSessions = new Map<string, Settings>();
  const services = new Map<string, Settings>();
  let bareDefault: Settings | undefined;
  for (const section of sections) {
    const what = classifyConfigSection(section.name);
    if (!what) continue;
    const settings = locate(section.settings, file);
    if (what.kind === "default") {
      bareDefault = mergeByLine(bareDefault, settings);
      continue;
    }
    const target = what.kind === "profile" ? profiles : what.kind === "sso-session" ? ssoSessions : services;
    target.set(what.name, mergeByLine(target.get(what.name), settings));
  }
  if (bareDefault && !profiles.has("default")) profiles.set("default", bareDefault);
  return { profiles, ssoSessions, services };
}

/** Two spellings of one section: per key, the setting written later in the file wins. */
function mergeByLine(base: Settings | undefined, next: Settings): Settings {
  if (!base) return next;
  const out = new Map(base);
  for (const [key, setting] of next) {
    const previous = out.get(key);
    if (!previous || previous.line < setting.line) out.set(key, setting);
  }
  return out;
}

function freezeAll(sections: ReadonlyMap<string, Settings>, kind: string): ReadonlyMap<string, SectionValues> {
  return new Map([...sections].map(([name, settings]) => [name, freezeSection(`${kind} "${name}"`, settings)] as const));
}

function freezeSection(label: string, settings: Settings): SectionValues {
  // fromEntries defines own properties, so even a key named "__proto__" stays plain data.
  const values: SectionValues = Object.freeze(Object.fromEntries([...settings].map(([key, s]) => [key, s.value] as const)));
  const where = new Map<string, SettingLocation>();
  for (const [key, setting] of settings) {
    where.set(key, { file: setting.file, line: setting.line });
    if (typeof setting.value !== "string" && setting.nestedLines) {
      const nested = new Map<string, SettingLocation>();
      for (const [inner, line] of setting.nestedLines) nested.set(inner, { file: setting.file, line });
      recordOrigin(setting.value, { label: `the "${key}" block of ${label}`, settings: nested });
    }
  }
  recordOrigin(values, { label, settings: where });
  return values;
}

/**
 * The shared config and credentials files: the INI reader (config/parse-ini.ts), the
 * section-name splitter, the whole loader on real files (shared-config.ts), and the
 * settings resolved from a profile (region, retries, compression, endpoint URL and
 * flags). Allowed outcomes: a result, or a `ConfigFileError` whose 1-based line is inside
 * the file (the reader), a `ConfigError` (the loader and the resolvers).
 *
 * - random text, and random files made of the format's own lines (headers, options,
 *   continuations, nested blocks, comments, junk), each under any indentation
 * - round trip: a file written from random sections, keys and values (multi-line values,
 *   nested blocks, comments and blank lines between them, CRLF or LF) parses to exactly
 *   those settings, later keys and repeated sections merging as documented
 * - one bad line put into a valid file is reported at exactly its line, and the message
 *   never contains a value from the file (a value may be a secret key)
 * - the loader, on temp files only (never ~/.aws): any pair of files gives a config or a
 *   ConfigError, and looking up any profile name in it never throws
 * - profile values of any text through the setting resolvers: a value or a ConfigError
 */
import assert from "node:assert/strict";
import { after } from "node:test";
import fc from "fast-check";
import { resolveCompressionSettings } from "../../packages/core/src/config/compression.ts";
import { resolveEndpointFlags, resolveEndpointUrl } from "../../packages/core/src/config/endpoint.ts";
import { parseIni, type IniSection } from "../../packages/core/src/config/parse-ini.ts";
import { resolveRegion } from "../../packages/core/src/config/resolve.ts";
import { resolveRetryConfig } from "../../packages/core/src/config/retry.ts";
import { classifyConfigSection } from "../../packages/core/src/config/section-names.ts";
import { loadSharedConfig, type SectionValues } from "../../packages/core/src/config/shared-config.ts";
import { ConfigError, ConfigFileError } from "../../packages/core/src/errors/index.ts";
import { tempHome } from "../../packages/core/test/support/temp-home.ts";
import { asyncOutcome, fuzzFamily, outcome } from "./property.ts";

/** One line of text: anything but a line break. */
const lineText = (maxLength: number) => fc.string({ unit: "binary", maxLength }).map((s) => s.replace(/[\r\n]/g, ""));
const indent = fc.constantFrom("", "", "", " ", "  ", "\t", "    ");

const INI_LINES = fc.oneof(
  fc.tuple(indent, lineText(10)).map(([i, name]) => `${i}[${name}]`),
  fc.tuple(indent, lineText(8), fc.constantFrom("=", ":", " = ", ": "), lineText(12)).map(([i, k, sep, v]) => `${i}${k}${sep}${v}`),
  fc.tuple(indent, fc.constantFrom("#", ";"), lineText(12)).map(([i, c, t]) => `${i}${c}${t}`),
  fc.constantFrom("", "[default]", "[profile a]", "[profile \"a b\"]", "[sso-session s]", "[services x]", "s3 =", "  addressing_style = path", "[", "]", "[]", "=", ":", "junk", "\uFEFF[default]"),
  lineText(20),
);
const iniFiles = fc
  .tuple(fc.array(INI_LINES, { maxLength: 20 }), fc.constantFrom("\n", "\r\n", "\r"))
  .map(([lines, eol]) => lines.join(eol));

// ---- well-formed files, and what they must parse to ------------------------------------

interface Option {
  readonly key: string;
  readonly value: string | ReadonlyArray<readonly [string, string]>;
}

const sectionName = lineText(12).map((s) => s.trim()).filter((s) => s !== "" && !s.startsWith("#") && !s.startsWith(";"));
/** Keys as written: no "=", ":" or leading comment/section characters; lower-cased on reading. */
const key = lineText(10).map((s) => s.trim()).filter((s) => s !== "" && !/[=:]/.test(s) && !/^[#;[]/.test(s));
const value = lineText(14).map((s) => s.trim()).filter((s) => s !== "");
const nestedKey = lineText(10).map((s) => s.trim()).filter((s) => s !== "" && !s.includes("=") && !/^[#;]/.test(s));

const option: fc.Arbitrary<Option> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ key, value: fc.oneof(value, fc.constant("")) }) },
  // An indented line starting with "#" or ";" is a comment, as in configparser, not a continuation.
  { weight: 1, arbitrary: fc.record({ key, value: fc.tuple(value, fc.array(value.filter((v) => !/^[#;]/.test(v)), { minLength: 1, maxLength: 2 })).map(([first, rest]) => [first, ...rest].join("\n")) }) },
  { weight: 1, arbitrary: fc.record({ key, value: fc.array(fc.tuple(nestedKey, fc.oneof(value, fc.constant(""))), { minLength: 1, maxLength: 3 }) }) },
);

const sections = fc.array(fc.record({ name: sectionName, options: fc.array(option, { maxLength: 4 }) }), { maxLength: 4 });

function writeFile(list: ReadonlyArray<{ name: string; options: readonly Option[] }>, eol: string, noise: boolean): string {
  const lines: string[] = [];
  for (const section of list) {
    lines.push(`[${section.name}]`);
    if (noise) lines.push("# a comment", "");
    for (const o of section.options) {
      if (typeof o.value === "string") {
        const [first, ...rest] = o.value.split("\n");
        lines.push(`${o.key} = ${first ?? ""}`, ...rest.map((part) => `  ${part}`));
      } else {
        lines.push(`${o.key} =`, ...o.value.map(([k, v]) => `  ${k} = ${v}`));
      }
      if (noise) lines.push(";", "");
    }
  }
  return lines.join(eol);
}

type Parsed = Array<[string, Array<[string, unknown]>]>;

/** What parseIni must give: sections by first appearance, keys lower-cased, the last value winning. */
function expectedOf(list: ReadonlyArray<{ name: string; options: readonly Option[] }>): Parsed {
  const out = new Map<string, Map<string, unknown>>();
  for (const section of list) {
    const settings = out.get(section.name) ?? new Map<string, unknown>();
    out.set(section.name, settings);
    for (const o of section.options) {
      // A Map keeps the first position of a key, as the reader does.
      settings.set(o.key.toLowerCase(), typeof o.value === "string" ? o.value : Object.fromEntries(o.value));
    }
  }
  return [...out].map(([name, settings]) => [name, [...settings]]);
}

function plain(parsed: readonly IniSection[]): Parsed {
  return parsed.map((section) => [section.name, [...section.settings].map(([k, s]) => [k, typeof s.value === "string" ? s.value : { ...s.value }])]);
}

const BAD_LINES = ["junk", "[no closing bracket", "[]", "[   ]", "= value", ": value"] as const;

// ---- setting resolvers -----------------------------------------------------------------

const SETTINGS = ["region", "max_attempts", "retry_mode", "disable_request_compression", "request_min_compression_size_bytes", "endpoint_url", "use_fips_endpoint", "use_dualstack_endpoint", "ignore_configured_endpoint_urls", "services"];
const settingText = fc.oneof(lineText(20), fc.constantFrom("", "0", "-1", "1e3", "10485761", "true", "TRUE", "false ", "standard", "adaptive", "legacy", "http://localhost:4566", "https://", "ftp://x", "not a url", "us-east-1", "US-EAST-1", "us-east-1#"));
const profiles = fc.dictionary(fc.constantFrom(...SETTINGS), settingText, { noNullPrototype: true }) as fc.Arbitrary<SectionValues>;

fuzzFamily("ini", (family) => {
  family.property("random text is sections or a ConfigFileError inside the file", 1500, fc.property(fc.oneof(lineText(200), fc.string({ unit: "binary", maxLength: 200 }), iniFiles), (text) => {
    const result = outcome(() => parseIni(text, "fuzz.ini"), [ConfigFileError]);
    if (!result.ok) {
      const error = result.error as ConfigFileError;
      const lineCount = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/).length;
      assert.ok(error.line >= 1 && error.line <= lineCount, `line ${error.line} of ${lineCount}`);
      assert.equal(error.file, "fuzz.ini");
    }
  }));

  family.property("a written file parses to its sections and settings", 800, fc.property(sections, fc.constantFrom("\n", "\r\n"), fc.boolean(), (list, eol, noise) => {
    assert.deepStrictEqual(plain(parseIni(writeFile(list, eol, noise), "fuzz.ini")), expectedOf(list));
  }));

  family.property("one bad line is reported at its line, without quoting the file", 800, fc.property(
    sections.filter((list) => list.length > 0),
    fc.nat(),
    fc.constantFrom(...BAD_LINES),
    fc.stringMatching(/^[A-Za-z0-9]{6,12}$/),
    (list, at, bad, secret) => {
      // Every value carries the marker, so any quoting of the file would show it.
      const marked = list.map((s) => ({ ...s, options: [...s.options, { key: "aws_secret_access_key", value: `SECRET${secret}` }] }));
      const lines = writeFile(marked, "\n", false).split("\n");
      // Unindented, so it ends any value it lands in and is read as a line of its own.
      const where = at % (lines.length + 1);
      lines.splice(where, 0, bad);
      const result = outcome(() => parseIni(lines.join("\n"), "fuzz.ini"), [ConfigFileError]);
      assert.ok(!result.ok, `bad line ${JSON.stringify(bad)} at ${where + 1} was accepted`);
      const error = result.error as ConfigFileError;
      assert.equal(error.line, where + 1);
      assert.ok(!error.message.includes("SECRET"), error.message);
    },
  ));

  family.property("any section header classifies or is ignored, never throws", 1000, fc.property(fc.oneof(lineText(30), fc.constantFrom("profile", "profile \"a", "profile a\\", "profile 'a b'", "sso-session  x", "services")), (header) => {
    const kind = outcome(() => classifyConfigSection(header), []);
    if (kind.ok && kind.value && kind.value.kind !== "default") assert.notEqual(kind.value.name, "");
  }));

  family.property("profile values of any text give a setting or a ConfigError", 800, fc.property(profiles, (profile) => {
    const env = {};
    outcome(() => resolveRegion({ env, profile }), [ConfigError]);
    outcome(() => resolveRetryConfig({ env, profile }), [ConfigError]);
    outcome(() => resolveCompressionSettings({ env, profile }), [ConfigError]);
    outcome(() => resolveEndpointFlags({ env, profile }), [ConfigError]);
  }));

  const home = tempHome();
  after(() => home.remove());
  let files = 0;
  family.asyncProperty("the loader on any pair of files: a config whose profiles can all be looked up, or a ConfigError", 120, fc.asyncProperty(
    iniFiles,
    iniFiles,
    fc.array(fc.oneof(lineText(10), fc.constantFrom("default", "a", "a b", "__proto__", "constructor", "s")), { maxLength: 4 }),
    async (config, credentials, names) => {
      // Fresh paths per case: nothing is cached between cases, and nothing is the real ~/.aws.
      files++;
      const env = {
        AWS_CONFIG_FILE: home.write(`c${files}`, config),
        AWS_SHARED_CREDENTIALS_FILE: home.write(`k${files}`, credentials),
      };
      const result = await asyncOutcome(() => loadSharedConfig({ env, homeDir: home.dir }), [ConfigError]);
      if (!result.ok) return;
      const shared = result.value;
      for (const name of [...names, ...shared.configProfiles.keys(), ...shared.credentialProfiles.keys()]) {
        const profile = outcome(() => shared.profile(name), []);
        if (profile.ok && profile.value) {
          assert.equal(Object.getPrototypeOf(profile.value), Object.prototype);
          outcome(() => resolveEndpointUrl({ serviceId: "S3", env: {}, profile: profile.value, config: shared }), [ConfigError]);
        }
      }
    },
  ));
});

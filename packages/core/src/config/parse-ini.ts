/**
 * The INI dialect of the AWS shared files, read the way botocore reads it: Python's
 * `configparser.RawConfigParser` plus botocore's one level of nested settings.
 *
 * Why not `ini.decode`: the `ini` package is a different dialect, and on these files it is
 * wrong in ways no pre-processing can fix without re-implementing this grammar first.
 * Measured on ini 5.0.0, it
 *   - cuts values at an unescaped `#` or `;` (botocore keeps `a#b` whole);
 *   - turns dotted section names into nesting: `[profile my.dev]` becomes `profile my` → `dev`;
 *   - turns `true`/`false`/`null` into non-strings, unquotes `"x"`, and makes `k[]` an array;
 *   - has no `key: value`, no indented continuation, so `s3 =\n  x = y` flattens into the section;
 *   - skips or keeps malformed lines silently (`junk` becomes `junk: true`) and splits lines
 *     on `[\r\n]+`, so it cannot even report a line number.
 * So this reader is written line by line against configparser's rules, and `ini` is used
 * nowhere in the config area; the grammar is small and every rule below is tested.
 *
 * The rules kept from configparser:
 *   - A comment is a whole line whose first non-blank character is `#` or `;`. Anything
 *     after a value's first character is part of the value (no inline comments).
 *   - An option is `key = value` or `key: value`, split at the first `=` or `:`. Keys are
 *     lower-cased, keys and values trimmed.
 *   - A line indented deeper than its option line continues that option's value; blank and
 *     comment lines do not end it. A value that starts empty and continues is botocore's
 *     nested block: each continuation line must be `key = value` (split at `=` only, keys kept
 *     as written) and the whole value becomes an object.
 *   - `[name]` opens a section; text after the last `]` is ignored, as configparser does.
 * Deliberate differences, each stricter or kinder and never silently different:
 *   - configparser's strict mode rejects a repeated section or key; here the repeats merge and
 *     the later line wins (what the other AWS SDKs do). Callers see one section per name.
 *   - configparser's `[DEFAULT]` section is not special here.
 *   - Errors carry the 1-based line (`ConfigFileError`), and a leading UTF-8 BOM is ignored.
 * Errors never quote the offending line: in a credentials file it may be a secret.
 */
import { ConfigFileError } from "../errors/index.ts";

/** One setting: a plain string, or botocore's nested block as key → value. */
export type IniValue = string | Readonly<Record<string, string>>;

export interface IniSetting {
  readonly value: IniValue;
  /** Line of the `key =` line. */
  readonly line: number;
  /** For a nested block: the line of each nested key. */
  readonly nestedLines?: ReadonlyMap<string, number>;
}

export interface IniSection {
  /** The text between the brackets, trimmed. */
  readonly name: string;
  /** Line of the first header with this name. */
  readonly line: number;
  /** In first-seen order; a repeated key holds the last value given. */
  readonly settings: ReadonlyMap<string, IniSetting>;
}

interface Fragment {
  readonly text: string;
  readonly line: number;
}

interface OpenOption {
  readonly key: string;
  readonly indent: number;
  readonly line: number;
  readonly fragments: Fragment[];
}

/** Parses a whole file's text; `file` only labels errors. Sections in first-seen order. */
export function parseIni(text: string, file: string): IniSection[] {
  const sections = new Map<string, { name: string; line: number; settings: Map<string, IniSetting> }>();
  let section: { settings: Map<string, IniSetting> } | undefined;
  let option: OpenOption | undefined;

  const close = (): void => {
    if (option && section) section.settings.set(option.key, finishOption(option, file));
    option = undefined;
  };

  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed.startsWith("#") || trimmed.startsWith(";")) return;
    if (trimmed === "") {
      // A blank line inside a value is kept (configparser's empty_lines_in_values) and
      // dropped again if nothing indented follows it.
      option?.fragments.push({ text: "", line });
      return;
    }
    const indent = raw.length - raw.trimStart().length;
    if (option && indent > option.indent) {
      option.fragments.push({ text: trimmed, line });
      return;
    }
    close();

    if (trimmed.startsWith("[")) {
      const end = trimmed.lastIndexOf("]");
      if (end < 0) throw new ConfigFileError(file, line, 'section header has no closing "]"');
      const name = trimmed.slice(1, end).trim();
      if (name === "") throw new ConfigFileError(file, line, "section header has no name");
      let found = sections.get(name);
      if (!found) {
        found = { name, line, settings: new Map() };
        sections.set(name, found);
      }
      section = found;
      return;
    }
    if (!section) {
      throw new ConfigFileError(file, line, "a setting comes before any [section] header");
    }
    const at = trimmed.search(/[=:]/);
    if (at < 0) {
      throw new ConfigFileError(file, line, 'expected "key = value", a [section] header or a comment');
    }
    const key = trimmed.slice(0, at).trim().toLowerCase();
    if (key === "") throw new ConfigFileError(file, line, `no key before "${trimmed[at]}"`);
    option = { key, indent, line, fragments: [{ text: trimmed.slice(at + 1).trim(), line }] };
  });
  close();

  return [...sections.values()];
}

function finishOption(option: OpenOption, file: string): IniSetting {
  const fragments = option.fragments.slice();
  while (fragments.length > 1 && fragments[fragments.length - 1]?.text === "") fragments.pop();
  const [first, ...rest] = fragments;
  if (first === undefined || rest.length === 0 || first.text !== "") {
    return { value: fragments.map((f) => f.text).join("\n"), line: option.line };
  }
  // botocore's nested block: `s3 =` followed by indented `key = value` lines.
  const entries: [string, string][] = [];
  const nestedLines = new Map<string, number>();
  for (const fragment of rest) {
    if (fragment.text === "") continue;
    const eq = fragment.text.indexOf("=");
    if (eq < 0) {
      throw new ConfigFileError(
        file,
        fragment.line,
        `nested setting under "${option.key}" must be "key = value"`,
      );
    }
    const key = fragment.text.slice(0, eq).trim();
    if (key === "") throw new ConfigFileError(file, fragment.line, `nested setting under "${option.key}" has no key before "="`);
    entries.push([key, fragment.text.slice(eq + 1).trim()]);
    nestedLines.set(key, fragment.line);
  }
  // fromEntries defines own properties, so a key such as "__proto__" stays plain data.
  return { value: Object.freeze(Object.fromEntries(entries)), line: option.line, nestedLines };
}

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

/**
 * POSIX word splitting without expansions: whitespace separates words, '…' is literal,
 * "…" lets a backslash escape only `"` and `\`, a bare backslash escapes any character.
 * undefined for an unclosed quote or a trailing backslash (shlex raises; botocore skips).
 */
export function shellWords(text: string): string[] | undefined {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === "\\") {
      if (i + 1 >= text.length) return undefined;
      word += text.charAt(++i);
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return undefined;
      word += text.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text.charAt(j) !== '"'; j++) {
        const d = text.charAt(j);
        const next = text.charAt(j + 1);
        if (d === "\\" && (next === '"' || next === "\\")) {
          word += next;
          j++;
        } else {
          word += d;
        }
      }
      if (j >= text.length) return undefined;
      i = j;
    } else {
      word += c;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/**
 * Shell-style word splitting as Python's `shlex.split` does it in POSIX mode, which is what
 * botocore applies both to a `credential_process` command line and to section headers
 * like `[profile "my dev"]`. One implementation, so the two can never disagree.
 */

/**
 * Python's `shlex.split` in POSIX mode (what botocore runs on the command): tokens are
 * separated by unquoted whitespace; '…' keeps everything literally; inside "…" a
 * backslash escapes only `"` and `\` and is kept before anything else; outside quotes a
 * backslash escapes any character. Quotes join onto the surrounding token (`a'b c'd` is
 * the one token `ab cd`), `''` is an empty token, and `#` is an ordinary character.
 * Throws on an unclosed quote or a trailing backslash, as shlex does.
 */
export function shellSplit(line: string): string[] {
  const tokens: string[] = [];
  let token = "";
  let inToken = false;
  for (let i = 0; i < line.length; i++) {
    const char = line.charAt(i);
    if (/\s/.test(char)) {
      if (inToken) tokens.push(token);
      token = "";
      inToken = false;
      continue;
    }
    inToken = true;
    if (char === "\\") {
      if (i + 1 >= line.length) throw new Error("no escaped character after a trailing backslash");
      token += line.charAt(++i);
    } else if (char === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error("no closing quotation");
      token += line.slice(i + 1, end);
      i = end;
    } else if (char === '"') {
      let j = i + 1;
      for (; j < line.length && line.charAt(j) !== '"'; j++) {
        const c = line.charAt(j);
        const next = line.charAt(j + 1);
        if (c === "\\" && (next === '"' || next === "\\")) {
          token += next;
          j++;
        } else {
          token += c;
        }
      }
      if (j >= line.length) throw new Error("no closing quotation");
      i = j;
    } else {
      token += char;
    }
  }
  if (inToken) tokens.push(token);
  return tokens;
}

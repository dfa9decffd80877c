/**
 * The README's runnable snippets, found by their markers: `<!-- quickstart:<name> -->`
 * before a ```ts block (the code) and `<!-- quickstart:<name>:output -->` before a ```text
 * block (what the README says it prints). The tests run the code as a reader would and
 * compare what it prints with that text.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

const README = join(import.meta.dirname, "..", "..", "README.md");

export interface ReadmeSnippet {
  readonly code: string;
  readonly output: string;
}

export function readmeSnippet(name: string): ReadmeSnippet {
  const text = readFileSync(README, "utf8");
  return { code: fencedAfter(text, `<!-- quickstart:${name} -->`, "ts"), output: fencedAfter(text, `<!-- quickstart:${name}:output -->`, "text") };
}

/** The body of the fenced block of `language` right after `marker` (blank lines between allowed). */
function fencedAfter(text: string, marker: string, language: string): string {
  const at = text.indexOf(marker);
  if (at === -1) throw new Error(`README.md has no ${marker}`);
  const match = new RegExp(`^\\s*\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, "m").exec(text.slice(at + marker.length));
  if (!match || match.index !== 0) throw new Error(`README.md: no \`\`\`${language} block right after ${marker}`);
  return match[1] ?? "";
}

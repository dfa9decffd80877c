/**
 * Looks for secrets where none may appear: log lines, error messages, `util.inspect`
 * output. A test collects every string it produced and asks which of its known secrets
 * (secret keys, session tokens, signatures) show up, in full or as a long enough piece.
 */
import { inspect } from "node:util";

/** The shortest slice of a secret that counts as leaked (a signature's first 16 hex digits…). */
const MIN_FRAGMENT = 12;

export interface SecretFinding {
  readonly secret: string;
  readonly where: string;
}

/** Every (secret, place) where a secret or a 12-character slice of it appears. */
export function findSecrets(texts: readonly string[], secrets: readonly string[]): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const secret of secrets) {
    const fragments = fragmentsOf(secret);
    for (const text of texts) {
      if (fragments.some((fragment) => text.includes(fragment))) {
        findings.push({ secret: `${secret.slice(0, 4)}…`, where: text.length > 200 ? `${text.slice(0, 200)}…` : text });
      }
    }
  }
  return findings;
}

/** What a test can scan of a thrown value: its message, stack, and everything inspect shows. */
export function textsOfError(error: unknown): string[] {
  const texts = [inspect(error, { depth: 8, showHidden: true })];
  if (error instanceof Error) texts.push(error.message, error.stack ?? "", String(error));
  try {
    texts.push(JSON.stringify(error) ?? "");
  } catch {
    // A cyclic error object: inspect above covers it.
  }
  return texts;
}

function fragmentsOf(secret: string): string[] {
  if (secret.length <= MIN_FRAGMENT) return [secret];
  const out: string[] = [];
  for (let start = 0; start + MIN_FRAGMENT <= secret.length; start += MIN_FRAGMENT / 2) out.push(secret.slice(start, start + MIN_FRAGMENT));
  return out;
}

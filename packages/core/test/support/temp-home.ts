/**
 * A throw-away home directory with optional `.aws/config` and `.aws/credentials`, so no
 * test ever reads the real `~/.aws`. Returns an env that points HOME (and nothing else
 * from the real environment) at it.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TempHome {
  readonly dir: string;
  readonly env: Record<string, string | undefined>;
  /** Writes a file relative to the home directory, creating folders; returns its path. */
  write(relativePath: string, contents: string): string;
  remove(): void;
}

export function tempHome(files: { config?: string; credentials?: string } = {}): TempHome {
  const dir = mkdtempSync(join(tmpdir(), "stratus-home-"));
  const write = (relativePath: string, contents: string): string => {
    const path = join(dir, relativePath);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, contents);
    return path;
  };
  if (files.config !== undefined) write(".aws/config", files.config);
  if (files.credentials !== undefined) write(".aws/credentials", files.credentials);
  return {
    dir,
    env: { HOME: dir },
    write,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * A ready `Logger` for people who want to see what the client does without bringing a
 * logging library: one line a message, the details as JSON, written to stderr through
 * `console.error` (stdout stays the program's own), on every runtime the core runs on.
 *
 *   2030-05-06T07:08:09.123Z stratus debug: S3.GetObject attempt 1 response 200 {"requestId":"…",…}
 *
 * It adds no redaction of its own: what the client hands a logger is already free of
 * credentials (config.ts's Logger contract; the wire log goes through redact.ts).
 */
import type { Logger } from "../client/config.ts";

export type LogLevel = "debug" | "warn";

export interface ConsoleLoggerOptions {
  /** The lowest level written: "warn" (default) or "debug". */
  readonly level?: LogLevel | undefined;
  /** Where each line goes; `console.error` unless a test or an application captures them. */
  readonly write?: ((line: string) => void) | undefined;
  /** The time stamp of a line; the current time unless a test fixes it. */
  readonly now?: (() => Date) | undefined;
}

export function consoleLogger(options: ConsoleLoggerOptions = {}): Logger {
  const write = options.write ?? ((line: string) => console.error(line));
  const now = options.now ?? (() => new Date());
  const line = (level: LogLevel, message: string, details: Readonly<Record<string, unknown>> | undefined): void => {
    write(`${now().toISOString()} stratus ${level}: ${message}${details === undefined ? "" : ` ${stringifyDetails(details)}`}`);
  };
  const logger: Logger = { warn: (message, details) => line("warn", message, details) };
  if ((options.level ?? "warn") === "debug") return { ...logger, debug: (message, details) => line("debug", message, details) };
  return logger;
}

/** JSON, or a stand-in when the details cannot be written as JSON (a cycle, a BigInt). */
function stringifyDetails(details: Readonly<Record<string, unknown>>): string {
  try {
    return JSON.stringify(details);
  } catch {
    return `{${Object.keys(details).join(",")}: not printable as JSON}`;
  }
}

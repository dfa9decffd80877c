/**
 * Timestamps on the wire. Callers may give a Date, epoch seconds (number) or an ISO-8601
 * string; the wire gets one of the three model formats; responses become Dates whatever
 * format the service chose (services are not always faithful to their model, so parsing
 * accepts all three and fractional seconds).
 */
import { ParseError, StratusError } from "../../errors/index.ts";
import type { TimestampFormat } from "../../schema/types.ts";

export function toDate(value: unknown, where: string): Date {
  const date =
    value instanceof Date ? value
    : typeof value === "number" ? new Date(value * 1000)
    : typeof value === "string" ? new Date(value)
    : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new StratusError(`${where}: expected a timestamp (Date, epoch seconds or ISO-8601 string)`);
  }
  return date;
}

/** ISO-8601 without milliseconds when they are zero, as the AWS SDKs send it. */
export function formatIso8601(date: Date): string {
  const iso = date.toISOString();
  return date.getUTCMilliseconds() === 0 ? iso.replace(".000Z", "Z") : iso;
}

/** IMF-fixdate (RFC 7231), e.g. "Tue, 29 Apr 2014 18:30:38 GMT". */
export function formatRfc822(date: Date): string {
  return date.toUTCString();
}

/** Epoch seconds, fractional when the date has milliseconds. */
export function formatEpochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

export function formatTimestamp(value: unknown, format: TimestampFormat, where: string): string | number {
  const date = toDate(value, where);
  switch (format) {
    case "iso8601":
      return formatIso8601(date);
    case "rfc822":
      return formatRfc822(date);
    case "unixTimestamp":
      return formatEpochSeconds(date);
  }
}

/** Any of the three formats (a number or numeric string is epoch seconds). */
export function parseTimestamp(value: unknown, protocol: string): Date {
  let date: Date | undefined;
  if (typeof value === "number") date = new Date(Math.round(value * 1000));
  else if (typeof value === "string") {
    const text = value.trim();
    date = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text) ? new Date(Math.round(Number(text) * 1000)) : new Date(text);
  }
  if (!date || Number.isNaN(date.getTime())) throw new ParseError(protocol, `not a timestamp: ${JSON.stringify(value)?.slice(0, 64)}`);
  return date;
}

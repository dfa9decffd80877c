/**
 * Where a loaded setting came from, so an error about a bad value can say
 * `max_attempts in profile "dev" (/home/me/.aws/config:7)` instead of just "the profile".
 *
 * The record lives in a WeakMap keyed by the (frozen) section object rather than on the
 * object itself: sections stay plain data (deepEqual, spreading and JSON see only settings),
 * and a section a caller builds by hand simply has no origin and gets a generic label.
 */

export interface SettingLocation {
  readonly file: string;
  readonly line: number;
}

export interface SectionOrigin {
  /** e.g. `profile "dev"` or `the "s3" block of services "local"` */
  readonly label: string;
  readonly settings: ReadonlyMap<string, SettingLocation>;
}

const origins = new WeakMap<object, SectionOrigin>();

export function recordOrigin(section: object, origin: SectionOrigin): void {
  origins.set(section, origin);
}

export function originOf(section: object): SectionOrigin | undefined {
  return origins.get(section);
}

/**
 * Names one setting for a message: `region in profile "dev" (/home/me/.aws/config:3)`.
 * `fallback` labels a section with no recorded origin.
 */
export function describeSetting(section: object | undefined, key: string, fallback = "the profile"): string {
  const origin = section ? origins.get(section) : undefined;
  if (!origin) return `${key} in ${fallback}`;
  const at = origin.settings.get(key);
  return `${key} in ${origin.label}${at ? ` (${at.file}:${at.line})` : ""}`;
}

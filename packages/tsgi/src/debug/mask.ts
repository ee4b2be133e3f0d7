/**
 * Names whose values a debug page never shows: Django's
 * `SafeExceptionReporterFilter.hidden_settings` plus `AUTH` (Authorization
 * headers) and the Cookie header.
 */
export const SENSITIVE_NAME = /API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|^COOKIE$/i;

/** What a masked value is replaced with (Django's `cleansed_substitute`). */
export const MASK = "********************";

/**
 * The value to display for a name: masked when the name looks sensitive
 * (`HTTP_COOKIE`, `HTTP_AUTHORIZATION`, `API_KEY`, `DB_PASSWORD`, ...).
 *
 * @example
 * maskIfSensitive("HTTP_COOKIE", "session=abc"); // "********************"
 * maskIfSensitive("PATH_INFO", "/"); // "/"
 */
export function maskIfSensitive(name: string, value: string): string {
  return SENSITIVE_NAME.test(name) ? MASK : value;
}

/**
 * A copy of `value` safe to show: values under sensitive names are replaced,
 * recursively through plain objects and arrays (as Django cleanses settings).
 *
 * @example
 * cleanse("DATABASES", { default: { PASSWORD: "x", NAME: "db" } }); // { default: { PASSWORD: "****...", NAME: "db" } }
 */
export function cleanse(name: string, value: unknown, depth = 0): unknown {
  if (SENSITIVE_NAME.test(name)) return MASK;
  if (depth > 4) return "…";
  if (Array.isArray(value)) return value.map((item, index) => cleanse(String(index), item, depth + 1));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, cleanse(key, inner, depth + 1)]));
  }
  return value;
}

/**
 * A short, readable rendering of a setting or environ value: strings quoted,
 * plain objects and arrays as JSON, functions and class instances by name (an
 * object with a `describe()` method describes itself).
 *
 * @example
 * display("a"); // '"a"'
 * display(process.stderr); // "<WriteStream>"
 */
export function display(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value !== "object" || value === null || value instanceof RegExp || typeof value === "function") return scalar(value);
  if (!Array.isArray(value) && !isPlainObject(value)) return String(readable(value));
  try {
    return JSON.stringify(value, (_key, inner: unknown) => readable(inner)) ?? String(value);
  } catch {
    return `<${className(value)}>`;
  }
}

function scalar(value: unknown): string {
  if (typeof value === "function") return value.name ? `<function ${value.name}>` : "<function>";
  return String(value);
}

function readable(inner: unknown): unknown {
  if (typeof inner === "function" || inner instanceof RegExp || typeof inner === "bigint" || typeof inner === "symbol") return scalar(inner);
  if (typeof inner !== "object" || inner === null || Array.isArray(inner)) return inner;
  const describe = (inner as { describe?: unknown }).describe;
  if (typeof describe === "function") return String((describe as () => unknown).call(inner));
  if (isPlainObject(inner)) return inner;
  if (inner instanceof Date || inner instanceof URL) return inner.toString();
  return `<${className(inner)}>`;
}

function className(value: object): string {
  const name = (value as { constructor?: { name?: string } }).constructor?.name;
  return name && name !== "Object" ? name : "object";
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

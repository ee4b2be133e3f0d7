import nunjucks from "nunjucks";

declare module "nunjucks" {
  namespace lib {
    /** Nunjucks' HTML escaper, used by autoescaping and the `escape` filter (not described by @types/nunjucks). */
    let escape: (value: string) => string;
  }
  namespace runtime {
    /** What `{{ value }}` prints: "" for null/undefined, escaped unless a SafeString when autoescaping. */
    let suppressValue: (value: unknown, autoescape: boolean) => unknown;
  }
}

/** The characters nunjucks escapes; a string without any is returned as it is. */
const SPECIAL = /[&"'<>\\]/;

/** Below this length a character loop finds the first special character sooner than entering the regular expression. */
const SHORT = 48;

/**
 * Nunjucks' HTML escaping with the same output: `&`, `"`, `'`, `<`, `>` and `\` become
 * `&amp;`, `&quot;`, `&#39;`, `&lt;`, `&gt;` and `&#92;`. Nunjucks runs a global regular
 * expression with a replacement callback over every printed variable, a quarter of a page's
 * render in the profile; most variables have nothing to escape, so one scan finds that out (a
 * character loop for short values, `search()` for long ones: no match array either way) and the
 * rest is copied in slices from the first special character on.
 *
 * @example
 * fastEscape('<a href="x">'); // "&lt;a href=&quot;x&quot;&gt;"
 * fastEscape("plain"); // "plain" (the same string)
 */
export function fastEscape(value: string): string {
  const first = value.length < SHORT ? firstSpecial(value) : value.search(SPECIAL);
  if (first === -1) return value;
  return escapeFrom(value, first);
}

function firstSpecial(value: string): number {
  for (let i = 0; i < value.length; i++) {
    switch (value.charCodeAt(i)) {
      case 38:
      case 34:
      case 39:
      case 60:
      case 62:
      case 92:
        return i;
    }
  }
  return -1;
}

/** The escaped text of `value`, whose first special character is at `first`. */
function escapeFrom(value: string, first: number): string {
  let out = value.slice(0, first);
  let last = first;
  for (let i = first; i < value.length; i++) {
    let replacement: string;
    switch (value.charCodeAt(i)) {
      case 38:
        replacement = "&amp;";
        break;
      case 34:
        replacement = "&quot;";
        break;
      case 39:
        replacement = "&#39;";
        break;
      case 60:
        replacement = "&lt;";
        break;
      case 62:
        replacement = "&gt;";
        break;
      case 92:
        replacement = "&#92;";
        break;
      default:
        continue;
    }
    if (last !== i) out += value.slice(last, i);
    out += replacement;
    last = i + 1;
  }
  return last < value.length ? out + value.slice(last) : out;
}

let original: ((value: string) => string) | undefined;
let originalSuppress: ((value: unknown, autoescape: boolean) => unknown) | undefined;

/** Strings (all nunjucks passes) get {@link fastEscape}; anything else, nunjucks' own, so its result stays what it was. */
function installedEscape(value: string): string {
  return typeof value === "string" ? fastEscape(value) : (original as (value: string) => string)(value);
}

/**
 * `{{ value }}` for the common case, a primitive string: nunjucks' suppressValue tests it against
 * SafeString (a primitive never is one) and calls its `toString()` (itself) before escaping; this
 * goes straight to the escaper. Every other value takes nunjucks' own path.
 */
function installedSuppressValue(value: unknown, autoescape: boolean): unknown {
  if (typeof value === "string") {
    if (!autoescape) return value;
    const escape = nunjucks.lib.escape;
    return escape === installedEscape ? fastEscape(value) : escape(value);
  }
  return (originalSuppress as (value: unknown, autoescape: boolean) => unknown)(value, autoescape);
}

/**
 * Installs {@link fastEscape} as nunjucks' escaper and the string shortcut in front of its
 * `suppressValue` (idempotent). Anything that is not a primitive string (nunjucks always passes
 * one to the escaper; a caller might not) still goes to nunjucks' own.
 *
 * @example
 * installFastEscape();
 */
export function installFastEscape(): void {
  if (nunjucks.lib.escape !== installedEscape) {
    original ??= nunjucks.lib.escape;
    nunjucks.lib.escape = installedEscape;
  }
  if (nunjucks.runtime.suppressValue !== installedSuppressValue) {
    originalSuppress ??= nunjucks.runtime.suppressValue;
    nunjucks.runtime.suppressValue = installedSuppressValue;
  }
}

/**
 * Nunjucks' own escaper, as it was before {@link installFastEscape} (for tests comparing the two).
 *
 * @example
 * nunjucksEscape()("<"); // "&lt;"
 */
export function nunjucksEscape(): (value: string) => string {
  return original ?? nunjucks.lib.escape;
}

/**
 * Nunjucks' own `suppressValue`, as it was before {@link installFastEscape} (for tests comparing the two).
 *
 * @example
 * nunjucksSuppressValue()(null, true); // ""
 */
export function nunjucksSuppressValue(): (value: unknown, autoescape: boolean) => unknown {
  return originalSuppress ?? nunjucks.runtime.suppressValue;
}

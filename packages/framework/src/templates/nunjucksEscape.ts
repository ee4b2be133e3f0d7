import nunjucks from "nunjucks";

declare module "nunjucks" {
  namespace lib {
    /** Nunjucks' HTML escaper, used by autoescaping and the `escape` filter (not described by @types/nunjucks). */
    let escape: (value: string) => string;
  }
}

/** The characters nunjucks escapes; a string without any is returned as it is. */
const SPECIAL = /[&"'<>\\]/;

/**
 * Nunjucks' HTML escaping with the same output: `&`, `"`, `'`, `<`, `>` and `\` become
 * `&amp;`, `&quot;`, `&#39;`, `&lt;`, `&gt;` and `&#92;`. Nunjucks runs a global regular
 * expression with a replacement callback over every printed variable, a quarter of a page's
 * render in the profile; most variables have nothing to escape, so one search finds that out
 * and the rest is copied in slices from the first special character on.
 *
 * @example
 * fastEscape('<a href="x">'); // "&lt;a href=&quot;x&quot;&gt;"
 * fastEscape("plain"); // "plain" (the same string)
 */
export function fastEscape(value: string): string {
  // search(), not exec(): no match array to allocate for every printed variable.
  const first = value.search(SPECIAL);
  if (first === -1) return value;
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

/** Strings (all nunjucks passes) get {@link fastEscape}; anything else, nunjucks' own, so its result stays what it was. */
function installedEscape(value: string): string {
  return typeof value === "string" ? fastEscape(value) : (original as (value: string) => string)(value);
}

/**
 * Installs {@link fastEscape} as nunjucks' escaper (idempotent). Anything that is not a primitive
 * string (nunjucks always passes one; a caller might not) still goes to nunjucks' own.
 *
 * @example
 * installFastEscape();
 */
export function installFastEscape(): void {
  if (nunjucks.lib.escape === installedEscape) return;
  original ??= nunjucks.lib.escape;
  nunjucks.lib.escape = installedEscape;
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

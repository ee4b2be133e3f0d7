import { BadHeaderError } from "../../exceptions.js";

// Header names already found valid, with their lower-case keys (names are few: set by code, not by clients).
const checkedNames = new Map<string, string>();
const UNSAFE_VALUE = /[\r\n\0]|[^\x00-\xff]/;

/** The case-insensitive key of a header name. */
function keyOf(name: string): string {
  return checkedNames.get(name) ?? name.toLowerCase();
}

/**
 * Response headers: case-insensitive, keeping the casing they were set with,
 * one value per name (`Set-Cookie` goes through `response.cookies` instead).
 * Values are checked when set, so header injection fails in the view that tried it.
 *
 * @example
 * response.headers.set("Cache-Control", "no-store");
 * response.headers.get("cache-control"); // "no-store"
 */
export class ResponseHeaderMap implements Iterable<[string, string]> {
  readonly #entries = new Map<string, [string, string]>();

  constructor(init?: Iterable<readonly [string, string]> | Record<string, string>) {
    if (init === undefined) return;
    const pairs = Symbol.iterator in init ? (init as Iterable<readonly [string, string]>) : Object.entries(init);
    for (const [name, value] of pairs) this.set(name, value);
  }

  get(name: string): string | undefined {
    return this.#entries.get(keyOf(name))?.[1];
  }

  has(name: string): boolean {
    return this.#entries.has(keyOf(name));
  }

  /** Sets a header, replacing any value; throws BadHeaderError for names or values that could split the response. */
  set(name: string, value: string | number): void {
    const text = String(value);
    if (!checkedNames.has(name)) {
      if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
        throw new BadHeaderError(`Invalid header name ${JSON.stringify(name)}.`);
      }
      if (checkedNames.size < 1000) checkedNames.set(name, name.toLowerCase());
    }
    // One scan for the usual clean value; the two checks below only name what is wrong.
    if (UNSAFE_VALUE.test(text)) {
      if (/[\r\n\0]/.test(text)) {
        throw new BadHeaderError(`Header values can't contain newlines (got ${JSON.stringify(text)} for ${name}).`);
      }
      throw new BadHeaderError(`Header ${name} must be latin-1; percent-encode non-latin-1 text (got ${JSON.stringify(text)}).`);
    }
    this.#entries.set(keyOf(name), [name, text]);
  }

  /** Sets the header only if absent (Django's `setdefault`). */
  setDefault(name: string, value: string | number): void {
    if (!this.has(name)) this.set(name, value);
  }

  delete(name: string): boolean {
    return this.#entries.delete(keyOf(name));
  }

  /** `[name, value]` pairs in the order first set, as a new array (what `startResponse` takes). */
  toList(): Array<[string, string]> {
    const list: Array<[string, string]> = [];
    for (const [name, value] of this.#entries.values()) list.push([name, value]);
    return list;
  }

  /** `[name, value]` pairs in the order first set. */
  *[Symbol.iterator](): Iterator<[string, string]> {
    for (const [name, value] of this.#entries.values()) yield [name, value];
  }

  toObject(): Record<string, string> {
    return Object.fromEntries(this);
  }
}

import type { Environ } from "tsgi";

/**
 * The request headers from the environ, case-insensitive (`request.headers`):
 * `HTTP_USER_AGENT` is `headers.get("User-Agent")`, plus `Content-Type` and `Content-Length`.
 *
 * @example
 * request.headers.get("accept-language"); // "en-GB,en;q=0.8"
 */
export class HttpHeaders implements Iterable<[string, string]> {
  readonly #environ: Environ;
  #values: Map<string, string> | undefined;
  #names: Map<string, string> | undefined;

  /** Nothing is copied until a header is first read (Django builds `request.headers` lazily too). */
  constructor(environ: Environ) {
    this.#environ = environ;
  }

  #build(): Map<string, string> {
    const values = new Map<string, string>();
    const names = new Map<string, string>();
    for (const [key, value] of Object.entries(this.#environ)) {
      if (typeof value !== "string") continue;
      const name = HttpHeaders.nameFromEnvironKey(key);
      if (name === undefined) continue;
      values.set(name.toLowerCase(), value);
      names.set(name.toLowerCase(), name);
    }
    this.#names = names;
    this.#values = values;
    return values;
  }

  /** `HTTP_X_FORWARDED_FOR` -> `X-Forwarded-For`; `CONTENT_TYPE` -> `Content-Type`; other keys -> undefined. */
  static nameFromEnvironKey(key: string): string | undefined {
    let raw: string;
    if (key === "CONTENT_TYPE" || key === "CONTENT_LENGTH") raw = key;
    else if (key.startsWith("HTTP_")) raw = key.slice(5);
    else return undefined;
    return raw
      .split("_")
      .map((part) => part.charAt(0) + part.slice(1).toLowerCase())
      .join("-");
  }

  get(name: string): string | undefined {
    return (this.#values ?? this.#build()).get(name.toLowerCase());
  }

  has(name: string): boolean {
    return (this.#values ?? this.#build()).has(name.toLowerCase());
  }

  /** `[Title-Case-Name, value]` pairs. */
  *[Symbol.iterator](): Iterator<[string, string]> {
    const values = this.#values ?? this.#build();
    for (const [key, value] of values) yield [this.#names?.get(key) ?? key, value];
  }

  toObject(): Record<string, string> {
    return Object.fromEntries(this);
  }
}

/** One cookie the client holds. */
export interface JarCookie {
  value: string;
  /** Epoch milliseconds, or undefined for a session cookie. */
  expires: number | undefined;
  path: string;
}

/**
 * The test client's cookies (Django's `client.cookies`): filled from each response's
 * `Set-Cookie`, sent back with each request; a cookie set to expire is removed.
 *
 * @example
 * jar.store(["sessionid=abc; Path=/; HttpOnly"]);
 * jar.header(); // "sessionid=abc"
 */
export class CookieJar {
  readonly #cookies = new Map<string, JarCookie>();

  /** Applies `Set-Cookie` header values. */
  store(setCookies: readonly string[], now = Date.now()): void {
    for (const line of setCookies) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      let value = pair.slice(eq + 1).trim();
      if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
      let expires: number | undefined;
      let path = "/";
      let maxAgeSeen = false;
      for (const attribute of attributes) {
        const [key = "", ...rest] = attribute.split("=");
        const attrValue = rest.join("=").trim();
        switch (key.trim().toLowerCase()) {
          case "max-age":
            maxAgeSeen = true;
            expires = now + Number(attrValue) * 1000;
            break;
          case "expires":
            if (!maxAgeSeen) {
              const parsed = Date.parse(attrValue);
              if (!Number.isNaN(parsed)) expires = parsed;
            }
            break;
          case "path":
            path = attrValue || "/";
            break;
        }
      }
      if (expires !== undefined && expires <= now) this.#cookies.delete(name);
      else this.#cookies.set(name, { value, expires, path });
    }
  }

  get(name: string, now = Date.now()): string | undefined {
    const cookie = this.#cookies.get(name);
    if (cookie === undefined) return undefined;
    if (cookie.expires !== undefined && cookie.expires <= now) {
      this.#cookies.delete(name);
      return undefined;
    }
    return cookie.value;
  }

  set(name: string, value: string, path = "/"): void {
    this.#cookies.set(name, { value, expires: undefined, path });
  }

  delete(name: string): void {
    this.#cookies.delete(name);
  }

  clear(): void {
    this.#cookies.clear();
  }

  /** The live cookies for `path`, as a `Cookie` header value (undefined when none). */
  header(path = "/", now = Date.now()): string | undefined {
    const pairs: string[] = [];
    for (const [name, cookie] of this.#cookies) {
      if (cookie.expires !== undefined && cookie.expires <= now) continue;
      if (!path.startsWith(cookie.path) && cookie.path !== "/") continue;
      pairs.push(`${name}=${cookie.value}`);
    }
    return pairs.length > 0 ? pairs.join("; ") : undefined;
  }

  /** Name to value of every live cookie. */
  toObject(): Record<string, string> {
    const now = Date.now();
    const out: Record<string, string> = {};
    for (const name of this.#cookies.keys()) {
      const value = this.get(name, now);
      if (value !== undefined) out[name] = value;
    }
    return out;
  }
}

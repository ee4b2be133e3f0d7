import { DatabaseSessionBackend } from "../db/contrib/sessions/backend.js";
import { ImproperlyConfigured } from "../exceptions.js";
import type { Settings } from "../settings/types.js";
import type { SessionBackend } from "./backend.js";
import { CacheSessionBackend } from "./backends/cache.js";
import { CachedDbSessionBackend } from "./backends/cachedDb.js";
import { FileSessionBackend } from "./backends/file.js";
import { SignedCookieSessionBackend } from "./backends/signedCookie.js";

/** The SESSION_ENGINE names, as Django's module names. */
export type SessionEngineName = "file" | "signed_cookies" | "cache" | "cached_db" | "db";

declare module "../settings/types.js" {
  interface Settings {
    /**
     * Where sessions are stored: `"file"` (default; SESSION_FILE_PATH), `"signed_cookies"`,
     * `"cache"` (SESSION_CACHE_ALIAS), `"db"` (SESSIONS_APP), `"cached_db"`, or any
     * {@link SessionBackend} object (Django's SESSION_ENGINE).
     */
    SESSION_ENGINE?: SessionEngineName | SessionBackend;
    /** The CACHES alias the "cache" and "cached_db" engines use ("default"). */
    SESSION_CACHE_ALIAS?: string;
  }
}

/**
 * The session backend SESSION_ENGINE names.
 *
 * @example
 * const backend = sessionBackendFor(settings);
 */
export function sessionBackendFor(settings: Settings): SessionBackend {
  const engine = settings.SESSION_ENGINE ?? "file";
  const cache = settings.SESSION_CACHE_ALIAS ?? "default";
  if (engine === "file") return new FileSessionBackend(settings.SESSION_FILE_PATH ? { directory: settings.SESSION_FILE_PATH } : {});
  if (engine === "signed_cookies") {
    return new SignedCookieSessionBackend({ secretKey: settings.SECRET_KEY, fallbackKeys: settings.SECRET_KEY_FALLBACKS });
  }
  if (engine === "cache") return new CacheSessionBackend({ cache });
  if (engine === "db") return new DatabaseSessionBackend();
  if (engine === "cached_db") return new CachedDbSessionBackend({ cache, db: new DatabaseSessionBackend() });
  if (typeof engine === "object" && engine !== null && typeof engine.load === "function" && typeof engine.save === "function") return engine;
  throw new ImproperlyConfigured(
    `SESSION_ENGINE: expected "file", "signed_cookies", "cache", "cached_db", "db" or an object with load/save/delete, got ${JSON.stringify(engine)}.`,
  );
}

export { SessionMiddleware } from "./middleware.js";
export { Session, newSessionKey, type SessionOptions } from "./session.js";
export type { SessionBackend, SessionData, SaveContext } from "./backend.js";
export { FileSessionBackend, type FileSessionBackendOptions } from "./backends/file.js";
export { SignedCookieSessionBackend, type SignedCookieSessionBackendOptions } from "./backends/signedCookie.js";
export { sessionBackendFor } from "./engine.js";
export { CacheSessionBackend, SESSION_CACHE_KEY_PREFIX, type CacheSessionBackendOptions } from "./backends/cache.js";
export { CachedDbSessionBackend, type CachedDbSessionBackendOptions } from "./backends/cachedDb.js";
export type { SessionEngineName } from "./engine.js";

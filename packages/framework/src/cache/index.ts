export { BaseCache, CacheKeyMissing, makeKey, type CacheSettings, type CacheTimeout } from "./backend.js";
export { LocMemCache, DummyCache } from "./locmem.js";
export { RedisCache } from "./redis.js";
export { CacheUnavailable } from "./errors.js";
export { caches, createCache, CacheHandler } from "./caches.js";
export { addNeverCacheHeaders, getMaxAge, hasVaryHeader, patchCacheControl, patchResponseHeaders, type CacheControlDirectives } from "./cacheHeaders.js";
export { getCacheKey, learnCacheKey } from "./pageCache.js";
export { cacheControl, cachePage, neverCache, type CachePageOptions } from "./decorators.js";
export { CacheMiddleware, FetchFromCacheMiddleware, UpdateCacheMiddleware } from "./middleware.js";

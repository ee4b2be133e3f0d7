export { BaseCache, CacheKeyMissing, makeKey, type CacheSettings, type CacheTimeout } from "./backend.js";
export { LocMemCache, DummyCache } from "./locmem.js";
export { RedisCache } from "./redis.js";
export { CacheUnavailable } from "./errors.js";
export { caches, createCache, CacheHandler } from "./caches.js";

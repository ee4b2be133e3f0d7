import type { Settings } from "../settings/types.js";

declare module "../settings/types.js" {
  interface Settings {
    /** Seconds a page is cached by the cache middleware when the response has no max-age (Django's, 600). */
    CACHE_MIDDLEWARE_SECONDS?: number;
    /** Put before the page cache's keys, so several sites can share one cache (""). */
    CACHE_MIDDLEWARE_KEY_PREFIX?: string;
    /** The CACHES alias the page cache uses ("default"). */
    CACHE_MIDDLEWARE_ALIAS?: string;
  }
}

/** The cache middleware settings with Django's defaults. */
export function cacheMiddlewareSettings(settings: Partial<Settings> | undefined): { seconds: number; keyPrefix: string; alias: string } {
  return {
    seconds: settings?.CACHE_MIDDLEWARE_SECONDS ?? 600,
    keyPrefix: settings?.CACHE_MIDDLEWARE_KEY_PREFIX ?? "",
    alias: settings?.CACHE_MIDDLEWARE_ALIAS ?? "default",
  };
}

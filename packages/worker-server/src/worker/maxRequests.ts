import type { Settings } from "../config/settings.js";

/**
 * The request count after which one worker retires: `--max-requests` plus a random 0..`--max-requests-jitter`
 * (both ends included, as Gunicorn's `randint`), drawn once per worker so workers started together
 * do not all recycle at once. 0 when recycling is off (`--max-requests 0`), whatever the jitter.
 *
 * @example
 * maxRequestsFor({ maxRequests: 1000, maxRequestsJitter: 50 }); // 1000..1050
 * maxRequestsFor({ maxRequests: 1000, maxRequestsJitter: 50 }, () => 0.999); // 1050
 */
export function maxRequestsFor(settings: Pick<Settings, "maxRequests" | "maxRequestsJitter">, random: () => number = Math.random): number {
  if (settings.maxRequests <= 0) return 0;
  return settings.maxRequests + Math.floor(random() * (settings.maxRequestsJitter + 1));
}

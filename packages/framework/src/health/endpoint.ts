import type { Environ } from "tsgi";
import { JsonResponse } from "../http/response/json.js";
import type { HttpResponseBase } from "../http/response/base.js";
import type { Settings } from "../settings/types.js";
import { runReadinessProbes } from "./probes.js";

/**
 * The answer to a health probe when the request is for HEALTH_CHECKS' liveness or readiness
 * path (GET or HEAD), else undefined. Liveness is 200 as long as the worker answers; readiness
 * is 200 once start-up is done (`startup` resolved) and every database and cache answers, else 503
 * with `Retry-After` so an orchestrator keeps the instance out of rotation. The answers are
 * `Cache-Control: no-store` JSON; failure details are shown only in DEBUG.
 *
 * @example
 * const health = await healthResponse(environ, settings, application.ready());
 * if (health) return sendResponse(health, environ, startResponse, finish);
 */
export async function healthResponse(environ: Environ, settings: Settings, startup: Promise<unknown>): Promise<HttpResponseBase | undefined> {
  const config = settings.HEALTH_CHECKS;
  if (config === undefined) return undefined;
  const method = environ.REQUEST_METHOD;
  if (method !== "GET" && method !== "HEAD") return undefined;
  const path = String(environ.PATH_INFO ?? "");
  if (config.LIVENESS_PATH && path === config.LIVENESS_PATH) return answer({ status: "alive" }, 200);
  if (!config.READINESS_PATH || path !== config.READINESS_PATH) return undefined;
  if (!(await settled(startup, config.TIMEOUT_MS ?? 2000))) return answer({ status: "starting" }, 503);
  const results = await runReadinessProbes(settings);
  const ok = results.every((result) => result.ok);
  const checks = Object.fromEntries(results.map((result) => [result.name, result.ok ? "ok" : settings.DEBUG ? `failed: ${result.error}` : "failed"]));
  return answer({ status: ok ? "ready" : "unavailable", checks }, ok ? 200 : 503);
}

function answer(body: Record<string, unknown>, status: number): HttpResponseBase {
  const response = new JsonResponse(body, { status });
  response.headers.set("Cache-Control", "no-store");
  if (status === 503) response.headers.set("Retry-After", "5");
  return response;
}

/** True when `startup` resolved within `ms`; false when it failed or is still running. */
async function settled(startup: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([startup.then(() => true, () => false), late]);
  } finally {
    clearTimeout(timer);
  }
}

import type { Environ } from "tsgi";
import { JsonResponse } from "../http/response/json.js";
import type { HttpResponseBase } from "../http/response/base.js";
import type { ApplicationLifespan } from "../lifespan/applicationLifespan.js";
import type { Settings } from "../settings/types.js";
import { runReadinessProbes } from "./probes.js";

/**
 * The answer to a health probe when the request is for HEALTH_CHECKS' liveness or readiness
 * path (GET or HEAD), else undefined. Liveness is 200 as long as the worker answers, whatever
 * the lifespan. Readiness is 503 with `Retry-After` (so an orchestrator keeps the instance out of
 * rotation) until start-up is done, from the start of the lifespan shutdown on, and while a
 * database or cache does not answer; else 200. Start-up is done when the URL configuration is
 * loaded (`startup`) and, on a server that runs lifespans (the environ carries `tsgi.state`), when
 * the application's lifespan start-up completed. The answers are `Cache-Control: no-store` JSON;
 * failure details are shown only in DEBUG.
 *
 * @example
 * const health = await healthResponse(environ, settings, application.ready(), application.lifespan);
 * if (health) return sendResponse(health, environ, startResponse, finish);
 */
export async function healthResponse(
  environ: Environ,
  settings: Settings,
  startup: Promise<unknown>,
  lifespan?: Pick<ApplicationLifespan, "phase" | "started">,
): Promise<HttpResponseBase | undefined> {
  const config = settings.HEALTH_CHECKS;
  if (config === undefined) return undefined;
  const method = environ.REQUEST_METHOD;
  if (method !== "GET" && method !== "HEAD") return undefined;
  const path = String(environ.PATH_INFO ?? "");
  if (config.LIVENESS_PATH && path === config.LIVENESS_PATH) return answer({ status: "alive" }, 200);
  if (!config.READINESS_PATH || path !== config.READINESS_PATH) return undefined;
  const notReady = lifespanNotReady(environ, settings, lifespan);
  if (notReady !== undefined) return notReady;
  const started = lifespan?.phase === "starting" && lifespan.started !== undefined ? Promise.all([startup, lifespan.started]) : startup;
  if (!(await settled(started, config.TIMEOUT_MS ?? 2000))) return answer({ status: "starting" }, 503);
  const results = await runReadinessProbes(settings);
  // The shutdown may have begun while the probes ran.
  const stopping = lifespanNotReady(environ, settings, lifespan);
  if (stopping !== undefined) return stopping;
  const ok = results.every((result) => result.ok);
  const checks = Object.fromEntries(results.map((result) => [result.name, result.ok ? "ok" : settings.DEBUG ? `failed: ${result.error}` : "failed"]));
  return answer({ status: ok ? "ready" : "unavailable", checks }, ok ? 200 : 503);
}

/** The 503 the lifespan's phase calls for, or undefined when it does not stand in the way. */
function lifespanNotReady(environ: Environ, settings: Settings, lifespan: Pick<ApplicationLifespan, "phase"> | undefined): HttpResponseBase | undefined {
  switch (lifespan?.phase) {
    case "stopping":
    case "stopped":
      return answer({ status: "stopping" }, 503);
    case "failed":
      return answer({ status: "failed" }, 503);
    case "idle":
      // The server runs lifespans (tsgi.state is there) but not this application's: a wrapper that does not forward it.
      if (environ["tsgi.state"] === undefined) return undefined;
      return answer(
        settings.DEBUG
          ? { status: "starting", detail: "the server runs lifespans but not this application's: a wrapper must forward it, withLifespan(wrapper, lifespanOf(application))" }
          : { status: "starting" },
        503,
      );
    default:
      return undefined;
  }
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

import type { ApplicationFunction, Environ, ResponseBody, StartResponse } from "tsgi";
import { BadRequest } from "../exceptions.js";
import { HttpRequest } from "../http/request.js";
import type { HttpResponseBase } from "../http/response/base.js";
import type { GetResponse } from "../middleware/types.js";
import { defineSettings } from "../settings/defineSettings.js";
import type { Settings, SettingsInput } from "../settings/types.js";
import { requestFinished, requestStarted } from "../signals/index.js";
import { rootResolver } from "../urls/conf.js";
import type { UrlResolver } from "../urls/resolver.js";
import { badRequest } from "../views/defaults.js";
import { startupDatabaseCheck } from "../db/startupCheck.js";
import { healthResponse } from "../health/endpoint.js";
import { ApplicationLifespan } from "../lifespan/applicationLifespan.js";
import { loadMiddleware } from "./loadMiddleware.js";
import { loadUrlconf } from "./loadUrlconf.js";
import { logError } from "./logError.js";
import { captureContext, runWithContext, setDefaultContext } from "./requestContext.js";
import { handleUncaughtException } from "./responseForException.js";
import { sendResponse } from "./responseBody.js";
import type { HandlerState } from "./state.js";

/** The TSGI application a project serves, with a way to wait for start-up. */
export interface TsgiApplication extends ApplicationFunction {
  readonly settings: Settings;
  /** Resolves once the URL configuration is loaded; rejects with its ImproperlyConfigured error. */
  ready(): Promise<void>;
  /** The root URL resolver (after `ready()`). */
  resolver(): Promise<UrlResolver>;
  /** The lifespan every TSGI server runs once per process (databases, INSTALLED_APPS `ready` hooks, LIFESPAN). */
  readonly lifespan: ApplicationLifespan;
}

/**
 * The framework's entry point (Django's `get_wsgi_application`): validates the
 * settings, loads the middleware and URL configuration once, and returns a TSGI
 * application any TSGI server can serve.
 *
 * @example
 * // tsgi.ts, next to settings.ts
 * import { getTsgiApplication } from "@tsgi/framework";
 * import { settings } from "./settings.js";
 * export const application = getTsgiApplication(settings);
 */
export function getTsgiApplication(input: Settings | SettingsInput): TsgiApplication {
  const settings: Settings = defineSettings(input);
  let chain: GetResponse | undefined;
  let state: HandlerState | undefined;
  const starting = loadUrlconf(settings).then((urlconf) => {
    state = { settings, urlconf, resolver: rootResolver(urlconf) };
    chain = loadMiddleware(state);
    setDefaultContext({ settings, resolver: state.resolver, scriptPrefix: scriptPrefix(settings, undefined) });
    // One line at start-up (never a stack trace per request) when the database is missing, unreachable or not migrated.
    void startupDatabaseCheck(settings).then((lines) => lines.forEach((line) => process.stderr.write(`${line}\n`)), () => undefined);
  });
  // Start-up errors surface through ready() and on each request; never as an unhandled rejection.
  starting.catch(() => undefined);
  const lifespan = new ApplicationLifespan(settings, starting);

  const application = async (environ: Environ, startResponse: StartResponse): Promise<ResponseBody> => {
    // Signals without receivers (the usual case) cost no await: hasListeners is what sendRobust looks at first.
    if (requestStarted.hasListeners(application)) {
      for (const { error } of await requestStarted.sendRobust(application, { environ })) {
        logError(environ, "A requestStarted receiver raised an error", error);
      }
    }
    const finish = async (): Promise<void> => {
      if (!requestFinished.hasListeners(application)) return;
      for (const { error } of await requestFinished.sendRobust(application, { environ })) {
        logError(environ, "A requestFinished receiver raised an error", error);
      }
    };
    let request: HttpRequest | undefined;
    let response: HttpResponseBase;
    let inContext: (<T>(fn: () => T) => T) | undefined;
    try {
      // Probes first: before start-up completes, ALLOWED_HOSTS and the middleware (HEALTH_CHECKS, off by default).
      const health = settings.HEALTH_CHECKS === undefined ? undefined : await healthResponse(environ, settings, starting, lifespan);
      if (health !== undefined) return sendResponse(health, environ, startResponse, finish);
      // Once started, `state` is set and there is nothing to wait for.
      if (state === undefined) await starting;
      const ready = state as HandlerState;
      try {
        request = new HttpRequest(environ, settings);
      } catch (error) {
        // A path or query that is not UTF-8: Django's handler answers these before any middleware.
        if (!(error instanceof BadRequest)) throw error;
        logError(environ, `Bad Request: ${error.message}`);
        return sendResponse(badRequest(undefined, error), environ, startResponse, finish);
      }
      const current = request;
      const prefix = scriptPrefix(settings, current);
      ({ response, inContext } = await runWithContext({ settings, resolver: ready.resolver, scriptPrefix: prefix, request: current }, async () => ({
        response: await (chain as GetResponse)(current),
        inContext: captureContext(),
      })));
    } catch (error) {
      // Only start-up failures and errors in the outermost middleware's own conversion get here.
      const fallback: HandlerState = state ?? { settings, urlconf: { urlpatterns: [] }, resolver: rootResolver({ urlpatterns: [] }) };
      response = await handleUncaughtException(request, error, fallback, environ);
    }
    const done = request;
    return sendResponse(
      response,
      environ,
      startResponse,
      async () => {
        try {
          await done?.cleanup();
        } finally {
          await finish();
        }
      },
      inContext,
    );
  };

  return Object.assign(application, {
    settings,
    lifespan,
    ready: () => starting,
    resolver: async () => {
      await starting;
      return (state as HandlerState).resolver;
    },
  });
}

/** `FORCE_SCRIPT_NAME` or the request's SCRIPT_NAME, ending in `/` (Django's `get_script_prefix`). */
function scriptPrefix(settings: Settings, request: HttpRequest | undefined): string {
  const name = settings.FORCE_SCRIPT_NAME ?? request?.scriptName ?? "";
  return name.endsWith("/") ? name : `${name}/`;
}

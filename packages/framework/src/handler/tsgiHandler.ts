import type { ApplicationFunction, Environ, ResponseBody, StartResponse } from "tsgi";
import { BadRequest } from "../exceptions.js";
import { HttpRequest } from "../http/request.js";
import type { HttpResponseBase } from "../http/response/base.js";
import { isPromiseLike, type NextLayer } from "../middleware/types.js";
import { defineSettings } from "../settings/defineSettings.js";
import type { Settings, SettingsInput } from "../settings/types.js";
import { requestFinished, requestStarted } from "../signals/index.js";
import { rootResolver } from "../urls/conf.js";
import type { UrlResolver } from "../urls/resolver.js";
import { badRequest } from "../views/defaults.js";
import { startupDatabaseCheck } from "../db/startupCheck.js";
import { healthResponse } from "../health/endpoint.js";
import { ApplicationLifespan } from "../lifespan/applicationLifespan.js";
import { loadMiddlewareLayers } from "./loadMiddleware.js";
import { loadUrlconf } from "./loadUrlconf.js";
import { logError } from "./logError.js";
import { runInContext, setDefaultContext, type RequestContext } from "./requestContext.js";
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
  let chain: NextLayer | undefined;
  let state: HandlerState | undefined;
  const starting = loadUrlconf(settings).then((urlconf) => {
    state = { settings, urlconf, resolver: rootResolver(urlconf) };
    chain = loadMiddlewareLayers(state);
    setDefaultContext({ settings, resolver: state.resolver, scriptPrefix: scriptPrefix(settings, undefined) });
    // One line at start-up (never a stack trace per request) when the database is missing, unreachable or not migrated.
    void startupDatabaseCheck(settings).then((lines) => lines.forEach((line) => process.stderr.write(`${line}\n`)), () => undefined);
  });
  // Start-up errors surface through ready() and on each request; never as an unhandled rejection.
  starting.catch(() => undefined);
  const lifespan = new ApplicationLifespan(settings, starting);

  /**
   * The request once started: builds the HttpRequest, runs the middleware chain in the request
   * context and starts the response. Synchronous when the chain answered synchronously.
   */
  const serve = (environ: Environ, startResponse: StartResponse, ready: HandlerState, layers: NextLayer): ResponseBody | Promise<ResponseBody> => {
    let request: HttpRequest;
    try {
      request = new HttpRequest(environ, settings);
    } catch (error) {
      // A path or query that is not UTF-8: Django's handler answers these before any middleware.
      if (!(error instanceof BadRequest)) return unexpected(undefined, error, environ, startResponse);
      logError(environ, `Bad Request: ${error.message}`);
      return sendResponse(badRequest(undefined, error), environ, startResponse, finisher(environ));
    }
    const context: RequestContext = { settings, resolver: ready.resolver, scriptPrefix: scriptPrefix(settings, request), request };
    let answer: HttpResponseBase | Promise<HttpResponseBase>;
    try {
      answer = runInContext(context, layers, request);
    } catch (error) {
      return unexpected(request, error, environ, startResponse);
    }
    if (!isPromiseLike(answer)) return send(answer, request, context, environ, startResponse);
    return answer.then(
      (response) => send(response, request, context, environ, startResponse),
      (error: unknown) => unexpected(request, error, environ, startResponse),
    );
  };

  /** Starts the response; a close step only when something waits for it (cleanup, closers, requestFinished receivers, a stream). */
  const send = (response: HttpResponseBase, request: HttpRequest, context: RequestContext, environ: Environ, startResponse: StartResponse): ResponseBody => {
    const closes = response.streaming || response.hasClosers || request.needsCleanup || requestFinished.hasListeners(application);
    return sendResponse(response, environ, startResponse, closes ? closer(request, environ) : undefined, context);
  };

  /** Only start-up failures and errors in the outermost middleware's own conversion get here. */
  const unexpected = async (request: HttpRequest | undefined, error: unknown, environ: Environ, startResponse: StartResponse): Promise<ResponseBody> => {
    const fallback: HandlerState = state ?? { settings, urlconf: { urlpatterns: [] }, resolver: rootResolver({ urlpatterns: [] }) };
    const response = await handleUncaughtException(request, error, fallback, environ);
    return sendResponse(response, environ, startResponse, closer(request, environ));
  };

  const finisher = (environ: Environ) => async (): Promise<void> => {
    if (!requestFinished.hasListeners(application)) return;
    for (const { error } of await requestFinished.sendRobust(application, { environ })) {
      logError(environ, "A requestFinished receiver raised an error", error);
    }
  };

  const closer = (request: HttpRequest | undefined, environ: Environ) => {
    const finish = finisher(environ);
    return async (): Promise<void> => {
      try {
        await request?.cleanup();
      } finally {
        await finish();
      }
    };
  };

  /** Receivers of requestStarted, HEALTH_CHECKS, or a request before start-up completed: the steps that wait. */
  const waiting = async (environ: Environ, startResponse: StartResponse): Promise<ResponseBody> => {
    if (requestStarted.hasListeners(application)) {
      for (const { error } of await requestStarted.sendRobust(application, { environ })) {
        logError(environ, "A requestStarted receiver raised an error", error);
      }
    }
    try {
      // Probes first: before start-up completes, ALLOWED_HOSTS and the middleware (HEALTH_CHECKS, off by default).
      const health = settings.HEALTH_CHECKS === undefined ? undefined : await healthResponse(environ, settings, starting, lifespan);
      if (health !== undefined) return sendResponse(health, environ, startResponse, finisher(environ));
      if (state === undefined) await starting;
    } catch (error) {
      return unexpected(undefined, error, environ, startResponse);
    }
    return serve(environ, startResponse, state as HandlerState, chain as NextLayer);
  };

  // Signals without receivers (the usual case), HEALTH_CHECKS off and start-up done: nothing to wait for.
  const application = (environ: Environ, startResponse: StartResponse): ResponseBody | Promise<ResponseBody> => {
    if (state === undefined || chain === undefined || settings.HEALTH_CHECKS !== undefined || requestStarted.hasListeners(application)) {
      return waiting(environ, startResponse);
    }
    return serve(environ, startResponse, state, chain);
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

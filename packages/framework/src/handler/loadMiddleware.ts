import { ImproperlyConfigured, MiddlewareNotUsed } from "../exceptions.js";
import type { HttpRequest } from "../http/request.js";
import type { HttpResponseBase } from "../http/response/base.js";
import { isPromiseLike, takesSyncLayer, type GetResponse, type Middleware, type NextLayer } from "../middleware/types.js";
import { checkResponse } from "./checkResponse.js";
import { logError } from "./logError.js";
import { responseForException } from "./responseForException.js";
import type { HandlerState } from "./state.js";
import { viewResponse, type MiddlewareHooks } from "./viewResponse.js";

/**
 * Wraps a layer so no error crosses it (Django's `convert_exception_to_response`):
 * each middleware sees responses, never exceptions, from the layer inside it.
 *
 * @example
 * const safe = convertExceptionToResponse(next, state);
 */
export function convertExceptionToResponse(inner: GetResponse, state: HandlerState): GetResponse {
  return async (request: HttpRequest) => {
    try {
      return await inner(request);
    } catch (error) {
      return responseForException(request, error, state);
    }
  };
}

/**
 * Builds the middleware onion once (Django's `load_middleware`): factories are
 * called bottom-up with the next layer; `MiddlewareNotUsed` drops one; hooks are
 * collected in Django's order (processView top-down, the others bottom-up).
 *
 * @example
 * const chain = loadMiddleware(state);
 * const response = await chain(request);
 */
export function loadMiddleware(state: HandlerState): GetResponse {
  const chain = loadMiddlewareLayers(state);
  return (request) => Promise.resolve(chain(request));
}

/**
 * {@link loadMiddleware} as the handler uses it: the chain answers synchronously when every
 * layer did (middleware marked with `acceptsSyncLayer` and a view that returned a response),
 * else with a promise. Middleware not so marked get a promise from the layer below, as before.
 *
 * @example
 * const answer = loadMiddlewareLayers(state)(request); // a response or a promise of one
 */
export function loadMiddlewareLayers(state: HandlerState): NextLayer {
  const hooks: MiddlewareHooks = { view: [], exception: [], templateResponse: [] };
  let handler = convertedLayer((request) => viewResponse(request, state, hooks), state);
  const factories = state.settings.MIDDLEWARE;
  for (let index = factories.length - 1; index >= 0; index--) {
    const factory = factories[index];
    const name = factory?.name || `MIDDLEWARE[${index}]`;
    if (typeof factory !== "function") throw new ImproperlyConfigured(`MIDDLEWARE[${index}] is not a middleware factory function.`);
    let middleware;
    try {
      middleware = takesSyncLayer(factory) ? factory(handler, state.settings) : factory(promised(handler), state.settings);
    } catch (error) {
      if (error instanceof MiddlewareNotUsed) {
        if (state.settings.DEBUG) logError(undefined, `MiddlewareNotUsed(${JSON.stringify(name)}): ${error.message}`);
        continue;
      }
      throw error;
    }
    if (typeof middleware !== "function") {
      throw new ImproperlyConfigured(`Middleware factory ${name} returned ${middleware === null ? "null" : typeof middleware}; it must return a function (request) => response.`);
    }
    if (middleware.processView) hooks.view.unshift(middleware.processView.bind(middleware));
    if (middleware.processTemplateResponse) hooks.templateResponse.push(middleware.processTemplateResponse.bind(middleware));
    if (middleware.processException) hooks.exception.push(middleware.processException.bind(middleware));
    handler = checkedLayer(middleware, `Middleware ${name}`, state);
  }
  return handler;
}

/** The layer as a middleware not marked `acceptsSyncLayer` expects it: always a promise. */
function promised(layer: NextLayer): GetResponse {
  return (request) => {
    const answer = layer(request);
    return answer instanceof Promise ? answer : Promise.resolve(answer);
  };
}

/** {@link convertExceptionToResponse} for a layer that may answer synchronously: a sync answer stays sync. */
function convertedLayer(inner: NextLayer, state: HandlerState): NextLayer {
  return (request) => {
    let answer: HttpResponseBase | Promise<HttpResponseBase>;
    try {
      answer = inner(request);
    } catch (error) {
      return responseForException(request, error, state);
    }
    return isPromiseLike(answer) ? settle(answer, asIs, request, state) : answer;
  };
}

/**
 * One middleware as a layer of the onion: its result checked to be a response, and any
 * error (its own or the check's) turned into one. The same as
 * `convertExceptionToResponse(async (r) => checkResponse(await middleware(r), culprit))`,
 * with the culprit's name built once and no promise when the middleware answered synchronously.
 */
function checkedLayer(middleware: Middleware, culprit: string, state: HandlerState): NextLayer {
  const check = (value: unknown): HttpResponseBase => checkResponse(value, culprit);
  return (request: HttpRequest) => {
    try {
      const answer = middleware(request);
      return isPromiseLike(answer) ? settle(answer, check, request, state) : check(answer);
    } catch (error) {
      return responseForException(request, error, state);
    }
  };
}

const asIs = (response: HttpResponseBase): HttpResponseBase => response;

/** The async end of a layer: waits, checks the answer, turns an error into a response. */
async function settle<T>(answer: PromiseLike<T>, check: (value: T) => HttpResponseBase, request: HttpRequest, state: HandlerState): Promise<HttpResponseBase> {
  try {
    return check(await answer);
  } catch (error) {
    return responseForException(request, error, state);
  }
}

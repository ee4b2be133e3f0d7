import { ImproperlyConfigured, MiddlewareNotUsed } from "../exceptions.js";
import type { HttpRequest } from "../http/request.js";
import type { GetResponse, Middleware } from "../middleware/types.js";
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
  const hooks: MiddlewareHooks = { view: [], exception: [], templateResponse: [] };
  let handler = convertExceptionToResponse((request) => viewResponse(request, state, hooks), state);
  const factories = state.settings.MIDDLEWARE;
  for (let index = factories.length - 1; index >= 0; index--) {
    const factory = factories[index];
    const name = factory?.name || `MIDDLEWARE[${index}]`;
    if (typeof factory !== "function") throw new ImproperlyConfigured(`MIDDLEWARE[${index}] is not a middleware factory function.`);
    let middleware;
    try {
      middleware = factory(handler, state.settings);
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

/**
 * One middleware as a layer of the onion: its result checked to be a response, and any
 * error (its own or the check's) turned into one. The same as
 * `convertExceptionToResponse(async (r) => checkResponse(await middleware(r), culprit))`
 * in one async function instead of two, with the culprit's name built once.
 */
function checkedLayer(middleware: Middleware, culprit: string, state: HandlerState): GetResponse {
  return async (request: HttpRequest) => {
    try {
      return checkResponse(await middleware(request), culprit);
    } catch (error) {
      return responseForException(request, error, state);
    }
  };
}

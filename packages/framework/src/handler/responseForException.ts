import type { Environ } from "tsgi";
import { BadRequest, Http404, PermissionDenied, RequestDataTooBig, SuspiciousOperation } from "../exceptions.js";
import { technical404Response } from "../debug/technical404.js";
import { technical500Response } from "../debug/technical500.js";
import type { HttpRequest } from "../http/request.js";
import type { HttpResponseBase } from "../http/response/base.js";
import { HttpResponse } from "../http/response/httpResponse.js";
import { HttpResponseServerError } from "../http/response/statusResponses.js";
import type { RenderableResponse } from "../middleware/types.js";
import { gotRequestException } from "../signals/index.js";
import { requestTooLarge } from "../views/defaults.js";
import { errorView, type ErrorStatus } from "./errorViews.js";
import { logError } from "./logError.js";
import { retryAfterFor } from "./unavailable.js";
import type { HandlerState } from "./state.js";

/**
 * The response for an error thrown inside a middleware layer or view (Django's
 * `response_for_exception`): Http404 -> 404, PermissionDenied -> 403,
 * BadRequest / SuspiciousOperation -> 400 (RequestDataTooBig -> 413), ServiceUnavailable
 * or an unreachable database -> 503 with Retry-After, anything else -> 500 after `gotRequestException`. DEBUG shows the technical pages;
 * otherwise the configured error views, and nothing internal leaks.
 *
 * @example
 * try { return await next(request); } catch (error) { return responseForException(request, error, state); }
 */
export async function responseForException(request: HttpRequest, error: unknown, state: HandlerState): Promise<HttpResponseBase> {
  const { settings } = state;
  let response: HttpResponseBase;
  if (error instanceof Http404) {
    response = settings.DEBUG ? technical404Response(request, error) : await errorResponse(request, 404, error, state);
  } else if (error instanceof PermissionDenied) {
    logError(request.META, `Forbidden (Permission denied): ${request.path}`);
    response = await errorResponse(request, 403, error, state);
  } else if (error instanceof BadRequest) {
    logError(request.META, `Bad request: ${request.path}: ${error.message}`);
    response = await errorResponse(request, 400, error, state);
  } else if (error instanceof SuspiciousOperation) {
    logError(request.META, `${error.name}: ${error.message}`);
    const status = error instanceof RequestDataTooBig ? 413 : 400;
    if (settings.DEBUG) response = technical500Response(request, error, settings, status);
    else if (status === 413) response = requestTooLarge(request, error);
    else response = await errorResponse(request, 400, error, state);
  } else if (retryAfterFor(error) !== undefined) {
    // The cache or database is down: a bounded 503 the client can retry, not a 500 bug report.
    logError(request.META, `Service Unavailable: ${request.path}`, error);
    response = settings.DEBUG ? technical500Response(request, error, settings, 503) : new HttpResponse("<h1>Service Unavailable (503)</h1>", { status: 503 });
    response.headers.set("Retry-After", String(retryAfterFor(error)));
  } else {
    await sendGotRequestException(request, error);
    response = await handleUncaughtException(request, error, state);
  }
  // An error view may answer with a TemplateResponse; nothing later would render it.
  return renderIfNeeded(response);
}

/**
 * A 500 for an unexpected error (Django's `handle_uncaught_exception`); rethrows with DEBUG_PROPAGATE_EXCEPTIONS.
 *
 * @example
 * return handleUncaughtException(request, error, state);
 */
export async function handleUncaughtException(
  request: HttpRequest | undefined,
  error: unknown,
  state: HandlerState,
  environ: Environ | undefined = request?.META,
): Promise<HttpResponseBase> {
  const { settings } = state;
  if (settings.DEBUG_PROPAGATE_EXCEPTIONS) throw error;
  logError(environ, `Internal Server Error: ${request?.path ?? String(environ?.PATH_INFO ?? "(unknown path)")}`, error);
  if (settings.DEBUG) return technical500Response(request, error, settings);
  if (request === undefined) return new HttpResponseServerError("<h1>Server Error (500)</h1>");
  try {
    return await renderIfNeeded(await errorView(500, state.urlconf, settings)(request));
  } catch (viewError) {
    // The 500 view itself failed: a fixed page, never a crash.
    logError(request.META, "The handler500 view raised an error", viewError);
    return new HttpResponseServerError("<h1>Server Error (500)</h1>");
  }
}

async function errorResponse(request: HttpRequest, status: ErrorStatus, error: unknown, state: HandlerState): Promise<HttpResponseBase> {
  try {
    return await errorView(status, state.urlconf, state.settings)(request, error);
  } catch (viewError) {
    await sendGotRequestException(request, viewError);
    return handleUncaughtException(request, viewError, state);
  }
}

async function sendGotRequestException(request: HttpRequest, error: unknown): Promise<void> {
  // A broken receiver must not turn the 500 page into a crash; it is logged instead.
  for (const failure of await gotRequestException.sendRobust(null, { request, error })) {
    logError(request.META, "A gotRequestException receiver raised an error", failure.error);
  }
}

function isRenderable(response: HttpResponseBase): response is RenderableResponse {
  return typeof (response as Partial<RenderableResponse>).render === "function";
}

/** Renders a late-rendered response that has not been rendered yet. */
export async function renderIfNeeded(response: HttpResponseBase): Promise<HttpResponseBase> {
  return isRenderable(response) && !response.isRendered ? await response.render() : response;
}

export { isRenderable };

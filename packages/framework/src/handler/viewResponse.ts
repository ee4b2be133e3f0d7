import type { HttpRequest } from "../http/request.js";
import type { HttpResponseBase } from "../http/response/base.js";
import type { Middleware, MaybeResponse } from "../middleware/types.js";
import { callViewAtomically } from "../db/atomicRequests.js";
import { checkResponse } from "./checkResponse.js";
import { isRenderable } from "./responseForException.js";
import type { HandlerState } from "./state.js";

/** The hooks collected from loaded middleware, each list already in Django's call order. */
export interface MiddlewareHooks {
  view: Array<NonNullable<Middleware["processView"]>>;
  exception: Array<NonNullable<Middleware["processException"]>>;
  templateResponse: Array<NonNullable<Middleware["processTemplateResponse"]>>;
}

/**
 * The innermost layer (Django's `BaseHandler._get_response`): checks the host,
 * resolves the URL, runs `processView` hooks, calls the view, gives a thrown
 * error to `processException` hooks, runs `processTemplateResponse` hooks and
 * renders late-rendered responses.
 *
 * @example
 * const response = await viewResponse(request, state, hooks);
 */
export async function viewResponse(request: HttpRequest, state: HandlerState, hooks: MiddlewareHooks): Promise<HttpResponseBase> {
  // Checked for every request, not only when a view asks: a poisoned Host never reaches a view.
  request.getHost();
  const match = state.resolver.resolve(request.pathInfo);
  request.resolverMatch = match;
  const view = match.func;

  let response: MaybeResponse;
  for (const processView of hooks.view) {
    response = await processView(request, view, match.args, match.kwargs);
    if (response) break;
  }
  if (!response) {
    try {
      response = await callViewAtomically(state.settings, view, () => view(request, match.kwargs));
    } catch (error) {
      response = await processException(error, request, hooks);
      if (!response) throw error;
    }
  }
  let checked = checkResponse(response, `The view ${view.name || "(anonymous)"}`);

  if (isRenderable(checked)) {
    for (const processTemplateResponse of hooks.templateResponse) {
      checked = checkResponse(await processTemplateResponse(request, checked as never), "A processTemplateResponse hook");
    }
    if (isRenderable(checked) && !checked.isRendered) {
      try {
        checked = checkResponse(await checked.render(), "A response's render()");
      } catch (error) {
        const handled = await processException(error, request, hooks);
        if (!handled) throw error;
        checked = handled;
      }
    }
  }
  return checked;
}

/** Gives the error to each `processException` hook (bottom middleware first); the first response wins. */
async function processException(error: unknown, request: HttpRequest, hooks: MiddlewareHooks): Promise<HttpResponseBase | undefined> {
  for (const hook of hooks.exception) {
    const response = await hook(request, error);
    if (response) return checkResponse(response, "A processException hook");
  }
  return undefined;
}

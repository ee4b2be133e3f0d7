import type { HttpRequest } from "../http/request.js";
import type { HttpResponseBase } from "../http/response/base.js";
import { isPromiseLike, type Middleware, type MaybeResponse } from "../middleware/types.js";
import type { ResolverMatch } from "../urls/resolverMatch.js";
import type { View } from "../views/types.js";
import { callViewAtomically, viewRunsAtomically } from "../db/atomicRequests.js";
import { checkResponse } from "./checkResponse.js";
import { isRenderable } from "./responseForException.js";
import type { HandlerState } from "./state.js";

/** The hooks collected from loaded middleware, each list already in Django's call order. */
export interface MiddlewareHooks {
  view: Array<NonNullable<Middleware["processView"]>>;
  exception: Array<NonNullable<Middleware["processException"]>>;
  templateResponse: Array<NonNullable<Middleware["processTemplateResponse"]>>;
}

type Answer = HttpResponseBase | Promise<HttpResponseBase>;

/**
 * The innermost layer (Django's `BaseHandler._get_response`): checks the host,
 * resolves the URL, runs `processView` hooks, calls the view, gives a thrown
 * error to `processException` hooks, runs `processTemplateResponse` hooks and
 * renders late-rendered responses.
 *
 * Synchronous as long as every step is: the first hook or view that returns a promise
 * hands the remaining steps, in the same order, to their async versions below.
 *
 * @example
 * const response = await viewResponse(request, state, hooks);
 */
export function viewResponse(request: HttpRequest, state: HandlerState, hooks: MiddlewareHooks): Answer {
  // Checked for every request, not only when a view asks: a poisoned Host never reaches a view.
  request.getHost();
  const match = state.resolver.resolve(request.pathInfo);
  request.resolverMatch = match;
  const view = match.func;

  const viewHooks = hooks.view;
  for (let index = 0; index < viewHooks.length; index++) {
    const early = (viewHooks[index] as (typeof viewHooks)[number])(request, view, match.args, match.kwargs);
    if (isPromiseLike(early)) return afterViewHook(request, state, hooks, match, index, early);
    if (early) return finish(request, view, early, hooks);
  }
  if (viewRunsAtomically(state.settings, view)) return callViewAsync(request, state, hooks, match);
  let response: MaybeResponse | Promise<MaybeResponse>;
  try {
    response = view(request, match.kwargs);
  } catch (error) {
    return viewFailed(error, request, view, hooks);
  }
  if (isPromiseLike(response)) return awaitView(request, view, response, hooks);
  return finish(request, view, response, hooks);
}

/** The rest of the `processView` hooks after the one at `index` returned a promise, then the view. */
async function afterViewHook(request: HttpRequest, state: HandlerState, hooks: MiddlewareHooks, match: ResolverMatch, index: number, pending: PromiseLike<MaybeResponse>): Promise<HttpResponseBase> {
  const view = match.func;
  let response: MaybeResponse = await pending;
  for (let next = index + 1; !response && next < hooks.view.length; next++) {
    response = await (hooks.view[next] as (typeof hooks.view)[number])(request, view, match.args, match.kwargs);
  }
  if (response) return finish(request, view, response, hooks);
  return callViewAsync(request, state, hooks, match);
}

/** The view called the async way (always, under ATOMIC_REQUESTS). */
async function callViewAsync(request: HttpRequest, state: HandlerState, hooks: MiddlewareHooks, match: ResolverMatch): Promise<HttpResponseBase> {
  const view = match.func;
  let response: MaybeResponse;
  try {
    response = await callViewAtomically(state.settings, view, () => view(request, match.kwargs));
  } catch (error) {
    response = await processException(error, request, hooks);
    if (!response) throw error;
  }
  return finish(request, view, response, hooks);
}

/** A view's promise, waited for; a rejection goes to the `processException` hooks. */
async function awaitView(request: HttpRequest, view: View, pending: PromiseLike<MaybeResponse>, hooks: MiddlewareHooks): Promise<HttpResponseBase> {
  let response: MaybeResponse;
  try {
    response = await pending;
  } catch (error) {
    return viewFailed(error, request, view, hooks);
  }
  return finish(request, view, response, hooks);
}

/** A view threw: the first `processException` hook's response, else the error goes on up. */
async function viewFailed(error: unknown, request: HttpRequest, view: View, hooks: MiddlewareHooks): Promise<HttpResponseBase> {
  const response = await processException(error, request, hooks);
  if (!response) throw error;
  return finish(request, view, response, hooks);
}

/** Checks the view's answer; a late-rendered response goes through the template hooks and is rendered. */
function finish(request: HttpRequest, view: View, response: MaybeResponse, hooks: MiddlewareHooks): Answer {
  const checked = checkResponse(response, `The view ${view.name || "(anonymous)"}`);
  return isRenderable(checked) ? renderLate(request, checked, hooks) : checked;
}

async function renderLate(request: HttpRequest, response: HttpResponseBase, hooks: MiddlewareHooks): Promise<HttpResponseBase> {
  let checked = response;
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

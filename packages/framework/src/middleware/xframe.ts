import type { HttpRequest } from "../http/request.js";
import type { HttpResponseBase } from "../http/response.js";
import type { View, ViewKwargs } from "../views/types.js";
import { acceptsSyncLayer, type SyncLayerFactory } from "./types.js";

// Responses whose view opted out of the header (Django sets `response.xframe_options_exempt`).
const exempt = new WeakSet<HttpResponseBase>();

/**
 * Django's `XFrameOptionsMiddleware`: sends `X-Frame-Options` (setting `X_FRAME_OPTIONS`,
 * `DENY` by default) so other sites cannot frame pages for clickjacking, unless the
 * response already has the header or its view is wrapped in {@link xframeOptionsExempt}.
 *
 * @example
 * defineSettings({ MIDDLEWARE: [XFrameOptionsMiddleware], X_FRAME_OPTIONS: "SAMEORIGIN", ... });
 */
export const XFrameOptionsMiddleware: SyncLayerFactory = (getResponse, settings) => {
  const frameOptions = (response: HttpResponseBase): HttpResponseBase => {
    if (response.headers.has("X-Frame-Options") || exempt.has(response)) return response;
    response.headers.set("X-Frame-Options", (settings.X_FRAME_OPTIONS ?? "DENY").toUpperCase());
    return response;
  };
  return (request) => {
    const response = getResponse(request);
    return response instanceof Promise ? response.then(frameOptions) : frameOptions(response);
  };
};
// Given the next layer as is (a response or a promise): see acceptsSyncLayer.
acceptsSyncLayer(XFrameOptionsMiddleware);

/**
 * Lets a view's pages be framed (no `X-Frame-Options` from the middleware).
 *
 * @example
 * path("embed/", xframeOptionsExempt(embedView));
 */
export function xframeOptionsExempt<K = ViewKwargs>(view: View<K>): View<K> {
  return async (request: HttpRequest, kwargs: K) => {
    const response = await view(request, kwargs);
    exempt.add(response);
    return response;
  };
}

/** Sets `X-Frame-Options: DENY` for this view whatever the setting. @example path("pay/", xframeOptionsDeny(pay)); */
export function xframeOptionsDeny<K = ViewKwargs>(view: View<K>): View<K> {
  return withFrameOption(view, "DENY");
}

/** Sets `X-Frame-Options: SAMEORIGIN` for this view. @example path("doc/", xframeOptionsSameorigin(doc)); */
export function xframeOptionsSameorigin<K = ViewKwargs>(view: View<K>): View<K> {
  return withFrameOption(view, "SAMEORIGIN");
}

function withFrameOption<K>(view: View<K>, value: "DENY" | "SAMEORIGIN"): View<K> {
  return async (request: HttpRequest, kwargs: K) => {
    const response = await view(request, kwargs);
    response.headers.setDefault("X-Frame-Options", value);
    return response;
  };
}

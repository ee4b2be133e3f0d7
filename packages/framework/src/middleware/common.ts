import { FrameworkError, PermissionDenied, Resolver404 } from "../exceptions.js";
import { currentContext } from "../handler/requestContext.js";
import type { HttpRequest } from "../http/request.js";
import { HttpResponse, HttpResponsePermanentRedirect } from "../http/response.js";
import type { Settings } from "../settings/types.js";
import type { View, ViewKwargs } from "../views/types.js";
import type { HttpResponseBase } from "../http/response/base.js";
import { acceptsSyncLayer, type SyncLayerFactory } from "./types.js";

/** APPEND_SLASH cannot redirect a POST without losing its body; in DEBUG this explains the fix. */
export class AppendSlashPostError extends FrameworkError {}

// Views that must not get the APPEND_SLASH redirect (Django's `should_append_slash = False`).
const noSlashViews = new WeakSet<object>();

/**
 * Turns off the APPEND_SLASH redirect for URLs that would reach this view with a slash
 * (Django's `no_append_slash`), e.g. for an API that wants its own 404.
 *
 * @example
 * path("api/items/", noAppendSlash(items));
 */
export function noAppendSlash<K = ViewKwargs>(view: View<K>): View<K> {
  const wrapped: View<K> = (request, kwargs) => view(request, kwargs);
  noSlashViews.add(wrapped);
  return wrapped;
}

/**
 * Django's `CommonMiddleware`:
 * - `DISALLOWED_USER_AGENTS` (regular expressions): matching User-Agents get 403.
 * - `PREPEND_WWW`: 301 to `www.` + host (slash appended too when APPEND_SLASH applies).
 * - `APPEND_SLASH` (default true): a 404 for `/path` whose `/path/` exists becomes a 301
 *   to `/path/`, keeping the query string.
 * - Adds `Content-Length` to non-streaming responses.
 *
 * @example
 * defineSettings({ MIDDLEWARE: [SecurityMiddleware, SessionMiddleware, CommonMiddleware, ...], ... });
 */
export const CommonMiddleware: SyncLayerFactory = (getResponse, settings) => {
  const after = (request: HttpRequest, response: HttpResponseBase): HttpResponseBase => {
    if (response.statusCode === 404 && shouldRedirectWithSlash(request, settings)) {
      return new HttpResponsePermanentRedirect(fullPathWithSlash(request, settings));
    }
    if (!response.streaming && response instanceof HttpResponse && !response.headers.has("Content-Length")) {
      response.headers.set("Content-Length", response.content.length);
    }
    return response;
  };
  return (request) => {
    const userAgent = request.META.HTTP_USER_AGENT;
    if (typeof userAgent === "string" && settings.DISALLOWED_USER_AGENTS.some((pattern) => pattern.test(userAgent))) {
      throw new PermissionDenied("Forbidden user agent");
    }
    const host = request.getHost();
    if (settings.PREPEND_WWW && host && !host.startsWith("www.")) {
      const path = shouldRedirectWithSlash(request, settings) ? fullPathWithSlash(request, settings) : request.getFullPath();
      return new HttpResponsePermanentRedirect(`${request.scheme}://www.${host}${path}`);
    }
    const response = getResponse(request);
    return response instanceof Promise ? response.then((value) => after(request, value)) : after(request, response);
  };
};
// Given the next layer as is (a response or a promise): see acceptsSyncLayer.
acceptsSyncLayer(CommonMiddleware);

/** True when the path lacks a trailing slash, does not resolve, and does with one. */
function shouldRedirectWithSlash(request: HttpRequest, settings: Settings): boolean {
  if (!settings.APPEND_SLASH || request.pathInfo.endsWith("/")) return false;
  const resolver = currentContext()?.resolver;
  if (resolver === undefined) return false;
  if (resolves(resolver, request.pathInfo) !== undefined) return false;
  const view = resolves(resolver, `${request.pathInfo}/`);
  return view !== undefined && !noSlashViews.has(view);
}

function resolves(resolver: { resolve(path: string): { func: View } }, path: string): View | undefined {
  try {
    return resolver.resolve(path).func;
  } catch (error) {
    if (error instanceof Resolver404) return undefined;
    throw error;
  }
}

function fullPathWithSlash(request: HttpRequest, settings: Settings): string {
  // "//evil.example/" would be a scheme-relative URL to another site (Django's escape_leading_slashes).
  const path = request.getFullPath(true).replace(/^\/\//, "/%2F");
  if (settings.DEBUG && ["POST", "PUT", "PATCH"].includes(request.method)) {
    const target = `${request.META.SERVER_NAME}${path}`;
    throw new AppendSlashPostError(
      `You called this URL via ${request.method}, but the URL doesn't end in a slash and you have APPEND_SLASH set. ` +
        `The framework can't redirect to the slash URL while keeping ${request.method} data. ` +
        `Change your form to point to ${target} (note the trailing slash), or set APPEND_SLASH: false in your settings.`,
    );
  }
  return path;
}

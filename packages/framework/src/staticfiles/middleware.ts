import { stat } from "node:fs/promises";
import { rawTargetOf } from "tsgi/helpers";
import { Http404, MiddlewareNotUsed } from "../exceptions.js";
import type { HttpRequest } from "../http/request.js";
import { FileResponse, HttpResponseNotAllowed, type HttpResponseBase } from "../http/response.js";
import { conditionalResponse } from "../middleware/conditional.js";
import type { MiddlewareFactory } from "../middleware/types.js";
import type { Settings } from "../settings/types.js";
import { findStaticFile } from "./finders.js";

/**
 * Serves one static file from STATICFILES_DIRS and the apps' `static/` folders (Django's
 * `staticfiles.views.serve`), with Last-Modified and 304 for If-Modified-Since.
 * Throws Http404 for files that are not there or paths that leave the folders.
 *
 * @example
 * return serveStatic(request, "css/site.css");
 */
export async function serveStatic(request: HttpRequest, relativePath: string): Promise<HttpResponseBase> {
  const file = relativePath === "" || relativePath.endsWith("/") ? undefined : await findStaticFile(request.settings, relativePath, rawTargetOf(request.META));
  if (file === undefined) throw new Http404(`"${relativePath}" could not be found`);
  const info = await stat(file);
  const response = await FileResponse.open(file);
  const lastModified = new Date(Math.floor(info.mtimeMs / 1000) * 1000);
  response.headers.set("Last-Modified", lastModified.toUTCString());
  return conditionalResponse(request, response, undefined, lastModified.getTime() / 1000);
}

/** STATIC_URL's path, when it is a local path (not a CDN URL), ending in "/". */
export function localStaticPrefix(settings: Settings): string | undefined {
  const url = settings.STATIC_URL;
  if (!url || /^[a-z][a-z0-9+.-]*:\/\//i.test(url) || url.startsWith("//")) return undefined;
  const withSlashes = `/${url.replace(/^\/+/, "")}`;
  return withSlashes.endsWith("/") ? withSlashes : `${withSlashes}/`;
}

/**
 * Serves static files under STATIC_URL while DEBUG is on, straight from the source folders
 * (what Django's runserver does), so development needs no collectstatic. With DEBUG off it
 * removes itself (MiddlewareNotUsed): in production a web server serves STATIC_ROOT.
 * List it first in MIDDLEWARE.
 *
 * @example
 * defineSettings({ DEBUG: true, STATIC_URL: "/static/", STATICFILES_DIRS: ["static"], MIDDLEWARE: [StaticFilesMiddleware, ...] });
 */
export const StaticFilesMiddleware: MiddlewareFactory = (getResponse, settings) => {
  const prefix = localStaticPrefix(settings);
  if (!settings.DEBUG || prefix === undefined) throw new MiddlewareNotUsed("StaticFilesMiddleware serves files only with DEBUG on and a local STATIC_URL.");
  return async (request) => {
    if (!request.pathInfo.startsWith(prefix)) return getResponse(request);
    if (request.method !== "GET" && request.method !== "HEAD") return new HttpResponseNotAllowed(["GET", "HEAD"]);
    return serveStatic(request, request.pathInfo.slice(prefix.length));
  };
};

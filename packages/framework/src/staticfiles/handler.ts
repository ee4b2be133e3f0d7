import { open, stat } from "node:fs/promises";
import mime from "mime-types";
import { callApplication, fileWrapper, lifespanOf, type Application, type LifespanApplication, type Environ, type ResponseBody, type StartResponse } from "tsgi";
import { formatHttpDate, parseHttpDate, rawTargetOf } from "tsgi/helpers";
import type { Settings } from "../settings/types.js";
import { findStaticFile } from "./finders.js";
import { localStaticPrefix } from "./middleware.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

function text(startResponse: StartResponse, status: string, body: string, headers: Array<[string, string]> = []): ResponseBody {
  const bytes = encoder.encode(body);
  startResponse(status, [["Content-Type", "text/plain; charset=utf-8"], ["Content-Length", String(bytes.length)], ...headers]);
  return [bytes];
}

/**
 * Wraps a TSGI app so requests under STATIC_URL are answered with files from
 * STATICFILES_DIRS and the apps' `static/` folders (Django's `StaticFilesHandler`, which
 * `runserver` puts in front of the project with DEBUG on). Returns `app` unchanged when
 * DEBUG is off or STATIC_URL is not a local path.
 *
 * @example
 * const served = staticFilesHandler(application, application.settings);
 */
export function staticFilesHandler(app: Application, settings: Settings): Application {
  const prefix = localStaticPrefix(settings);
  if (!settings.DEBUG || prefix === undefined) return app;
  const handler: LifespanApplication = async (environ: Environ, startResponse: StartResponse): Promise<ResponseBody> => {
    let path: string;
    try {
      path = utf8.decode(Buffer.from(environ.PATH_INFO, "latin1"));
    } catch {
      return callApplication(app, environ, startResponse);
    }
    if (!path.startsWith(prefix)) return callApplication(app, environ, startResponse);
    if (environ.REQUEST_METHOD !== "GET" && environ.REQUEST_METHOD !== "HEAD") {
      return text(startResponse, "405 Method Not Allowed", "Static files answer GET and HEAD only.\n", [["Allow", "GET, HEAD"]]);
    }
    const relativePath = path.slice(prefix.length);
    const file = relativePath === "" || relativePath.endsWith("/") ? undefined : await findStaticFile(settings, relativePath, rawTargetOf(environ));
    if (file === undefined) return text(startResponse, "404 Not Found", `"${relativePath}" could not be found\n`);
    const info = await stat(file);
    const lastModified = Math.floor(info.mtimeMs / 1000);
    const since = parseHttpDate(typeof environ.HTTP_IF_MODIFIED_SINCE === "string" ? environ.HTTP_IF_MODIFIED_SINCE : undefined);
    if (since !== undefined && lastModified <= since) {
      startResponse("304 Not Modified", [["Last-Modified", formatHttpDate(lastModified)]]);
      return [];
    }
    const type = mime.lookup(file) || "application/octet-stream";
    const charset = mime.charset(type);
    startResponse("200 OK", [
      ["Content-Type", charset ? `${type}; charset=${charset.toLowerCase()}` : type],
      ["Content-Length", String(info.size)],
      ["Last-Modified", formatHttpDate(lastModified)],
    ]);
    const wrap = environ["tsgi.file_wrapper"] ?? fileWrapper;
    return wrap(await open(file, "r"));
  };
  // tsgi-dev (manage runserver) runs the project's lifespan through this wrapper: forward it (SPEC.md, "Lifespan").
  const lifespan = lifespanOf(app);
  if (lifespan !== undefined) handler.lifespan = lifespan;
  return handler;
}

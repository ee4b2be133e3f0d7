import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { Stats } from "node:fs";
import { basename, join, resolve } from "node:path";
import mime from "mime-types";
import { callApplication } from "tsgi";
import type { Application, Environ, ResponseBody, ResponseHeaders, StartResponse } from "tsgi";
import { evaluatePreconditions, ifRangeMatches, validatorsFor } from "./conditional.js";
import type { FileValidators } from "./conditional.js";
import { parseRange } from "./range.js";
import { isInsideRoot, rawTargetOf, safeJoin } from "tsgi/helpers";

/** One `--static PREFIX=DIR` mount: URLs under `prefix` are files under `directory`. */
export interface StaticMount {
  prefix: string;
  directory: string;
}

/** Options for {@link staticFiles}. */
export interface StaticFilesOptions {
  mounts: readonly StaticMount[];
  /** Environ key holding the raw request target, used to refuse encoded separators (`%2f`). */
  rawTargetKey?: string;
}

const encoder = new TextEncoder();

/**
 * Middleware that serves files under URL prefixes and passes every other request
 * to `app`: Content-Type from the extension, ETag/Last-Modified with 304,
 * single `Range` requests (206/416), HEAD. Requests that try to leave the folder
 * (`..`, `%2e%2e`, `%2f`, backslashes, absolute paths, NUL, symlinks out) get 404.
 *
 * @example
 * const app = staticFiles(myApp, { mounts: [{ prefix: "/static", directory: "public" }] });
 */
export function staticFiles(app: Application, options: StaticFilesOptions): Application {
  const mounts = options.mounts.map((mount) => ({ prefix: normalizePrefix(mount.prefix), root: resolve(mount.directory) }));
  return async (environ, startResponse) => {
    const path = environ.PATH_INFO;
    const mount = mounts.find(({ prefix }) => prefix === "" || path === prefix || path.startsWith(prefix + "/"));
    if (!mount) return callApplication(app, environ, startResponse);
    return serveFromMount(mount.root, path.slice(mount.prefix.length), environ, startResponse, options.rawTargetKey);
  };
}

async function serveFromMount(
  root: string,
  relativePath: string,
  environ: Environ,
  startResponse: StartResponse,
  rawTargetKey: string | undefined,
): Promise<ResponseBody> {
  const method = environ.REQUEST_METHOD;
  if (method !== "GET" && method !== "HEAD") {
    return textResponse(startResponse, "405 Method Not Allowed", `${method} is not allowed on static files\n`, [["Allow", "GET, HEAD"]]);
  }
  const rawValue = rawTargetKey ? environ[rawTargetKey] : undefined;
  const candidate = staticPathFor(root, relativePath, typeof rawValue === "string" ? rawValue : rawTargetOf(environ));
  const file = candidate === undefined ? undefined : await findFile(root, candidate);
  if (!file) return textResponse(startResponse, "404 Not Found", "Not Found\n");
  return sendFile(file.path, file.stats, environ, startResponse);
}

/** The file to send for a candidate path (a directory's index.html), or undefined; symlinks must stay inside `root`. */
async function findFile(root: string, candidate: string): Promise<{ path: string; stats: Stats } | undefined> {
  for (const path of [candidate, join(candidate, "index.html")]) {
    const stats = await stat(path).catch(() => undefined);
    if (stats?.isFile()) return (await isInsideRoot(root, path)) ? { path, stats } : undefined;
    if (!stats?.isDirectory()) return undefined;
  }
  return undefined;
}

function sendFile(path: string, stats: Stats, environ: Environ, startResponse: StartResponse): ResponseBody {
  const validators = validatorsFor(stats);
  const method = environ.REQUEST_METHOD;
  const precondition = evaluatePreconditions(
    {
      ifMatch: environ.HTTP_IF_MATCH,
      ifNoneMatch: environ.HTTP_IF_NONE_MATCH,
      ifModifiedSince: environ.HTTP_IF_MODIFIED_SINCE,
      ifUnmodifiedSince: environ.HTTP_IF_UNMODIFIED_SINCE,
    },
    validators,
    method,
  );
  if (precondition === "not-modified") {
    startResponse("304 Not Modified", validatorHeaders(validators));
    return [];
  }
  if (precondition === "failed") return textResponse(startResponse, "412 Precondition Failed", "Precondition Failed\n");

  const contentType = contentTypeFor(path);
  const headers: ResponseHeaders = [["Content-Type", contentType], ["Accept-Ranges", "bytes"], ...validatorHeaders(validators)];
  const range = method === "GET" && ifRangeMatches(environ.HTTP_IF_RANGE, validators) ? parseRange(environ.HTTP_RANGE, stats.size) : { kind: "none" as const };
  if (range.kind === "unsatisfiable") {
    return textResponse(startResponse, "416 Range Not Satisfiable", "Range Not Satisfiable\n", [["Content-Range", `bytes */${stats.size}`]]);
  }
  const { start, end } = range.kind === "satisfiable" ? range.range : { start: 0, end: stats.size - 1 };
  const length = Math.max(0, end - start + 1);
  if (range.kind === "satisfiable") {
    startResponse("206 Partial Content", [...headers, ["Content-Range", `bytes ${start}-${end}/${stats.size}`], ["Content-Length", String(length)]]);
  } else {
    startResponse("200 OK", [...headers, ["Content-Length", String(length)]]);
  }
  if (method === "HEAD" || length === 0) return [];
  return fileRangeBody(path, start, end);
}

function validatorHeaders(validators: FileValidators): ResponseHeaders {
  // no-cache: the browser may keep the file but must revalidate, so edits show on reload.
  return [["ETag", validators.etag], ["Last-Modified", validators.lastModified], ["Cache-Control", "no-cache"]];
}

/** A streamed, closable body over part of a file; `close()` releases the descriptor on every path. */
function fileRangeBody(path: string, start: number, end: number): ResponseBody {
  const stream = createReadStream(path, { start, end, highWaterMark: 64 * 1024 });
  return {
    [Symbol.asyncIterator]: () => stream[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>,
    close: () => void stream.destroy(),
  };
}

function textResponse(startResponse: StartResponse, status: string, text: string, extra: ResponseHeaders = []): ResponseBody {
  const body = encoder.encode(text);
  startResponse(status, [["Content-Type", "text/plain; charset=utf-8"], ["Content-Length", String(body.length)], ...extra]);
  return [body];
}

/** Without the dev server's raw-target key, other servers' equivalents (Gunicorn's RAW_URI, REQUEST_URI). */
/**
 * The file path for the part of `PATH_INFO` after a mount's prefix, inside
 * `root`, or undefined when the request tries to leave it (tsgi/helpers'
 * `safeJoin`: `..`, encoded `/` `\` NUL in the raw target, backslashes, NUL,
 * `//absolute`, drive letters). PATH_INFO carries bytes as latin-1 characters;
 * file names are UTF-8.
 *
 * @example
 * staticPathFor("/srv/public", "/css/site.css", "/static/css/site.css"); // "/srv/public/css/site.css"
 */
export function staticPathFor(root: string, relativePath: string, rawTarget: string | undefined): string | undefined {
  const decoded = Buffer.from(relativePath, "latin1").toString("utf8");
  // "/staticfoo" under the prefix "/static" is not in the mount.
  if (decoded !== "" && !decoded.startsWith("/")) return undefined;
  return safeJoin(root, decoded, rawTarget);
}

function normalizePrefix(prefix: string): string {
  const withSlash = prefix.startsWith("/") ? prefix : `/${prefix}`;
  return withSlash.replace(/\/+$/, "");
}

/**
 * The Content-Type of a static file from its extension; unknown ones are bytes.
 * mime-types 2 still says `application/javascript`, which RFC 9239 made obsolete for `text/javascript`.
 */
function contentTypeFor(path: string): string {
  const type = mime.contentType(basename(path)) || "application/octet-stream";
  return type.startsWith("application/javascript") ? `text/javascript${type.slice("application/javascript".length)}` : type;
}

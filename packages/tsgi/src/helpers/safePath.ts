import { realpath } from "node:fs/promises";
import { join, resolve, sep } from "node:path";

// Encoded separators and NUL in the raw target: after decoding they would be
// indistinguishable from real separators, so a request using them is refused.
const ENCODED_SEPARATOR_OR_NUL = /%(2f|5c|00)/i;
// A Windows drive (`C:`) as a path segment would make join() escape the root.
const DRIVE_SEGMENT = /^[A-Za-z]:$/;

/**
 * Joins a URL path (already percent-decoded, as text) under `root`, or gives
 * undefined when the request tries to leave it: `..` or `.` segments, encoded
 * `/`, `\` or NUL in the raw request target (when the server gives it),
 * backslashes, NUL bytes, empty segments (`//etc/passwd`) and drive letters.
 * A leading `/` is optional; a trailing one is kept as an empty last segment.
 * Symlinks are checked separately, on the file found: {@link isInsideRoot}.
 *
 * @example
 * safeJoin("/srv/public", "css/site.css"); // "/srv/public/css/site.css"
 * safeJoin("/srv/public", "/../secret"); // undefined
 * safeJoin("/srv/public", "/a/b", "/static/a%2fb"); // undefined
 */
export function safeJoin(root: string, urlPath: string, rawTarget?: string): string | undefined {
  if (rawTarget !== undefined && ENCODED_SEPARATOR_OR_NUL.test(rawTarget.split("?")[0] ?? "")) return undefined;
  if (urlPath.includes("\\") || urlPath.includes("\0")) return undefined;
  const segments = (urlPath.startsWith("/") ? urlPath.slice(1) : urlPath).split("/");
  if (urlPath === "" || urlPath === "/") segments.length = 0;
  for (const [index, segment] of segments.entries()) {
    const isLast = index === segments.length - 1;
    if (segment === ".." || segment === ".") return undefined;
    if (segment === "" && !isLast) return undefined;
    if (DRIVE_SEGMENT.test(segment)) return undefined;
  }
  const base = resolve(root);
  const candidate = join(base, ...segments);
  return candidate === base || candidate.startsWith(base + sep) ? candidate : undefined;
}

/**
 * True when `file`, with every symlink resolved, is still inside `root` (itself
 * resolved): a link pointing out of the folder is refused. False when either
 * does not exist.
 *
 * @example
 * await isInsideRoot("/srv/public", "/srv/public/link-to-etc"); // false
 */
export async function isInsideRoot(root: string, file: string): Promise<boolean> {
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    return realFile === realRoot || realFile.startsWith(realRoot + sep);
  } catch {
    return false;
  }
}

/** Environ keys where servers put the request target as it arrived (Gunicorn, uWSGI and CGI, tsgi-dev). */
const RAW_TARGET_KEYS = ["RAW_URI", "REQUEST_URI", "tsgi_dev.raw_uri"];

/**
 * The request target as the client sent it (still percent-encoded), when the
 * server put it in the environ; {@link safeJoin} refuses encoded separators in it.
 *
 * @example
 * safeJoin(root, path, rawTargetOf(environ));
 */
export function rawTargetOf(environ: Readonly<Record<string, unknown>>): string | undefined {
  for (const key of RAW_TARGET_KEYS) {
    const value = environ[key];
    if (typeof value === "string") return value;
  }
  return undefined;
}

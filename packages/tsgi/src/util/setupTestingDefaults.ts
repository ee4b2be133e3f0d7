import { assembleEnviron } from "../environ/assembleEnviron.js";
import { createInputStream } from "../input/inputStream.js";
import type { Environ } from "../types.js";
import { createMemoryErrorStream } from "./memoryErrorStream.js";
import { guessScheme } from "./uri.js";

/**
 * Fills an environ with the defaults a test needs (wsgiref's
 * `setup_testing_defaults`), never replacing a key already set: a `GET /` to
 * `127.0.0.1` over HTTP/1.0, every `tsgi.*` key, an empty `tsgi.input` and an
 * in-memory `tsgi.errors`. The defaults are an environ `assembleEnviron` builds
 * from what the test set (so they follow the same rules as every server's); the
 * object is filled in place and returned typed. For tests only: the data is made up.
 *
 * @example
 * const environ = setupTestingDefaults({ PATH_INFO: "/hello", QUERY_STRING: "name=Ada" });
 * const body = await callApplication(app, environ, startResponse);
 */
export function setupTestingDefaults(environ: Record<string, unknown> = {}): Environ {
  const text = (key: string): string | undefined => (typeof environ[key] === "string" ? (environ[key] as string) : undefined);
  const serverName = text("SERVER_NAME") ?? "127.0.0.1";
  const protocol = text("SERVER_PROTOCOL") ?? "HTTP/1.0";
  const scheme = text("tsgi.url_scheme") ?? guessScheme(environ);
  // As wsgiref: a test that set either of SCRIPT_NAME/PATH_INFO decides the split itself.
  const neither = environ.SCRIPT_NAME === undefined && environ.PATH_INFO === undefined;
  const defaults = assembleEnviron(
    {
      method: text("REQUEST_METHOD") ?? "GET",
      target: "/",
      httpVersion: protocol.startsWith("HTTP/") ? protocol.slice(5) : "1.0",
      rawHeaders: ["Host", text("HTTP_HOST") ?? serverName],
      scriptName: neither ? "" : (text("SCRIPT_NAME") ?? ""),
      pathInfo: neither ? "/" : (text("PATH_INFO") ?? ""),
    },
    { scheme, serverName, serverPort: text("SERVER_PORT") },
    createInputStream([]),
    { errors: createMemoryErrorStream() },
  );
  for (const [key, value] of Object.entries(defaults)) {
    if (environ[key] === undefined) environ[key] = value;
  }
  return environ as Environ;
}

import { assembleEnviron, guessScheme, isAssemblerKey, type ConnectionInfo, type Environ, type EnvironSettings, type InputStream, type RequestHead } from "tsgi";

/**
 * Builds the environ of a uwsgi request from the CGI variables nginx sends (`uwsgi_params`:
 * REQUEST_METHOD, REQUEST_URI, PATH_INFO, QUERY_STRING, CONTENT_*, SERVER_*, REMOTE_*, HTTPS,
 * HTTP_* headers) through tsgi's one assembler: the variables become a request head (method,
 * target, version, headers, and nginx's own PATH_INFO split), connection facts (remote and server
 * address, scheme) and server keys (every other variable is kept, as uWSGI does, plus `RAW_URI`).
 *
 * @example
 * const environ = environFromUwsgiVars(packet.vars, createInputStream(body), { multiprocess: true });
 * environ["tsgi.url_scheme"]; // "https" when nginx sent HTTPS=on
 */
export function environFromUwsgiVars(vars: ReadonlyMap<string, string>, input: InputStream, settings: EnvironSettings): Environ {
  const requestUri = vars.get("REQUEST_URI");
  const query = vars.get("QUERY_STRING") ?? "";
  const rawHeaders: string[] = [];
  const serverKeys: Record<string, string> = {};
  for (const [key, value] of vars) {
    if (key.startsWith("HTTP_")) {
      // nginx also passes Content-Type/-Length as HTTP_ variables: the CGI ones stand for them.
      if (key !== "HTTP_CONTENT_TYPE" && key !== "HTTP_CONTENT_LENGTH") rawHeaders.push(key.slice(5).replaceAll("_", "-"), value);
    }
    else if (key === "CONTENT_TYPE" || key === "CONTENT_LENGTH") {
      if (value !== "") rawHeaders.push(key === "CONTENT_TYPE" ? "Content-Type" : "Content-Length", value);
    } else if (!isAssemblerKey(key)) serverKeys[key] = value;
  }
  if (requestUri !== undefined) serverKeys.RAW_URI = requestUri;
  const pathInfo = vars.get("PATH_INFO");
  const scriptName = vars.get("SCRIPT_NAME");
  const head: RequestHead = {
    method: vars.get("REQUEST_METHOD") ?? "GET",
    target: requestUri ?? (query === "" ? "/" : `/?${query}`),
    httpVersion: (vars.get("SERVER_PROTOCOL") ?? "HTTP/1.0").replace(/^HTTP\//, ""),
    rawHeaders,
    ...(pathInfo !== undefined ? { pathInfo } : {}),
    ...(scriptName !== undefined && scriptName !== "" ? { scriptName } : {}),
  };
  const connection: ConnectionInfo = {
    remoteAddress: vars.get("REMOTE_ADDR"),
    remotePort: vars.get("REMOTE_PORT"),
    scheme: urlScheme(vars),
    serverName: vars.get("SERVER_NAME") ?? "localhost",
    serverPort: vars.get("SERVER_PORT") ?? "80",
  };
  return assembleEnviron(head, connection, input, settings, serverKeys);
}

function urlScheme(vars: ReadonlyMap<string, string>): string {
  if (guessScheme({ HTTPS: vars.get("HTTPS")?.toLowerCase() }) === "https") return "https";
  const scheme = (vars.get("UWSGI_SCHEME") ?? vars.get("REQUEST_SCHEME"))?.toLowerCase();
  return scheme === "https" ? "https" : "http";
}

import { isAssemblerKey } from "../environ/assembleEnviron.js";
import type { ConnectionInfo, RequestHead } from "../environ/types.js";
import { guessScheme } from "../util/uri.js";

/** What `assembleEnviron` takes, recovered from CGI-style variables. */
export interface CgiRequest {
  head: RequestHead;
  connection: ConnectionInfo;
  /** Every variable the assembler does not own (`REQUEST_URI`, `HTTPS`, `DOCUMENT_ROOT`, `PATH`...), kept as uWSGI and wsgiref keep them. */
  serverKeys: Record<string, string>;
}

/**
 * Turns CGI-style variables (a CGI process's environment, a uwsgi packet's vars) into the request head,
 * connection facts and server keys `assembleEnviron` takes, so CGI gateways build their environ like every
 * other server. The front server's `SCRIPT_NAME`/`PATH_INFO` split and `SERVER_NAME`/`SERVER_PORT` are kept;
 * without `PATH_INFO` the path comes from `REQUEST_URI`. `HTTP_*`, `CONTENT_TYPE` and `CONTENT_LENGTH` become
 * header fields (empty `CONTENT_*` and `HTTP_CONTENT_*` dropped). The scheme is https for `HTTPS=on|yes|1`
 * (wsgiref's `guess_scheme`) or a `REQUEST_SCHEME`/`UWSGI_SCHEME` of https.
 *
 * @example
 * const { head, connection, serverKeys } = requestFromCgiVariables(vars);
 * const environ = assembleEnviron(head, connection, input, { multiprocess: true }, serverKeys);
 */
export function requestFromCgiVariables(variables: Iterable<readonly [string, string]>): CgiRequest {
  const cgi: Record<string, string> = {};
  const rawHeaders: string[] = [];
  const serverKeys: Record<string, string> = {};
  for (const [key, value] of variables) {
    if (key.startsWith("HTTP_")) {
      if (key !== "HTTP_CONTENT_TYPE" && key !== "HTTP_CONTENT_LENGTH") rawHeaders.push(key.slice(5).replaceAll("_", "-"), value);
    } else if (key === "CONTENT_TYPE" || key === "CONTENT_LENGTH") {
      if (value !== "") rawHeaders.push(key === "CONTENT_TYPE" ? "Content-Type" : "Content-Length", value);
    } else if (isAssemblerKey(key)) {
      cgi[key] = value;
    } else {
      serverKeys[key] = value;
    }
  }
  const requestUri = serverKeys.REQUEST_URI;
  const query = cgi.QUERY_STRING;
  const fromUri = cgi.PATH_INFO === undefined && requestUri !== undefined && requestUri !== "";
  const head: RequestHead = {
    method: cgi.REQUEST_METHOD || "GET",
    target: fromUri ? requestUri : query ? `/?${query}` : "/",
    httpVersion: cgi.SERVER_PROTOCOL?.startsWith("HTTP/") ? cgi.SERVER_PROTOCOL.slice(5) : "1.0",
    rawHeaders,
    scriptName: cgi.SCRIPT_NAME ?? "",
  };
  if (!fromUri) head.pathInfo = cgi.PATH_INFO ?? "";
  const schemeName = (serverKeys.REQUEST_SCHEME ?? serverKeys.UWSGI_SCHEME)?.toLowerCase();
  const scheme = guessScheme({ HTTPS: serverKeys.HTTPS?.toLowerCase() }) === "https" || schemeName === "https" ? "https" : "http";
  const connection: ConnectionInfo = {
    remoteAddress: cgi.REMOTE_ADDR,
    remotePort: cgi.REMOTE_PORT,
    scheme,
    serverName: cgi.SERVER_NAME ?? "localhost",
    serverPort: cgi.SERVER_PORT || (scheme === "https" ? "443" : "80"),
  };
  return { head, connection, serverKeys };
}

import type { Environ } from "../types.js";
import type { ReportRow, ReportSection } from "./errorReport.js";
import { display, maskIfSensitive } from "./mask.js";

/** The request as far as the environ tells it: its request line and two sections. */
export interface EnvironReport {
  /** `GET /path?query HTTP/1.1` */
  requestLine: string;
  /** "Request" (the headers) and "Environ" (every key, sorted), secrets masked. */
  sections: ReportSection[];
}

/**
 * What a server's debug page shows about the request: the request line, the
 * request headers and every environ key, with values under sensitive names
 * (`HTTP_COOKIE`, `HTTP_AUTHORIZATION`, `*_TOKEN`, ...) masked.
 *
 * @example
 * const { requestLine, sections } = environSections(environ);
 * buildErrorReport(error, { requestLine, sections });
 */
export function environSections(environ: Environ, rawTarget?: string): EnvironReport {
  const query = environ.QUERY_STRING ? `?${environ.QUERY_STRING}` : "";
  const target = rawTarget ?? `${environ.SCRIPT_NAME}${environ.PATH_INFO}${query}`;
  const requestLine = `${environ.REQUEST_METHOD} ${target} ${environ.SERVER_PROTOCOL}`;
  const headers: ReportRow[] = [];
  const environRows: ReportRow[] = [];
  for (const key of Object.keys(environ).sort()) {
    const value = environ[key];
    environRows.push([key, typeof value === "string" ? JSON.stringify(maskIfSensitive(key, value)) : display(value)]);
    const header = headerNameFor(key);
    if (header !== undefined && typeof value === "string") headers.push([header, maskIfSensitive(key, value)]);
  }
  return {
    requestLine,
    sections: [
      { id: "request", title: "Request", blocks: [{ kind: "text", text: requestLine }, { kind: "table", rows: headers, separator: ": " }] },
      { id: "environ", title: "Environ", blocks: [{ kind: "table", rows: environRows }] },
    ],
  };
}

/** `HTTP_USER_AGENT` -> `User-Agent`; `CONTENT_TYPE` -> `Content-Type`; other keys are not headers. */
function headerNameFor(key: string): string | undefined {
  let name: string;
  if (key === "CONTENT_TYPE" || key === "CONTENT_LENGTH") name = key;
  else if (key.startsWith("HTTP_")) name = key.slice(5);
  else return undefined;
  return name
    .toLowerCase()
    .split("_")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("-");
}

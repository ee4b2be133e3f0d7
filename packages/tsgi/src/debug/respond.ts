import type { ErrorReport } from "./errorReport.js";
import { wantsHtml } from "./negotiate.js";
import { renderHtmlReport } from "./renderHtml.js";
import { renderTextReport } from "./renderText.js";

/** A rendered debug page: its body and the headers to send it with. */
export interface DebugResponse {
  body: string;
  contentType: "text/html; charset=utf-8" | "text/plain; charset=utf-8";
  /** Content-Type, no-store caching, nosniff. */
  headers: Array<[string, string]>;
}

/**
 * The report rendered for the client that asked: HTML when the `Accept`
 * header asks for `text/html`, plain text otherwise (curl, scripts).
 *
 * @example
 * const page = renderDebugResponse(report, environ.HTTP_ACCEPT);
 * startResponse("500 Internal Server Error", [...page.headers, ["Content-Length", String(byteLength)]], error);
 */
export function renderDebugResponse(report: ErrorReport, accept: string | undefined): DebugResponse {
  const html = wantsHtml(accept);
  const contentType = html ? "text/html; charset=utf-8" : "text/plain; charset=utf-8";
  return {
    body: html ? renderHtmlReport(report) : renderTextReport(report),
    contentType,
    headers: [
      ["Content-Type", contentType],
      ["Cache-Control", "no-store"],
      ["X-Content-Type-Options", "nosniff"],
    ],
  };
}

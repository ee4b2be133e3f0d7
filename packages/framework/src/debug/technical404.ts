import { Resolver404 } from "../exceptions.js";
import type { HttpRequest } from "../http/request.js";
import { HttpResponseNotFound } from "../http/response/statusResponses.js";
import { escapeHtml } from "./html.js";
import { debugPage, table } from "./page.js";
import { safeAbsoluteUri } from "./requestUrl.js";
import { errorMessage } from "tsgi/helpers";

/**
 * The DEBUG 404 page (Django's `technical_404_response`): the path and, when
 * no pattern matched, every URL pattern tried, in order.
 *
 * @example
 * return technical404Response(request, error);
 */
export function technical404Response(request: HttpRequest, error: unknown): HttpResponseNotFound {
  const tried = error instanceof Resolver404 ? error.tried : [];
  const reason = errorMessage(error);
  const summary = table([
    ["Request Method:", request.method],
    ["Request URL:", safeAbsoluteUri(request)],
    ...(request.resolverMatch ? ([["Raised by:", request.resolverMatch.viewName]] as const) : []),
  ]);
  let body: string;
  if (error instanceof Resolver404) {
    const items = tried.map((chain) => `<li>${chain.map((p) => escapeHtml(p)).join(" ")}</li>`).join("\n");
    body =
      tried.length > 0
        ? `<p>Using the URL configuration, the framework tried these URL patterns, in this order:</p>\n<ol class="tried">\n${items}\n</ol>\n` +
          `<p>The current path, <code>${escapeHtml(error.path)}</code>, didn't match any of these.</p>`
        : `<p>The URL configuration has no patterns; the current path, <code>${escapeHtml(error.path)}</code>, didn't match.</p>`;
  } else {
    body = `<p>${escapeHtml(reason)}</p>`;
  }
  return new HttpResponseNotFound(debugPage("Page not found (404)", summary, `<section>${body}</section>`));
}

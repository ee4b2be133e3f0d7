import { HttpResponsePermanentRedirect } from "../http/response.js";
import type { HttpRequest } from "../http/request.js";
import type { HttpResponseBase } from "../http/response/base.js";
import { acceptsSyncLayer, type SyncLayerFactory } from "./types.js";

/**
 * Django's `SecurityMiddleware`. Settings:
 * - `SECURE_SSL_REDIRECT` (+ `SECURE_SSL_HOST`, `SECURE_REDIRECT_EXEMPT`): 301 from http to https.
 * - `SECURE_HSTS_SECONDS` (+ `_INCLUDE_SUBDOMAINS`, `_PRELOAD`): `Strict-Transport-Security` on https responses.
 * - `SECURE_CONTENT_TYPE_NOSNIFF`: `X-Content-Type-Options: nosniff`.
 * - `SECURE_REFERRER_POLICY`: `Referrer-Policy` (a string, comma list or array of fallbacks).
 * - `SECURE_CROSS_ORIGIN_OPENER_POLICY`: `Cross-Origin-Opener-Policy`.
 * A header the view already set is left as it is.
 *
 * @example
 * defineSettings({ MIDDLEWARE: [SecurityMiddleware, ...], SECURE_HSTS_SECONDS: 31_536_000, ... });
 */
export const SecurityMiddleware: SyncLayerFactory = (getResponse, settings) => {
  const referrerPolicy = formatReferrerPolicy(settings.SECURE_REFERRER_POLICY);
  let hsts: string | undefined;
  if (settings.SECURE_HSTS_SECONDS > 0) {
    hsts = `max-age=${settings.SECURE_HSTS_SECONDS}`;
    if (settings.SECURE_HSTS_INCLUDE_SUBDOMAINS) hsts += "; includeSubDomains";
    if (settings.SECURE_HSTS_PRELOAD) hsts += "; preload";
  }

  const secureHeaders = (request: HttpRequest, response: HttpResponseBase): HttpResponseBase => {
    if (hsts !== undefined && request.isSecure()) response.headers.setDefault("Strict-Transport-Security", hsts);
    if (settings.SECURE_CONTENT_TYPE_NOSNIFF) response.headers.setDefault("X-Content-Type-Options", "nosniff");
    if (referrerPolicy) response.headers.setDefault("Referrer-Policy", referrerPolicy);
    if (settings.SECURE_CROSS_ORIGIN_OPENER_POLICY) {
      response.headers.setDefault("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY);
    }
    return response;
  };

  return (request) => {
    if (settings.SECURE_SSL_REDIRECT && !request.isSecure()) {
      // Exempt patterns match the path without its leading slash, as in Django.
      const path = request.path.replace(/^\/+/, "");
      if (!settings.SECURE_REDIRECT_EXEMPT.some((pattern) => pattern.test(path))) {
        const host = settings.SECURE_SSL_HOST ?? request.getHost();
        return new HttpResponsePermanentRedirect(`https://${host}${request.getFullPath()}`);
      }
    }
    const response = getResponse(request);
    return response instanceof Promise ? response.then((value) => secureHeaders(request, value)) : secureHeaders(request, response);
  };
};
// Given the next layer as is (a response or a promise): see acceptsSyncLayer.
acceptsSyncLayer(SecurityMiddleware);

function formatReferrerPolicy(policy: string | readonly string[] | null): string | undefined {
  if (policy === null) return undefined;
  const values = typeof policy === "string" ? policy.split(",") : policy;
  const joined = values.map((value) => value.trim()).filter(Boolean).join(",");
  return joined === "" ? undefined : joined;
}

import type { HttpRequest } from "../http/request.js";
import { maskCsrfSecret, newCsrfSecret } from "./token.js";

/** Per-request CSRF bookkeeping (Django keeps it in `request.META["CSRF_COOKIE"]` and friends). */
export interface CsrfState {
  /** The secret from the cookie (or session), or a new one. */
  secret?: string;
  /** True when the secret must be (re)sent: new, rotated, or used in a page. */
  needsUpdate: boolean;
  /** Set by `csrfProtect` so the middleware does not check twice. */
  processingDone: boolean;
}

declare module "../http/request.js" {
  interface HttpRequest {
    /**
     * The CSRF bookkeeping of this request; read it through `csrfState(request)`. A field rather
     * than a WeakMap keyed by request: one per request, and short-lived WeakMap keys cost the collector.
     */
    csrfBookkeeping?: CsrfState;
  }
}

/** The request's CSRF state, created empty on first use. */
export function csrfState(request: HttpRequest): CsrfState {
  return (request.csrfBookkeeping ??= { needsUpdate: false, processingDone: false });
}

/**
 * The CSRF token for a form or an `X-CSRFToken` header (Django's `get_token`): a fresh
 * masking of the secret each call, so it never appears twice in a page (BREACH). Calling it
 * makes the middleware send the cookie with this response.
 *
 * @example
 * const token = getToken(request);
 * return new HttpResponse(`<input type="hidden" name="csrfmiddlewaretoken" value="${token}">`);
 */
export function getToken(request: HttpRequest): string {
  const state = csrfState(request);
  state.secret ??= newCsrfSecret();
  state.needsUpdate = true;
  return maskCsrfSecret(state.secret);
}

/**
 * Replaces the secret (Django's `rotate_token`): call it at login so a token an
 * attacker saw before login is useless after it.
 *
 * @example
 * await request.session.cycleKey();
 * rotateToken(request);
 */
export function rotateToken(request: HttpRequest): void {
  const state = csrfState(request);
  state.secret = newCsrfSecret();
  state.needsUpdate = true;
}

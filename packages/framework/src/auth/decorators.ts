import { PermissionDenied } from "../exceptions.js";
import type { HttpRequest } from "../http/request.js";
import type { HttpResponseBase } from "../http/response/base.js";
import { HttpResponseRedirect } from "../http/response/redirect.js";
import { reverse } from "../urls/reverse.js";
import { View as ViewClass } from "../views/view.js";
import type { View, ViewKwargs, ViewResult } from "../views/types.js";
import { hasPerms } from "./permissions.js";
import type { RequestUser } from "./user.js";

/** Where and how to send a visitor who may not see the page. */
export interface LoginRedirectOptions {
  /** Default LOGIN_URL ("/accounts/login/"); a URL name is reversed. */
  loginUrl?: string;
  /** Query parameter carrying the page to come back to (default "next"). */
  redirectFieldName?: string | null;
}

function resolveUrl(url: string): string {
  if (url.includes("/") || url.includes(".")) return url;
  try {
    return reverse(url);
  } catch {
    return url;
  }
}

/**
 * A redirect to the login page with `?next=` the current page (Django's `redirect_to_login`);
 * `next` is relative when the login page is on the same host.
 *
 * @example
 * return redirectToLogin(request);
 */
export function redirectToLogin(request: HttpRequest, options: LoginRedirectOptions = {}): HttpResponseBase {
  const loginUrl = resolveUrl(options.loginUrl ?? request.settings.LOGIN_URL ?? "/accounts/login/");
  const fieldName = options.redirectFieldName === undefined ? "next" : options.redirectFieldName;
  if (fieldName === null) return new HttpResponseRedirect(loginUrl);
  const target = new URL(loginUrl, "http://placeholder.invalid");
  const sameSite = target.host === "placeholder.invalid" || target.host === request.getHost();
  const next = sameSite ? request.getFullPath() : request.buildAbsoluteUri();
  target.searchParams.set(fieldName, next);
  const location = target.host === "placeholder.invalid" ? `${target.pathname}${target.search.replace(/%2F/gi, "/")}${target.hash}` : target.href;
  return new HttpResponseRedirect(location);
}

/**
 * Runs the view only when `test(request.user)` passes; otherwise redirects to the login page
 * (Django's `user_passes_test`).
 *
 * @example
 * export const staffOnly = userPassesTest((user) => user.isStaff, view);
 */
export function userPassesTest<K = ViewKwargs>(test: (user: RequestUser) => boolean | Promise<boolean>, view: View<K>, options: LoginRedirectOptions = {}): View<K> {
  const wrapped = async (request: HttpRequest, kwargs: K): Promise<HttpResponseBase> => {
    if (await test(request.user)) return view(request, kwargs);
    return redirectToLogin(request, options);
  };
  return Object.assign(wrapped, { wrapped: view });
}

/**
 * Anonymous visitors are sent to LOGIN_URL with `?next=` (Django's `login_required`).
 *
 * @example
 * path("results/", loginRequired(results), { name: "results" })
 */
export function loginRequired<K = ViewKwargs>(view: View<K>, options: LoginRedirectOptions = {}): View<K> {
  return userPassesTest((user) => user.isAuthenticated, view, options);
}

/**
 * The user needs every listed permission (`app.codename`); otherwise a redirect to the login
 * page, or a 403 with `raiseException` (Django's `permission_required`).
 *
 * @example
 * path("polls/add/", permissionRequired("polls.add_question", addQuestion, { raiseException: true }))
 */
export function permissionRequired<K = ViewKwargs>(
  perm: string | readonly string[],
  view: View<K>,
  options: LoginRedirectOptions & { raiseException?: boolean } = {},
): View<K> {
  const perms = typeof perm === "string" ? [perm] : perm;
  return userPassesTest(
    async (user) => {
      if (await hasPerms(user, perms)) return true;
      if (options.raiseException) throw new PermissionDenied();
      return false;
    },
    view,
    options,
  );
}


/**
 * Base class for class-based views open only to logged-in users: anonymous visitors are
 * redirected to the login page, or get 403 with `raiseException` (Django's `LoginRequiredMixin`,
 * used as a base class).
 *
 * @example
 * class Dashboard extends LoginRequiredMixin { get() { return new HttpResponse("hi"); } }
 */
export class LoginRequiredMixin extends ViewClass {
  loginUrl: string | undefined = undefined;
  raiseException = false;
  override dispatch(request: HttpRequest, kwargs: ViewKwargs): ViewResult {
    if (!request.user.isAuthenticated) return this.handleNoPermission(request);
    return super.dispatch(request, kwargs);
  }
  handleNoPermission(request: HttpRequest): HttpResponseBase {
    if (this.raiseException || request.user.isAuthenticated) throw new PermissionDenied();
    return redirectToLogin(request, this.loginUrl === undefined ? {} : { loginUrl: this.loginUrl });
  }
}

/**
 * Base class for class-based views that need `permissionRequired` (Django's
 * `PermissionRequiredMixin`): a logged-in user without it gets 403, an anonymous one the login page.
 *
 * @example
 * class AddQuestion extends PermissionRequiredMixin { permissionRequired = ["polls.add_question"]; ... }
 */
export class PermissionRequiredMixin extends LoginRequiredMixin {
  permissionRequired: readonly string[] = [];
  override dispatch(request: HttpRequest, kwargs: ViewKwargs): ViewResult {
    return hasPerms(request.user, this.permissionRequired).then((ok) => (ok ? ViewClass.prototype.dispatch.call(this, request, kwargs) : this.handleNoPermission(request)));
  }
}

/**
 * Base class for class-based views guarded by `testFunc()` (Django's `UserPassesTestMixin`).
 *
 * @example
 * class StaffOnly extends UserPassesTestMixin { testFunc() { return this.request.user.isStaff; } }
 */
export abstract class UserPassesTestMixin extends LoginRequiredMixin {
  abstract testFunc(): boolean | Promise<boolean>;
  override dispatch(request: HttpRequest, kwargs: ViewKwargs): ViewResult {
    return Promise.resolve(this.testFunc()).then((ok) => (ok ? ViewClass.prototype.dispatch.call(this, request, kwargs) : this.handleNoPermission(request)));
  }
}

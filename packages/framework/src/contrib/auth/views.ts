import { login, logout, updateSessionAuthHash } from "../../auth/login.js";
import { LoginRequiredMixin } from "../../auth/decorators.js";
import { defaultTokenGenerator, uidFromBase64, type PasswordResetTokenGenerator } from "../../auth/tokens.js";
import { urlHasAllowedHostAndScheme } from "../../auth/urlSafety.js";
import { ObjectDoesNotExist } from "../../db/errors.js";
import type { HttpRequest } from "../../http/request.js";
import type { HttpResponseBase } from "../../http/response/base.js";
import { HttpResponseRedirect } from "../../http/response/redirect.js";
import { render } from "../../templates/render.js";
import { reverse } from "../../urls/reverse.js";
import { View } from "../../views/view.js";
import type { ViewKwargs } from "../../views/types.js";
import { AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm } from "./forms.js";
import { User } from "./models.js";

/**
 * The `next` page if it is safe to go to: a path on this site, or an absolute URL on this
 * host (https when the request is): never another site (an open redirect).
 */
export function safeNextUrl(request: HttpRequest, candidate: string | undefined): string | undefined {
  if (candidate === undefined || candidate === "") return undefined;
  return urlHasAllowedHostAndScheme(candidate, { allowedHosts: [request.getHost()], requireHttps: request.isSecure() }) ? candidate : undefined;
}

async function nextFrom(request: HttpRequest, field: string): Promise<string | undefined> {
  const posted = request.method === "POST" ? (await request.POST()).get(field) : undefined;
  return posted ?? request.GET.get(field) ?? undefined;
}

function resolveUrl(url: string): string {
  if (url.includes("/")) return url;
  try {
    return reverse(url);
  } catch {
    return url;
  }
}

/**
 * Django's `LoginView`: shows `registration/login.html` with `form` and `next`; a valid post
 * logs in and redirects to a safe `next` or LOGIN_REDIRECT_URL.
 *
 * @example
 * path("accounts/login/", LoginView.asView(), { name: "login" })
 */
export class LoginView extends View {
  templateName = "registration/login.html";
  redirectFieldName = "next";
  /** Send a logged-in visitor straight on (Django's `redirect_authenticated_user`). */
  redirectAuthenticatedUser = false;
  nextPage: string | undefined = undefined;
  extraContext: Record<string, unknown> = {};
  authenticationForm = AuthenticationForm;

  async get(request: HttpRequest): Promise<HttpResponseBase> {
    if (this.redirectAuthenticatedUser && request.user.isAuthenticated) {
      const target = await this.getSuccessUrl(request);
      if (target === request.path) throw new Error("Redirection loop for authenticated user detected. Check that your LOGIN_REDIRECT_URL doesn't point to a login page.");
      return new HttpResponseRedirect(target);
    }
    return this.renderForm(request, new this.authenticationForm(null, { request }));
  }

  async post(request: HttpRequest): Promise<HttpResponseBase> {
    const form = await this.authenticationForm.fromRequest(request);
    if (!(await form.isValid())) return this.renderForm(request, form);
    await login(request, form.getUser());
    return new HttpResponseRedirect(await this.getSuccessUrl(request));
  }

  async getSuccessUrl(request: HttpRequest): Promise<string> {
    return safeNextUrl(request, await nextFrom(request, this.redirectFieldName)) ?? resolveUrl(this.nextPage ?? request.settings.LOGIN_REDIRECT_URL ?? "/accounts/profile/");
  }

  async renderForm(request: HttpRequest, form: AuthenticationForm): Promise<HttpResponseBase> {
    const next = safeNextUrl(request, await nextFrom(request, this.redirectFieldName)) ?? "";
    return render(request, this.templateName, { form, [this.redirectFieldName]: next, redirectFieldName: this.redirectFieldName, siteName: request.getHost(), ...this.extraContext });
  }
}

/**
 * Django 5's `LogoutView`: POST only (a GET could be forged by any page with an `<img>`),
 * then a redirect to a safe `next`, LOGOUT_REDIRECT_URL, or `registration/logged_out.html`.
 *
 * @example
 * path("accounts/logout/", LogoutView.asView(), { name: "logout" })
 */
export class LogoutView extends View {
  override httpMethodNames = ["post", "options"];
  templateName = "registration/logged_out.html";
  redirectFieldName = "next";
  nextPage: string | undefined = undefined;
  extraContext: Record<string, unknown> = {};

  async post(request: HttpRequest): Promise<HttpResponseBase> {
    await logout(request);
    const next = safeNextUrl(request, await nextFrom(request, this.redirectFieldName));
    const target = next ?? this.nextPage ?? request.settings.LOGOUT_REDIRECT_URL ?? undefined;
    if (target !== undefined && target !== null) return new HttpResponseRedirect(resolveUrl(target));
    return render(request, this.templateName, { siteName: request.getHost(), ...this.extraContext });
  }
}

/**
 * Django's `PasswordChangeView` (login required): old password, new one twice; keeps this
 * session logged in and ends the others; then `password_change_done`.
 *
 * @example
 * path("accounts/password_change/", PasswordChangeView.asView(), { name: "password_change" })
 */
export class PasswordChangeView extends LoginRequiredMixin {
  templateName = "registration/password_change_form.html";
  successUrl = "password_change_done";

  async get(request: HttpRequest): Promise<HttpResponseBase> {
    return render(request, this.templateName, { form: new PasswordChangeForm(request.user as User, null, { request }), title: "Password change" });
  }

  async post(request: HttpRequest): Promise<HttpResponseBase> {
    const form = new PasswordChangeForm(request.user as User, await request.POST(), { request });
    if (!(await form.isValid())) return render(request, this.templateName, { form, title: "Password change" });
    const user = await form.save();
    await updateSessionAuthHash(request, user);
    return new HttpResponseRedirect(resolveUrl(this.successUrl));
  }
}

/** A page rendered from `templateName` (the "done" pages). */
class TemplatePage extends View {
  templateName = "";
  title = "";
  async get(request: HttpRequest): Promise<HttpResponseBase> {
    return render(request, this.templateName, { title: this.title });
  }
}

/** "Password changed" (login required). @example path("accounts/password_change/done/", PasswordChangeDoneView.asView(), { name: "password_change_done" }) */
export class PasswordChangeDoneView extends LoginRequiredMixin {
  templateName = "registration/password_change_done.html";
  async get(request: HttpRequest): Promise<HttpResponseBase> {
    return render(request, this.templateName, { title: "Password change successful" });
  }
}

/**
 * Django's `PasswordResetView`: asks for an email and sends the reset link (through the
 * email backend) to matching active users; always goes on to `password_reset_done`, so the
 * page does not reveal whether the address has an account.
 *
 * @example
 * path("accounts/password_reset/", PasswordResetView.asView(), { name: "password_reset" })
 */
export class PasswordResetView extends View {
  templateName = "registration/password_reset_form.html";
  emailTemplateName = "registration/password_reset_email.html";
  subjectTemplateName = "registration/password_reset_subject.txt";
  htmlEmailTemplateName: string | undefined = undefined;
  fromEmail: string | undefined = undefined;
  successUrl = "password_reset_done";
  confirmUrlName = "password_reset_confirm";
  tokenGenerator: PasswordResetTokenGenerator = defaultTokenGenerator;

  async get(request: HttpRequest): Promise<HttpResponseBase> {
    return render(request, this.templateName, { form: new PasswordResetForm(null, { request }), title: "Password reset" });
  }

  async post(request: HttpRequest): Promise<HttpResponseBase> {
    const form = await PasswordResetForm.fromRequest(request);
    if (!(await form.isValid())) return render(request, this.templateName, { form, title: "Password reset" });
    await form.save({
      request,
      confirmUrl: (uidb64: string, token: string) => reverse(this.confirmUrlName, { kwargs: { uidb64, token } }),
      subjectTemplateName: this.subjectTemplateName,
      emailTemplateName: this.emailTemplateName,
      tokenGenerator: this.tokenGenerator,
      ...(this.htmlEmailTemplateName !== undefined && { htmlEmailTemplateName: this.htmlEmailTemplateName }),
      ...(this.fromEmail !== undefined && { fromEmail: this.fromEmail }),
    });
    return new HttpResponseRedirect(resolveUrl(this.successUrl));
  }
}

/** "Check your email". @example path("accounts/password_reset/done/", PasswordResetDoneView.asView(), { name: "password_reset_done" }) */
export class PasswordResetDoneView extends TemplatePage {
  override templateName = "registration/password_reset_done.html";
  override title = "Password reset sent";
}

/** The session key holding the reset token while the new password is typed (Django's). */
export const INTERNAL_RESET_SESSION_TOKEN = "_password_reset_token";
/** The URL token that stands for "the token is in the session". */
export const RESET_URL_TOKEN = "set-password";

/**
 * Django's `PasswordResetConfirmView` at `reset/<uidb64>/<token>/`: a valid token is moved
 * into the session and the browser redirected to `.../set-password/`, so the token never
 * leaks through the Referer header; there the new password is set. A tampered, expired or
 * used token shows the page with `validlink` false.
 *
 * @example
 * path("accounts/reset/<uidb64>/<token>/", PasswordResetConfirmView.asView(), { name: "password_reset_confirm" })
 */
export class PasswordResetConfirmView extends View {
  templateName = "registration/password_reset_confirm.html";
  successUrl = "password_reset_complete";
  /** Log the user in after the reset (Django's `post_reset_login`). */
  postResetLogin = false;
  tokenGenerator: PasswordResetTokenGenerator = defaultTokenGenerator;

  async #user(uidb64: string): Promise<User | null> {
    const id = uidFromBase64(uidb64);
    if (id === undefined || !/^\d+$/.test(id)) return null;
    try {
      return await User.objects.get({ pk: Number(id) });
    } catch (error) {
      if (error instanceof ObjectDoesNotExist) return null;
      throw error;
    }
  }

  async #check(request: HttpRequest, kwargs: ViewKwargs): Promise<{ user: User | null; redirect?: HttpResponseBase }> {
    const uidb64 = String(kwargs.uidb64 ?? "");
    const token = String(kwargs.token ?? "");
    const user = await this.#user(uidb64);
    if (user === null) return { user: null };
    if (token === RESET_URL_TOKEN) {
      const sessionToken = await request.session.get<string>(INTERNAL_RESET_SESSION_TOKEN);
      return { user: this.tokenGenerator.checkToken(user, sessionToken) ? user : null };
    }
    if (this.tokenGenerator.checkToken(user, token)) {
      await request.session.set(INTERNAL_RESET_SESSION_TOKEN, token);
      return { user, redirect: new HttpResponseRedirect(request.path.replace(token, RESET_URL_TOKEN)) };
    }
    return { user: null };
  }

  async get(request: HttpRequest, kwargs: ViewKwargs): Promise<HttpResponseBase> {
    const { user, redirect } = await this.#check(request, kwargs);
    if (redirect) return redirect;
    return render(request, this.templateName, { validlink: user !== null, form: user === null ? null : new SetPasswordForm(user, null, { request }), title: user === null ? "Password reset unsuccessful" : "Enter new password" });
  }

  async post(request: HttpRequest, kwargs: ViewKwargs): Promise<HttpResponseBase> {
    const { user } = await this.#check(request, kwargs);
    if (user === null || String(kwargs.token) !== RESET_URL_TOKEN) {
      return render(request, this.templateName, { validlink: false, form: null, title: "Password reset unsuccessful" });
    }
    const form = new SetPasswordForm(user, await request.POST(), { request });
    if (!(await form.isValid())) return render(request, this.templateName, { validlink: true, form, title: "Enter new password" });
    await form.save();
    await request.session.delete(INTERNAL_RESET_SESSION_TOKEN);
    if (this.postResetLogin) await login(request, user);
    return new HttpResponseRedirect(resolveUrl(this.successUrl));
  }
}

/** "Your password has been set". @example path("accounts/reset/done/", PasswordResetCompleteView.asView(), { name: "password_reset_complete" }) */
export class PasswordResetCompleteView extends TemplatePage {
  override templateName = "registration/password_reset_complete.html";
  override title = "Password reset complete";
}

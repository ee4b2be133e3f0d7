import { path } from "../../urls/conf.js";
import type { UrlEntry } from "../../urls/types.js";
import {
  LoginView, LogoutView, PasswordChangeDoneView, PasswordChangeView, PasswordResetCompleteView, PasswordResetConfirmView, PasswordResetDoneView, PasswordResetView,
} from "./views.js";

/**
 * Django's `django.contrib.auth.urls`: login, logout, password change and reset, with
 * Django's URL names. Mount them with `path("accounts/", include(authUrls()))`.
 *
 * @example
 * urlpatterns: [path("accounts/", include(authUrls())), ...]
 */
export function authUrls(): UrlEntry[] {
  return [
    path("login/", LoginView.asView(), { name: "login" }),
    path("logout/", LogoutView.asView(), { name: "logout" }),
    path("password_change/", PasswordChangeView.asView(), { name: "password_change" }),
    path("password_change/done/", PasswordChangeDoneView.asView(), { name: "password_change_done" }),
    path("password_reset/", PasswordResetView.asView(), { name: "password_reset" }),
    path("password_reset/done/", PasswordResetDoneView.asView(), { name: "password_reset_done" }),
    path("reset/<uidb64>/<token>/", PasswordResetConfirmView.asView(), { name: "password_reset_confirm" }),
    path("reset/done/", PasswordResetCompleteView.asView(), { name: "password_reset_complete" }),
  ];
}

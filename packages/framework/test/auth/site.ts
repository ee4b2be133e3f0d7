import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AuthenticationMiddleware, CsrfViewMiddleware, HttpResponse, MD5PasswordHasher, SessionMiddleware, defaultPasswordValidators, getTsgiApplication, include,
  loginRequired, models, path, permissionRequired, type SettingsInput,
} from "../../src/index.js";
import { Group, Permission, User, authUrls } from "../../src/contrib/auth/index.js";

/** A site with the auth views, a private page and a permission-protected page, on an in-memory SQLite database. */
export async function authSite(overrides: Partial<SettingsInput> = {}) {
  await models.connections.override("default", { ENGINE: "sqlite", NAME: ":memory:" });
  await models.createTables([Permission, Group, User]);
  const settings: SettingsInput = {
    SECRET_KEY: "auth-tests-secret-key-".padEnd(50, "x"),
    ALLOWED_HOSTS: ["testserver"],
    MIDDLEWARE: [SessionMiddleware, CsrfViewMiddleware, AuthenticationMiddleware],
    SESSION_FILE_PATH: mkdtempSync(join(tmpdir(), "auth-sessions-")),
    PASSWORD_HASHERS: [new MD5PasswordHasher()],
    AUTH_PASSWORD_VALIDATORS: defaultPasswordValidators(),
    EMAIL_BACKEND: "locmem",
    urlpatterns: [
      path("accounts/", include(authUrls())),
      path("private/", loginRequired((request) => new HttpResponse(`hello ${request.user.username}`)), { name: "private" }),
      path("polls/add/", permissionRequired("auth.add_group", () => new HttpResponse("may add"), { raiseException: true })),
      path("accounts/profile/", (request) => new HttpResponse(`profile of ${request.user.username || "nobody"}`)),
    ],
    ...overrides,
  };
  return getTsgiApplication(settings);
}

export async function closeSite(): Promise<void> {
  await models.connections.restore("default");
}

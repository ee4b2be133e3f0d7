/**
 * The demo site's settings (Django's settings.py). Values that differ between
 * development and production come from the environment.
 */
import {
  AuthenticationMiddleware,
  CommonMiddleware,
  CsrfViewMiddleware,
  MessageMiddleware,
  SecurityMiddleware,
  SessionMiddleware,
  XFrameOptionsMiddleware,
  defaultPasswordValidators,
  defineSettings,
} from "@tsgi/framework";
import { AUTH_APP, authContextProcessor } from "@tsgi/framework/auth";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { handler404, handler500, urlpatterns } from "./urls.js";

const BASE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
/** The SQLite file, sessions and uploads. Made here: the framework opens the database at start-up (lifespan), before any request. */
const DATA_DIR = process.env.DEMO_DATA_DIR ?? join(BASE_DIR, "data");
mkdirSync(DATA_DIR, { recursive: true });

export const settings = defineSettings({
  BASE_DIR,
  // Off by default so the site's own 404 and 500 pages show; DEBUG=1 gives the technical pages.
  DEBUG: process.env.DEBUG === "1",
  SECRET_KEY: process.env.SECRET_KEY ?? "demo-only-secret-key-change-me-in-production",
  ALLOWED_HOSTS: (process.env.ALLOWED_HOSTS ?? "127.0.0.1,localhost,[::1]").split(","),
  MIDDLEWARE: [SecurityMiddleware, SessionMiddleware, CommonMiddleware, CsrfViewMiddleware, AuthenticationMiddleware, MessageMiddleware, XFrameOptionsMiddleware],
  urlpatterns,
  handler404,
  handler500,
  TEMPLATES: { DIRS: [join(BASE_DIR, "templates")], OPTIONS: { contextProcessors: [authContextProcessor] } },
  STATIC_URL: "/static/",
  STATICFILES_DIRS: [join(BASE_DIR, "static")],
  STATIC_ROOT: join(BASE_DIR, "staticfiles"),
  SESSION_FILE_PATH: join(DATA_DIR, "sessions"),
  // The guestbook's entries (src/guestbook/models.ts), created and migrated on first use.
  INSTALLED_APPS: [AUTH_APP, join(BASE_DIR, "src/guestbook")],
  // Accounts (sign up, log in, log out, password reset): reset emails are printed by the console backend.
  AUTH_PASSWORD_VALIDATORS: defaultPasswordValidators(),
  EMAIL_BACKEND: "console",
  LOGIN_REDIRECT_URL: "/",
  LOGOUT_REDIRECT_URL: "/",
  DATABASES: { default: { ENGINE: "sqlite", NAME: join(DATA_DIR, "db.sqlite3") } },
  DATA_UPLOAD_MAX_MEMORY_SIZE: 5 * 1024 * 1024,
});

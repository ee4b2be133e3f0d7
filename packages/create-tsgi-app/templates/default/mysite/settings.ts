/**
 * __PROJECT_NAME__'s settings (Django's settings.py). Everything that differs
 * between your laptop and production comes from the environment.
 */
import {
  CommonMiddleware,
  CsrfViewMiddleware,
  MessageMiddleware,
  SecurityMiddleware,
  SessionMiddleware,
  StaticFilesMiddleware,
  XFrameOptionsMiddleware,
  defineSettings,
} from "@tsgi/framework";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { urlpatterns } from "./urls.js";

/** The project folder: relative paths below resolve against it. */
const BASE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
const production = process.env.NODE_ENV === "production";

export const settings = defineSettings({
  BASE_DIR,
  // On for `__RUN__ dev` (technical error pages, static files served from static/); off under `__RUN__ start`.
  DEBUG: !production,
  // Generated for this project; in production set SECRET_KEY in the environment instead.
  SECRET_KEY: process.env.SECRET_KEY ?? "__SECRET_KEY__",
  ALLOWED_HOSTS: (process.env.ALLOWED_HOSTS ?? "127.0.0.1,localhost,[::1]").split(","),
  MIDDLEWARE: [
    StaticFilesMiddleware,
    SecurityMiddleware,
    SessionMiddleware,
    CommonMiddleware,
    CsrfViewMiddleware,
    MessageMiddleware,
    XFrameOptionsMiddleware,
  ],
  urlpatterns,
  // Each app is a folder: its models.ts declares models, its migrations/ holds their migrations.
  INSTALLED_APPS: ["pages"],
  // SQLite in the project folder, created by `__RUN__ manage migrate` (which `dev` and `start` run first).
  // DATABASE_URL in the environment (postgres://user:pass@host:5432/name) overrides it.
  DATABASES: { default: { ENGINE: "sqlite", NAME: "db.sqlite3" } },
  TEMPLATES: { DIRS: ["templates"] },
  STATIC_URL: "/static/",
  STATICFILES_DIRS: ["static"],
  // `__RUN__ manage collectstatic` copies static files here, with hashed names, for nginx to serve.
  STATIC_ROOT: "staticfiles",
  SESSION_FILE_PATH: process.env.SESSION_FILE_PATH ?? join(BASE_DIR, ".sessions"),
  // Behind nginx: trust its X-Forwarded-Proto header to know a request came over HTTPS.
  SECURE_PROXY_SSL_HEADER: ["HTTP_X_FORWARDED_PROTO", "https"],
});

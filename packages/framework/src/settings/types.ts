import type { MiddlewareFactory } from "../middleware/types.js";
import type { UrlConf, UrlEntry } from "../urls/types.js";
import type { ErrorView, View } from "../views/types.js";

/** `SameSite` values a cookie setting accepts (Django spells them capitalised). */
export type SameSiteSetting = "Lax" | "Strict" | "None" | false;

/**
 * Every setting the framework reads, with Django's names and meanings.
 * `defineSettings()` fills in the defaults (see `defaults.ts`) and validates each one.
 * Any other top-level name is refused (a misspelt `MIDDLEWARES` would otherwise run the
 * site without middleware): a project's own settings are declared by name in
 * `CUSTOM_SETTINGS`, and `defineSettings` keeps their types.
 *
 * Batteries (sessions, CSRF, security, ...) settings live here too, so one object
 * describes the whole site; a feature may add more with module augmentation:
 * `declare module "@tsgi/framework" { interface Settings { MY_SETTING: string } }`.
 */
export interface Settings {
  // Core
  DEBUG: boolean;
  /** Signs cookies, sessions and tokens. Required; keep it out of version control. */
  SECRET_KEY: string;
  /** Old keys still accepted when verifying signatures (key rotation). */
  SECRET_KEY_FALLBACKS: readonly string[];
  /** Host names this site serves (`.example.com` matches subdomains, `*` matches any). */
  ALLOWED_HOSTS: readonly string[];
  /**
   * Middleware factories, outermost first. Factories rather than Django's dotted
   * strings: the type checker verifies each one, and bundlers can tree-shake.
   */
  MIDDLEWARE: readonly MiddlewareFactory[];
  /** A module path (absolute, `file:` URL, or relative to the working directory) exporting `urlpatterns`, or the module object itself. */
  ROOT_URLCONF: string | UrlConf | null;
  /** Shorthand for a `ROOT_URLCONF` holding only patterns. */
  urlpatterns: readonly UrlEntry[] | null;
  handler400: ErrorView | null;
  handler403: ErrorView | null;
  handler404: ErrorView | null;
  handler500: ErrorView | null;
  DEBUG_PROPAGATE_EXCEPTIONS: boolean;
  DEFAULT_CHARSET: string;
  /** Prefix for every reversed URL, overriding the server's `SCRIPT_NAME`. */
  FORCE_SCRIPT_NAME: string | null;

  // Request data limits (null disables a limit)
  DATA_UPLOAD_MAX_MEMORY_SIZE: number | null;
  DATA_UPLOAD_MAX_NUMBER_FIELDS: number | null;
  DATA_UPLOAD_MAX_NUMBER_FILES: number | null;
  /** Uploaded files larger than this are spooled to a temporary file. */
  FILE_UPLOAD_MAX_MEMORY_SIZE: number;
  /** Where spooled uploads go (default: the OS temporary directory). */
  FILE_UPLOAD_TEMP_DIR: string | null;

  // Proxies
  /** `[environKey, value]` that marks a request as HTTPS, e.g. `["HTTP_X_FORWARDED_PROTO", "https"]`. */
  SECURE_PROXY_SSL_HEADER: readonly [string, string] | null;
  USE_X_FORWARDED_HOST: boolean;
  USE_X_FORWARDED_PORT: boolean;

  // Common / security (used by the batteries middleware)
  APPEND_SLASH: boolean;
  PREPEND_WWW: boolean;
  DISALLOWED_USER_AGENTS: readonly RegExp[];
  SECURE_HSTS_SECONDS: number;
  SECURE_HSTS_INCLUDE_SUBDOMAINS: boolean;
  SECURE_HSTS_PRELOAD: boolean;
  SECURE_CONTENT_TYPE_NOSNIFF: boolean;
  SECURE_REFERRER_POLICY: string | readonly string[] | null;
  SECURE_CROSS_ORIGIN_OPENER_POLICY: string | null;
  SECURE_SSL_REDIRECT: boolean;
  SECURE_SSL_HOST: string | null;
  SECURE_REDIRECT_EXEMPT: readonly RegExp[];
  X_FRAME_OPTIONS: "DENY" | "SAMEORIGIN";

  // Sessions
  SESSION_COOKIE_NAME: string;
  SESSION_COOKIE_AGE: number;
  SESSION_COOKIE_DOMAIN: string | null;
  SESSION_COOKIE_PATH: string;
  SESSION_COOKIE_SECURE: boolean;
  SESSION_COOKIE_HTTPONLY: boolean;
  SESSION_COOKIE_SAMESITE: SameSiteSetting;
  SESSION_SAVE_EVERY_REQUEST: boolean;
  SESSION_EXPIRE_AT_BROWSER_CLOSE: boolean;
  SESSION_FILE_PATH: string | null;

  // CSRF
  CSRF_COOKIE_NAME: string;
  CSRF_COOKIE_AGE: number;
  CSRF_COOKIE_DOMAIN: string | null;
  CSRF_COOKIE_PATH: string;
  CSRF_COOKIE_SECURE: boolean;
  CSRF_COOKIE_HTTPONLY: boolean;
  CSRF_COOKIE_SAMESITE: SameSiteSetting;
  /** The environ key of the token header (`X-CSRFToken` -> `HTTP_X_CSRFTOKEN`). */
  CSRF_HEADER_NAME: string;
  CSRF_TRUSTED_ORIGINS: readonly string[];
  CSRF_USE_SESSIONS: boolean;
  CSRF_FAILURE_VIEW: View | null;

  // Static files
  STATIC_URL: string | null;
  STATIC_ROOT: string | null;
  STATICFILES_DIRS: readonly string[];

  /** The project's own top-level setting names, e.g. `["MY_FEATURE_FLAG"]`; any other unknown name is an error. */
  CUSTOM_SETTINGS?: readonly string[];
}

/** What a project passes to `defineSettings()`: `SECRET_KEY` plus any settings to override. */
export type SettingsInput = Partial<Settings> & { SECRET_KEY: string };

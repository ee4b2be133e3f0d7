import { existsSync } from "node:fs";
import { CsrfViewMiddleware } from "../csrf/middleware.js";
import { getTsgiApplication } from "../handler/tsgiHandler.js";
import { MessageMiddleware } from "../messages/middleware.js";
import { SecurityMiddleware } from "../middleware/security.js";
import { XFrameOptionsMiddleware } from "../middleware/xframe.js";
import { SessionMiddleware } from "../sessions/middleware.js";
import { findUnknownSettings } from "../settings/knownSettings.js";
import type { Settings } from "../settings/types.js";
import { resolveSettingsPath } from "../staticfiles/settings.js";
import { templatesSetting } from "../templates/engine.js";
import { RoutePattern } from "../urls/pattern.js";
import { UrlPattern, UrlResolver } from "../urls/resolver.js";
import { errorMessage } from "tsgi/helpers";

/** One problem `check` found (Django's CheckMessage). */
export interface CheckMessage {
  level: "ERROR" | "WARNING";
  /** Django-style id, e.g. `staticfiles.E002`. */
  id: string;
  message: string;
  hint?: string;
}

/** Options for {@link runChecks}. */
export interface CheckOptions {
  /** Also run the production checks (Django's `check --deploy`). */
  deploy?: boolean;
}

const error = (id: string, message: string, hint?: string): CheckMessage => ({ level: "ERROR", id, message, ...(hint && { hint }) });
const warning = (id: string, message: string, hint?: string): CheckMessage => ({ level: "WARNING", id, message, ...(hint && { hint }) });

/**
 * Django's system checks for this framework: the URL configuration loads and its patterns
 * are sound, middleware that need another are listed after it, static and template folders
 * exist, no setting name is unknown (`settings.E001`, with a "did you mean" hint, for settings
 * built without `defineSettings`); with `deploy`, the production security settings too.
 * Setting values are validated by `defineSettings` before this runs.
 *
 * @example
 * const problems = await runChecks(settings, { deploy: true });
 */
export async function runChecks(settings: Settings, options: CheckOptions = {}): Promise<CheckMessage[]> {
  const messages: CheckMessage[] = [];
  const nameErrors = settingNameChecks(settings);
  messages.push(...nameErrors);
  // The URL checks build the application, whose defineSettings would throw on those same names.
  if (nameErrors.length === 0) messages.push(...(await urlChecks(settings)));
  messages.push(...middlewareChecks(settings));
  messages.push(...folderChecks(settings));
  if (options.deploy) messages.push(...deployChecks(settings));
  return messages;
}

function settingNameChecks(settings: Settings): CheckMessage[] {
  return findUnknownSettings(settings).map(({ name, suggestion }) =>
    error(
      "settings.E001",
      `${name} is not a known setting, so it has no effect.`,
      `${suggestion === undefined ? "" : `Did you mean ${suggestion}? `}A project's own setting must be declared: CUSTOM_SETTINGS: [${JSON.stringify(name)}].`,
    ),
  );
}

async function urlChecks(settings: Settings): Promise<CheckMessage[]> {
  const application = getTsgiApplication(settings);
  let resolver: UrlResolver;
  try {
    resolver = await application.resolver();
  } catch (cause) {
    return [error("urls.E001", `The URL configuration could not be loaded: ${errorMessage(cause)}`)];
  }
  const messages: CheckMessage[] = [];
  const namespaces = new Map<string, number>();
  const walk = (entries: readonly unknown[], prefix: string) => {
    for (const entry of entries) {
      if (entry instanceof UrlResolver) {
        if (entry.namespace) namespaces.set(entry.namespace, (namespaces.get(entry.namespace) ?? 0) + 1);
        routeChecks(entry.pattern, prefix, false, messages);
        walk(entry.urlpatterns, prefix + entry.pattern.describe);
      } else if (entry instanceof UrlPattern) {
        routeChecks(entry.pattern, prefix, true, messages);
        if (typeof entry.callback !== "function") {
          messages.push(error("urls.E009", `Your URL pattern ${entry.describe()} has an invalid view, ${String(entry.callback)}: it must be a function.`));
        }
      } else {
        messages.push(error("urls.E004", `Your URL pattern ${JSON.stringify(entry)} is invalid. Ensure that urlpatterns is a list of path() and/or rePath() instances.`));
      }
    }
  };
  walk(resolver.urlpatterns, "");
  for (const [namespace, count] of namespaces) {
    if (count > 1) messages.push(warning("urls.W005", `URL namespace '${namespace}' isn't unique. You may not be able to reverse all URLs in this namespace.`));
  }
  return messages;
}

function routeChecks(pattern: unknown, prefix: string, endpoint: boolean, messages: CheckMessage[]): void {
  if (!(pattern instanceof RoutePattern)) return;
  const route = pattern.route;
  const where = `'${prefix}${route}'`;
  if (route.startsWith("/") && prefix === "") {
    messages.push(warning("urls.W002", `Your URL pattern ${where} has a route beginning with a '/'. Remove this slash as it is unnecessary. If this pattern is targeted in an include(), ensure the include() pattern has a trailing '/'.`));
  }
  if (route.includes("(?P<") || route.startsWith("^") || (endpoint && route.endsWith("$"))) {
    messages.push(warning("2_0.W001", `Your URL pattern ${where} has a route that contains '(?P<', begins with a '^', or ends with a '$'. This was likely an oversight when migrating to path(); use rePath() for regular expressions.`));
  }
}

function middlewareChecks(settings: Settings): CheckMessage[] {
  const messages: CheckMessage[] = [];
  const index = (factory: unknown) => settings.MIDDLEWARE.indexOf(factory as Settings["MIDDLEWARE"][number]);
  const session = index(SessionMiddleware);
  const needsSession = (factory: unknown, name: string, why: boolean, id: string) => {
    const at = index(factory);
    if (why && at >= 0 && (session < 0 || session > at)) {
      messages.push(error(id, `${name} needs the session here, so SessionMiddleware must be listed before it in MIDDLEWARE.`));
    }
  };
  needsSession(CsrfViewMiddleware, "CsrfViewMiddleware (CSRF_USE_SESSIONS)", settings.CSRF_USE_SESSIONS, "csrf.E001");
  needsSession(MessageMiddleware, 'MessageMiddleware (MESSAGE_STORAGE: "session")', settings.MESSAGE_STORAGE === "session", "messages.E001");
  return messages;
}

function folderChecks(settings: Settings): CheckMessage[] {
  const messages: CheckMessage[] = [];
  const staticRoot = settings.STATIC_ROOT ? resolveSettingsPath(settings, settings.STATIC_ROOT) : undefined;
  for (const dir of settings.STATICFILES_DIRS) {
    const resolved = resolveSettingsPath(settings, dir);
    if (staticRoot !== undefined && resolved === staticRoot) {
      messages.push(error("staticfiles.E002", "The STATICFILES_DIRS setting should not contain the STATIC_ROOT setting."));
    } else if (!existsSync(resolved)) {
      messages.push(warning("staticfiles.W004", `The directory '${resolved}' in the STATICFILES_DIRS setting does not exist.`));
    }
  }
  if ((settings.STATICFILES_DIRS.length > 0 || staticRoot !== undefined) && !settings.STATIC_URL) {
    messages.push(error("staticfiles.E003", "STATIC_URL is not set, so static files cannot be linked to.", 'Set STATIC_URL, e.g. "/static/".'));
  }
  let templateDirs: readonly string[] = [];
  try {
    templateDirs = templatesSetting(settings).DIRS ?? [];
  } catch {
    // A malformed TEMPLATES is reported by batterySettingChecks.
  }
  for (const dir of templateDirs) {
    const resolved = resolveSettingsPath(settings, dir);
    if (!existsSync(resolved)) messages.push(warning("templates.W001", `The directory '${resolved}' in TEMPLATES DIRS does not exist.`));
  }
  return messages;
}

function deployChecks(settings: Settings): CheckMessage[] {
  const messages: CheckMessage[] = [];
  const has = (factory: unknown) => settings.MIDDLEWARE.includes(factory as Settings["MIDDLEWARE"][number]);
  if (!has(SecurityMiddleware)) {
    messages.push(warning("security.W001", "You do not have SecurityMiddleware in your MIDDLEWARE so the SECURE_HSTS_SECONDS, SECURE_CONTENT_TYPE_NOSNIFF, SECURE_REFERRER_POLICY, SECURE_CROSS_ORIGIN_OPENER_POLICY, and SECURE_SSL_REDIRECT settings will have no effect."));
  }
  if (!has(XFrameOptionsMiddleware)) {
    messages.push(warning("security.W002", "You do not have XFrameOptionsMiddleware in your MIDDLEWARE, so your pages will not be served with an 'x-frame-options' header."));
  }
  if (!has(CsrfViewMiddleware)) {
    messages.push(warning("security.W003", "You don't appear to be using the framework's built-in cross-site request forgery protection via the middleware (CsrfViewMiddleware is not in your MIDDLEWARE)."));
  }
  if (has(SecurityMiddleware) && settings.SECURE_HSTS_SECONDS === 0) {
    messages.push(warning("security.W004", "You have not set a value for the SECURE_HSTS_SECONDS setting. If your entire site is served only over SSL, you may want to consider setting a value and enabling HTTP Strict Transport Security."));
  }
  if (has(SecurityMiddleware) && !settings.SECURE_SSL_REDIRECT) {
    messages.push(warning("security.W008", "Your SECURE_SSL_REDIRECT setting is not set to true. Unless your site should be available over both SSL and non-SSL connections, you may want to either set this setting true or configure a load balancer or reverse-proxy server to redirect all connections to HTTPS."));
  }
  const key = settings.SECRET_KEY;
  if (key.length < 50 || new Set(key).size < 5 || key.startsWith("django-insecure-") || key.startsWith("insecure-")) {
    messages.push(warning("security.W009", "Your SECRET_KEY has less than 50 characters, less than 5 unique characters, or it's prefixed with 'insecure-' indicating that it was generated automatically. Please generate a long and random value, otherwise many security-critical features will be vulnerable to attack."));
  }
  if (has(SessionMiddleware) && !settings.SESSION_COOKIE_SECURE) {
    messages.push(warning("security.W012", "SESSION_COOKIE_SECURE is not set to true. Using a secure-only session cookie makes it more difficult for network traffic sniffers to hijack user sessions."));
  }
  if (has(CsrfViewMiddleware) && !settings.CSRF_COOKIE_SECURE && !settings.CSRF_USE_SESSIONS) {
    messages.push(warning("security.W016", "You have CsrfViewMiddleware in your MIDDLEWARE, but you have not set CSRF_COOKIE_SECURE to true. Using a secure-only CSRF cookie makes it more difficult for network traffic sniffers to steal the CSRF token."));
  }
  if (settings.DEBUG) messages.push(warning("security.W018", "You should not have DEBUG set to true in deployment."));
  if (settings.ALLOWED_HOSTS.length === 0) messages.push(warning("security.W020", "ALLOWED_HOSTS must not be empty in deployment."));
  return messages;
}

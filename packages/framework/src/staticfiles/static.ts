import { ImproperlyConfigured } from "../exceptions.js";
import { currentContext } from "../handler/requestContext.js";
import type { Settings } from "../settings/types.js";
import { loadManifest, MissingManifestEntry } from "./manifest.js";

type StaticSettings = Pick<Settings, "DEBUG" | "STATIC_URL" | "STATIC_ROOT" | "BASE_DIR" | "STATICFILES_STORAGE">;

/**
 * The URL of a static file (Django's `{% static %}`): `STATIC_URL` + path in DEBUG or with
 * `STATICFILES_STORAGE: "plain"`, and otherwise (the default `"manifest"` storage) the
 * content-hashed name from collectstatic's manifest, so browsers can cache it forever.
 * Throws {@link MissingManifestEntry} for a file that was not collected (Django's manifest_strict).
 * Without a settings argument it uses the running application's settings.
 *
 * @example
 * staticUrl("css/site.css"); // "/static/css/site.55e7cbb9ba48.css" in production
 * staticUrl(settings, "css/site.css");
 */
export function staticUrl(path: string): string;
export function staticUrl(settings: StaticSettings, path: string): string;
export function staticUrl(settingsOrPath: StaticSettings | string, maybePath?: string): string {
  const settings = typeof settingsOrPath === "string" ? currentSettings() : settingsOrPath;
  const path = typeof settingsOrPath === "string" ? settingsOrPath : (maybePath ?? "");
  if (!settings.STATIC_URL) {
    throw new ImproperlyConfigured('STATIC_URL: set it (e.g. "/static/") to use static().');
  }
  const base = settings.STATIC_URL.endsWith("/") ? settings.STATIC_URL : `${settings.STATIC_URL}/`;
  const clean = path.replace(/^\/+/, "");
  // Keep a ?query or #fragment (e.g. font files' "#iefix") outside the lookup, as Django does.
  const suffixAt = clean.search(/[?#]/);
  const name = suffixAt < 0 ? clean : clean.slice(0, suffixAt);
  const suffix = suffixAt < 0 ? "" : clean.slice(suffixAt);
  if (settings.DEBUG || settings.STATICFILES_STORAGE === "plain") return base + encodePath(name) + suffix;
  const hashed = loadManifest(settings).paths[name];
  if (hashed === undefined) {
    throw new MissingManifestEntry(`Missing staticfiles manifest entry for "${name}": check the path, then run \`pnpm manage collectstatic\`.`);
  }
  return base + encodePath(hashed) + suffix;
}

function currentSettings(): StaticSettings {
  const settings = currentContext()?.settings;
  if (settings === undefined) {
    throw new ImproperlyConfigured("static(path) needs a running application (getTsgiApplication(settings)) or the settings: static(settings, path).");
  }
  return settings;
}

function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

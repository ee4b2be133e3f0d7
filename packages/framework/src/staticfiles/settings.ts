import { isAbsolute, resolve } from "node:path";
import type { Settings } from "../settings/types.js";

declare module "../settings/types.js" {
  interface Settings {
    /** Directory relative paths in settings resolve against (default: the working directory). */
    BASE_DIR?: string;
    /**
     * App directories (Django's INSTALLED_APPS, as paths): each app's `templates/`
     * and `static/` folders are searched after the project's own.
     */
    INSTALLED_APPS?: readonly string[];
    /**
     * How `static()` names files when DEBUG is off (Django's STORAGES["staticfiles"]):
     * `"manifest"` (default, ManifestStaticFilesStorage) links the content-hashed names from
     * collectstatic's manifest, so they can be cached forever, and refuses a file that was not
     * collected; `"plain"` (StaticFilesStorage) links `STATIC_URL` + path and needs no manifest.
     */
    STATICFILES_STORAGE?: "manifest" | "plain";
  }
}

/** Resolves a path from settings against `BASE_DIR` (or the working directory). */
export function resolveSettingsPath(settings: Pick<Settings, "BASE_DIR">, path: string): string {
  return isAbsolute(path) ? path : resolve(settings.BASE_DIR ?? process.cwd(), path);
}

/** Each installed app's directory, resolved. */
export function appDirectories(settings: Pick<Settings, "BASE_DIR" | "INSTALLED_APPS">): string[] {
  return (settings.INSTALLED_APPS ?? []).map((app) => resolveSettingsPath(settings, app));
}

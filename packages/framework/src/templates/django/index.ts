import type nunjucks from "nunjucks";
import type { Settings } from "../../settings/types.js";
import { DJANGO_FILTERS } from "./filters.js";
import { installDjangoTags } from "./tags.js";

/**
 * Adds Django's filters and tags to the framework's nunjucks environment.
 *
 * @example
 * installDjangoLibrary(env, settings);
 */
export function installDjangoLibrary(env: nunjucks.Environment, settings: Settings): void {
  for (const [name, filter] of Object.entries(DJANGO_FILTERS)) env.addFilter(name, filter as (...args: unknown[]) => unknown);
  installDjangoTags(env, settings);
}

export { DJANGO_FILTERS, isTruthy } from "./filters.js";
export { DJANGO_TAGS } from "./tags.js";
export { formatDate, timeSince } from "./dateFormat.js";

import { getTsgiApplication } from "../../handler/tsgiHandler.js";
import { UrlPattern, UrlResolver } from "../../urls/resolver.js";
import { CommandError, type ManagementCommand } from "../command.js";
import { errorMessage } from "tsgi/helpers";

/** One row of `manage urls`. */
export interface UrlRow {
  route: string;
  view: string;
  name: string;
}

/**
 * Every URL pattern, depth-first in resolution order, with the full route, the view's
 * name and the namespaced URL name (as django-extensions' `show_urls`).
 *
 * @example
 * listUrls(resolver); // [{ route: "/articles/<int:year>/", view: "yearArchive", name: "news:year" }]
 */
export function listUrls(resolver: UrlResolver): UrlRow[] {
  const rows: UrlRow[] = [];
  const walk = (entries: readonly unknown[], prefix: string, namespace: string) => {
    for (const entry of entries) {
      if (entry instanceof UrlResolver) {
        const ns = entry.namespace ? `${namespace}${entry.namespace}:` : namespace;
        walk(entry.urlpatterns, prefix + entry.pattern.describe, ns);
      } else if (entry instanceof UrlPattern) {
        rows.push({
          route: `/${prefix}${entry.pattern.describe}`.replace(/^\/\^/, "^"),
          view: entry.callback.name || "(anonymous)",
          name: entry.name ? `${namespace}${entry.name}` : "",
        });
      }
    }
  };
  walk(resolver.urlpatterns, "", "");
  return rows;
}

/** `manage urls`: prints the URL patterns with their view and name. */
export const urlsCommand: ManagementCommand = {
  help: "Prints every URL pattern with its view and name.",
  async run({ settings, stdout }) {
    let resolver: UrlResolver;
    try {
      resolver = await getTsgiApplication(settings).resolver();
    } catch (error) {
      throw new CommandError(`The URL configuration could not be loaded: ${errorMessage(error)}`);
    }
    const rows = listUrls(resolver);
    const routeWidth = Math.max(5, ...rows.map((row) => row.route.length));
    const viewWidth = Math.max(4, ...rows.map((row) => row.view.length));
    stdout(`${"ROUTE".padEnd(routeWidth)}  ${"VIEW".padEnd(viewWidth)}  NAME`);
    for (const row of rows) stdout(`${row.route.padEnd(routeWidth)}  ${row.view.padEnd(viewWidth)}  ${row.name}`.trimEnd());
  },
};

import { ImproperlyConfigured, NoReverseMatch } from "../exceptions.js";
import { currentContext } from "../handler/requestContext.js";
import { urlencode } from "../http/urlencoded.js";
import type { View } from "../views/types.js";
import type { UrlPatternMatcher } from "./pattern.js";
import { UrlPattern, UrlResolver } from "./resolver.js";

/** Options for {@link reverse}. */
export interface ReverseOptions {
  /** Values for positional parameters, in order (do not mix with `kwargs`). */
  args?: readonly unknown[];
  /** Values for named parameters. */
  kwargs?: Record<string, unknown>;
  /** Appended as a query string (Django 5.2's `query=`). */
  query?: Record<string, string | number | boolean | ReadonlyArray<string | number | boolean>> | Iterable<readonly [string, string]>;
  /** Appended as `#fragment`. */
  fragment?: string;
  /** The application instance to prefer for an app namespace (default: the current request's). */
  currentApp?: string;
  /** Reverse against this resolver instead of the running application's. */
  resolver?: UrlResolver;
  /** Put before the path instead of the request's script prefix. */
  prefix?: string;
}

interface Candidate {
  chain: Array<{ pattern: UrlPatternMatcher; defaults: Record<string, unknown> }>;
  entry: UrlPattern;
}

/**
 * The path for a named URL pattern (or a view function), the inverse of resolving:
 * `reverse("blog:article", { kwargs: { year: 2024, slug: "hello" } })`. Includes the
 * mount point (SCRIPT_NAME) of the running request. Throws NoReverseMatch with the
 * patterns tried when nothing fits.
 *
 * @example
 * reverse("article", { kwargs: { year: 2024, title: "tsgi" }, query: { page: 2 } }); // "/articles/2024/tsgi/?page=2"
 */
export function reverse(viewName: string | View, options: ReverseOptions = {}): string {
  const context = currentContext();
  const resolver = options.resolver ?? context?.resolver;
  if (resolver === undefined) {
    throw new ImproperlyConfigured("reverse() has no URL configuration: call it in a request, after getTsgiApplication(), or pass { resolver }.");
  }
  const args = options.args ?? [];
  const kwargs = options.kwargs ?? {};
  if (args.length > 0 && Object.keys(kwargs).length > 0) throw new TypeError("Don't mix args and kwargs in call to reverse()!");

  let name: string | View = viewName;
  let scope: UrlResolver = resolver;
  const chain: Candidate["chain"] = [{ pattern: resolver.pattern, defaults: resolver.defaultKwargs }];
  if (typeof viewName === "string") {
    const parts = viewName.split(":");
    name = parts.pop() as string;
    const currentApp = options.currentApp ?? context?.request?.resolverMatch?.namespace;
    for (const [index, ns] of parts.entries()) {
      const found = findNamespace(scope, ns, currentApp?.split(":")[index]);
      if (found === undefined) {
        throw new NoReverseMatch(`'${parts.slice(0, index + 1).join(":")}' is not a registered namespace.`);
      }
      chain.push(...found.chain);
      scope = found.resolver;
    }
  }

  const candidates = collect(scope, name, chain);
  if (candidates.length === 0) {
    throw new NoReverseMatch(
      `Reverse for '${describeName(viewName)}' not found. '${describeName(viewName)}' is not a valid view function or pattern name.`,
      everyPattern(scope, chain.slice(1).map((link) => link.pattern.describe)),
    );
  }
  // The last matching definition wins, as in Django.
  for (const candidate of [...candidates].reverse()) {
    const url = fill(candidate, args, kwargs);
    if (url !== undefined) return finish(url, options, context?.scriptPrefix);
  }
  const tried = candidates.map((c) => c.chain.slice(1).map((link) => link.pattern.describe).join("") + c.entry.pattern.describe);
  const given = args.length > 0 ? `arguments '${JSON.stringify(args)}'` : `keyword arguments '${JSON.stringify(kwargs)}'`;
  throw new NoReverseMatch(
    `Reverse for '${describeName(viewName)}' with ${given} not found. ${candidates.length} pattern(s) tried: ${JSON.stringify(tried)}`,
    candidates.map((c) => [...c.chain.slice(1).map((link) => link.pattern.describe), c.entry.describe()]),
  );
}

function describeName(name: string | View): string {
  return typeof name === "string" ? name : name.name || "<anonymous view>";
}

function findNamespace(
  scope: UrlResolver,
  ns: string,
  currentInstance: string | undefined,
): { resolver: UrlResolver; chain: Candidate["chain"] } | undefined {
  const instances: Array<{ resolver: UrlResolver; chain: Candidate["chain"] }> = [];
  const walk = (resolver: UrlResolver, chain: Candidate["chain"]): void => {
    for (const entry of resolver.urlpatterns) {
      if (!(entry instanceof UrlResolver)) continue;
      const next = [...chain, { pattern: entry.pattern, defaults: entry.defaultKwargs }];
      if (entry.namespace === ns || entry.appName === ns) instances.push({ resolver: entry, chain: next });
      else if (entry.namespace === undefined) walk(entry, next);
    }
  };
  walk(scope, []);
  // An instance namespace wins; for an application namespace prefer the current app, then the default instance, then the last deployed.
  return (
    instances.find((i) => i.resolver.namespace === ns && i.resolver.appName !== ns) ??
    instances.find((i) => currentInstance !== undefined && i.resolver.namespace === currentInstance) ??
    instances.find((i) => i.resolver.namespace === ns) ??
    instances[instances.length - 1]
  );
}

/** Every pattern under `scope` (each a chain of descriptions, outermost first): what a wrong name was looked up in. */
function everyPattern(scope: UrlResolver, prefix: readonly string[]): string[][] {
  const chains: string[][] = [];
  for (const entry of scope.urlpatterns) {
    if (entry instanceof UrlPattern) chains.push([...prefix, entry.describe()]);
    else chains.push(...everyPattern(entry, [...prefix, entry.describe()]));
  }
  return chains;
}

function collect(scope: UrlResolver, name: string | View, chain: Candidate["chain"]): Candidate[] {
  const found: Candidate[] = [];
  for (const entry of scope.urlpatterns) {
    if (entry instanceof UrlPattern) {
      if (typeof name === "string" ? entry.name === name : entry.callback === name) found.push({ chain, entry });
    } else if (entry.namespace === undefined) {
      found.push(...collect(entry, name, [...chain, { pattern: entry.pattern, defaults: entry.defaultKwargs }]));
    }
  }
  return found;
}

/** Fills the candidate's patterns with the arguments; undefined when they do not fit. */
function fill(candidate: Candidate, args: readonly unknown[], kwargs: Record<string, unknown>): string | undefined {
  const links = [...candidate.chain, { pattern: candidate.entry.pattern, defaults: candidate.entry.defaultKwargs }];
  const params: Array<{ pattern: UrlPatternMatcher; name: string }> = [];
  const defaults: Record<string, unknown> = {};
  for (const link of links) {
    if (link.pattern.template === undefined) return undefined;
    for (const part of link.pattern.template) if ("param" in part) params.push({ pattern: link.pattern, name: part.param });
    Object.assign(defaults, link.defaults);
  }
  const values = new Map<string, unknown>();
  if (args.length > 0) {
    if (args.length !== params.length) return undefined;
    params.forEach((param, index) => values.set(param.name, args[index]));
  } else {
    const names = new Set(params.map((p) => p.name));
    for (const key of Object.keys(kwargs)) if (!names.has(key) && !(key in defaults)) return undefined;
    for (const [key, value] of Object.entries(defaults)) if (key in kwargs && kwargs[key] !== value) return undefined;
    for (const param of params) {
      if (!(param.name in kwargs)) return undefined;
      values.set(param.name, kwargs[param.name]);
    }
  }
  let url = "";
  try {
    for (const link of links) {
      for (const part of link.pattern.template ?? []) {
        url += "literal" in part ? part.literal : link.pattern.toUrl(part.param, values.get(part.param));
      }
    }
  } catch {
    return undefined;
  }
  // The filled URL must resolve back through the same patterns (Django checks the same way).
  const source = links.map((link) => link.pattern.regexSource).join("");
  if (!new RegExp(`^${source}$`).test(url)) return undefined;
  return url;
}

function finish(url: string, options: ReverseOptions, scriptPrefix = "/"): string {
  // Keep `/`, `~`, `:`, `@` and RFC 3986 sub-delimiters readable; escape the rest.
  let path = encodeURI(url).replace(/[?#]/g, (c) => encodeURIComponent(c));
  if (path.startsWith("//")) path = `/%2F${path.slice(2)}`;
  path = path.replace(/^\//, "");
  const prefix = options.prefix ?? scriptPrefix;
  let result = `${prefix.endsWith("/") ? prefix : `${prefix}/`}${path}`;
  if (options.query !== undefined) {
    const pairs: Array<[string, string]> = [];
    const entries = Symbol.iterator in options.query ? (options.query as Iterable<readonly [string, string]>) : Object.entries(options.query);
    for (const [key, value] of entries) {
      for (const item of Array.isArray(value) ? value : [value]) pairs.push([key, String(item)]);
    }
    if (pairs.length > 0) result += `?${urlencode(pairs)}`;
  }
  if (options.fragment !== undefined) result += `#${encodeURIComponent(options.fragment)}`;
  return result;
}

import { readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import nunjucks from "nunjucks";
import { ImproperlyConfigured } from "../exceptions.js";
import { checkTemplatesSetting } from "../settings/batterySchema.js";
import type { Settings } from "../settings/types.js";
import { appDirectories, resolveSettingsPath } from "../staticfiles/settings.js";
import { staticUrl } from "../staticfiles/static.js";
import { reverse, type ReverseOptions } from "../urls/reverse.js";
import { FRAMEWORK_TEMPLATES_DIR } from "./builtinDir.js";
import { installDjangoLibrary } from "./django/index.js";
import { didYouMean } from "./django/didYouMean.js";
import { TemplateDoesNotExist, TemplateError, TemplateSyntaxError, type TemplateDebugInfo } from "./errors.js";
import { installFastEscape } from "./nunjucksEscape.js";
import { installFastFrameSet } from "./nunjucksFrame.js";
import { installLoopBindings } from "./nunjucksLoop.js";
import { renderByName } from "./nunjucksRender.js";
import { useDjangoTruthiness } from "./nunjucksTruth.js";
import type { TemplateOptions, TemplatesSetting } from "./settings.js";

/** A configured engine: nunjucks plus what the framework needs to report errors well. */
export interface TemplateEngine {
  readonly env: nunjucks.Environment;
  /** Template folders, in search order. */
  readonly dirs: readonly string[];
  readonly options: TemplateOptions;
}

const engines = new WeakMap<Settings, TemplateEngine>();

/**
 * The TEMPLATES setting, list form or not, checked (ImproperlyConfigured names the bad key).
 *
 * @example
 * templatesSetting(settings).DIRS; // ["templates"]
 */
export function templatesSetting(settings: Settings): TemplatesSetting {
  const value = settings.TEMPLATES;
  if (value === undefined) return {};
  // defineSettings already refuses a malformed TEMPLATES; this guards settings built by hand.
  const problem = checkTemplatesSetting(value);
  if (problem !== undefined) throw new ImproperlyConfigured(`TEMPLATES: ${problem}.`);
  const setting: unknown = (Array.isArray(value) ? value[0] : value) ?? {};
  return setting as TemplatesSetting;
}

/**
 * The template engine for a site (one per settings object, built on first use): nunjucks
 * with autoescaping, the TEMPLATES folders then the apps' `templates/` folders, and the
 * `static()` and `url()` globals. In DEBUG, and under tsgi-dev, templates are re-read when they change.
 *
 * @example
 * const { env } = getTemplateEngine(settings);
 */
export function getTemplateEngine(settings: Settings): TemplateEngine {
  const cached = engines.get(settings);
  if (cached) return cached;
  // Same output, less work per render: see each file.
  installFastFrameSet();
  installLoopBindings();
  installFastEscape();
  const setting = templatesSetting(settings);
  const options = setting.OPTIONS ?? {};
  const dirs = [
    ...(setting.DIRS ?? []).map((dir) => resolveSettingsPath(settings, dir)),
    ...(setting.APP_DIRS === false ? [] : appDirectories(settings).map((app) => join(app, "templates"))),
    FRAMEWORK_TEMPLATES_DIR,
  ];
  // Under tsgi-dev (TSGI_DEV=1) templates are re-read on change whatever DEBUG says: an edit must show on the next request.
  const loader = new nunjucks.FileSystemLoader(dirs, { noCache: settings.DEBUG || process.env.TSGI_DEV === "1" });
  // dev: keep nunjucks' own error objects, which carry the line and column.
  const env = new nunjucks.Environment(loader, { autoescape: options.autoescape ?? true, dev: true, throwOnUndefined: false });
  // Django truthiness: an empty list, dict or string is false in {% if %}, not, and, or.
  useDjangoTruthiness(env);
  env.addGlobal("static", (path: string) => staticUrl(settings, path));
  // {{ url("blog:article", { kwargs: { slug: post.slug } }) }}: Django's {% url %}.
  env.addGlobal("url", (name: string, options?: ReverseOptions) => reverse(name, options));
  // Django's tags ({% url %}, {% csrf_token %}, ...) and filters (date, pluralize, ...).
  installDjangoLibrary(env, settings);
  for (const [name, filter] of Object.entries(options.filters ?? {})) env.addFilter(name, filter as (...args: unknown[]) => unknown);
  for (const [name, value] of Object.entries(options.globals ?? {})) env.addGlobal(name, value);
  const engine: TemplateEngine = { env, dirs, options };
  engines.set(settings, engine);
  return engine;
}

/**
 * Renders a template to a string (async so templates may use async filters); nunjucks
 * errors become {@link TemplateDoesNotExist}, {@link TemplateSyntaxError} or {@link TemplateError}
 * with the template's name and line.
 *
 * @example
 * const html = await renderTemplate(getTemplateEngine(settings), "emails/welcome.txt", { user });
 */
export function renderTemplate(engine: TemplateEngine, name: string, context: Record<string, unknown>): Promise<string> {
  try {
    const html = renderTemplateNow(engine, name, context);
    return typeof html === "string" ? Promise.resolve(html) : html;
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * {@link renderTemplate} without a promise when there is nothing to wait for: the text when the
 * template finished before returning (any template without an async filter or tag), else a
 * promise of it. Errors are thrown (or rejected) already translated, as renderTemplate rejects them.
 *
 * @example
 * const html = renderTemplateNow(engine, "page.html", context);
 * const text = typeof html === "string" ? html : await html;
 */
export function renderTemplateNow(engine: TemplateEngine, name: string, context: Record<string, unknown>): string | Promise<string> {
  let settled: { error: Error | null; html: string | undefined } | undefined;
  let settle: ((error: Error | null, html?: string) => void) | undefined;
  try {
    renderByName(engine.env, name, context, (error, html) => {
      // The first answer counts (nunjucks may call back again after an error).
      if (settle !== undefined) settle(error, html);
      else settled ??= { error, html };
    });
  } catch (error) {
    // Thrown before any answer (a loader failing): passed on as it is, as a throw in env.render's Promise executor was.
    if (settled === undefined) throw error;
  }
  if (settled !== undefined) {
    if (settled.error) throw translateError(engine, name, settled.error);
    return settled.html ?? "";
  }
  return new Promise((resolve, reject) => {
    settle = (error, html) => (error ? reject(translateError(engine, name, error)) : resolve(html ?? ""));
  });
}

/** Turns a nunjucks error into the framework's, with template debug info. */
export function translateError(engine: TemplateEngine, requested: string, error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const notFound = /^template not found: (.*)$/.exec(error.message);
  if (notFound) return new TemplateDoesNotExist(notFound[1] ?? requested, engine.dirs);
  const { path, message: rawMessage } = splitLocation(error.message);
  const message = rawMessage + didYouMean(engine.env, rawMessage);
  const details = error as Error & { lineno?: number; colno?: number; cause?: unknown };
  // Nunjucks counts render-time positions from 0 and compile-time ones from 1.
  const during = details.cause instanceof Error ? "render" : "syntax";
  const offset = during === "render" ? 1 : 0;
  const line = typeof details.lineno === "number" ? details.lineno + offset : undefined;
  const column = typeof details.colno === "number" ? details.colno + offset : undefined;
  const name = path !== undefined && path !== "unknown path" ? nameFor(engine, path) : requested;
  const info: TemplateDebugInfo = { name, line: line ?? 0, message, during };
  if (path !== undefined) info.path = path;
  if (column !== undefined) info.column = column;
  const source = path === undefined ? undefined : readSource(path);
  if (source !== undefined) info.source = source;
  const where = line === undefined ? name : `${name}, line ${line}`;
  const ErrorClass = during === "syntax" ? TemplateSyntaxError : TemplateError;
  return new ErrorClass(`${message} (in template ${where})`, info, { cause: details.cause ?? error });
}

/**
 * Nunjucks prefixes "(path)" once per template on the include stack, the failing one last
 * (with "[Line n, Column m]"); the message follows on the next lines.
 */
function splitLocation(text: string): { path: string | undefined; message: string } {
  const lines = text.split("\n");
  let last = -1;
  let path: string | undefined;
  lines.forEach((line, index) => {
    const match = /^\s*\((.*)\)(?: \[Line \d+(?:, Column \d+)?\])?$/.exec(line);
    if (match) {
      last = index;
      path = match[1];
    }
  });
  return { path, message: lines.slice(last + 1).join("\n").trim() || text };
}

function nameFor(engine: TemplateEngine, path: string): string {
  for (const dir of engine.dirs) {
    const rel = relative(dir, path);
    if (!rel.startsWith("..") && !rel.startsWith(sep)) return rel.split(sep).join("/");
  }
  return path;
}

function readSource(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

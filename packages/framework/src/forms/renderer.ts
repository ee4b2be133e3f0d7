import nunjucks from "nunjucks";
import { currentContext } from "../handler/requestContext.js";
import { FRAMEWORK_TEMPLATES_DIR } from "../templates/builtinDir.js";
import { getTemplateEngine, translateError, type TemplateEngine } from "../templates/engine.js";

let fallback: TemplateEngine | undefined;

/**
 * The engine forms render with (Django's form renderer): the site's template engine, so a
 * template of the same name in TEMPLATES.DIRS overrides the framework's; outside a running
 * application (a script, a unit test), an engine with only the framework's templates.
 */
export function formEngine(): TemplateEngine {
  const settings = currentContext()?.settings;
  if (settings !== undefined) return getTemplateEngine(settings);
  fallback ??= {
    env: new nunjucks.Environment(new nunjucks.FileSystemLoader([FRAMEWORK_TEMPLATES_DIR]), { autoescape: true, dev: true }),
    dirs: [FRAMEWORK_TEMPLATES_DIR],
    options: {},
  };
  return fallback;
}

/**
 * Renders a form or widget template synchronously (a form prints inside another template,
 * so it cannot wait); errors name the template and line like any template error.
 *
 * @example
 * renderFormTemplate("django/forms/widgets/text.html", { widget });
 */
export function renderFormTemplate(templateName: string, context: Record<string, unknown>): string {
  const engine = formEngine();
  try {
    return engine.env.render(templateName, context);
  } catch (error) {
    throw translateError(engine, templateName, error);
  }
}

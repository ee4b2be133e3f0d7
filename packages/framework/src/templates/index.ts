export { render, renderToString, templateRendered, type RenderOptions } from "./render.js";
export { TemplateResponse } from "./templateResponse.js";
export { getTemplateEngine, renderTemplate, templatesSetting, type TemplateEngine } from "./engine.js";
export { requestContext } from "./context.js";
export { TemplateError, TemplateSyntaxError, TemplateDoesNotExist, type TemplateDebugInfo } from "./errors.js";
export type { ContextProcessor, TemplateFilter, TemplateOptions, TemplatesSetting } from "./settings.js";

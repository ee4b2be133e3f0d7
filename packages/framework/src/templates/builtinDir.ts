import { fileURLToPath } from "node:url";

/**
 * The framework's own templates (form widgets, auth pages, emails), searched after the
 * project's and the apps' folders so a designer overrides any of them by creating a
 * template of the same name (`django/forms/widgets/input.html`) in TEMPLATES.DIRS.
 * `../../templates` from both `src/templates/` and the compiled `dist/templates/`.
 */
export const FRAMEWORK_TEMPLATES_DIR = fileURLToPath(new URL("../../templates/", import.meta.url));

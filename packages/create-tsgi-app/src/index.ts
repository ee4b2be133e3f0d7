export { scaffold, TEMPLATES_DIR, type ScaffoldOptions, type TemplateName, type PackageManager, type TsgiPackage } from "./scaffold.js";
export { validateProjectName, assertEmptyTarget, projectNameFromDir } from "./validate.js";
export { parseCliArgs, detectPackageManager, type CliArgs } from "./args.js";
export { CreateAppError } from "./errors.js";
export { linkedVersions } from "./link.js";

/**
 * Helpers every TSGI server and framework shares (`tsgi/helpers`): loading a
 * TARGET, joining URL paths under a folder safely, HTTP dates, pid liveness and
 * errors as text, waiting for a writable to drain. One copy of each, used by tsgi-dev, tsgi-worker and the framework.
 */
export { describeError, errorMessage } from "./describeError.js";
export { formatHttpDate, parseHttpDate } from "./httpDate.js";
export { isAlive } from "./isAlive.js";
export { waitForDrain } from "./waitForDrain.js";
export { DEFAULT_IGNORED, watchPaths, type FileWatcher, type PathWatcher, type WatchFunction, type WatchPathsOptions } from "./watchPaths.js";
export { loadTarget, MODULE_EXTENSIONS, resolveTargetModule, type LoadTargetOptions } from "./loadTarget.js";
export { describeTarget, parseTarget, type TargetSpec } from "./parseTarget.js";
export { isInsideRoot, rawTargetOf, safeJoin } from "./safePath.js";
export { ExportNotFoundError, InvalidTargetError, NotAnApplicationError, TargetError, TargetLoadError, TargetNotFoundError } from "./targetErrors.js";

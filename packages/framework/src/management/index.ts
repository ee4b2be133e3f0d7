export { executeFromCommandLine, type ExecuteOptions } from "./execute.js";
export { CommandError, type CommandContext, type ManagementCommand } from "./command.js";
export { databaseCommand, type DatabaseCommandContext, type DatabaseCommandSpec } from "./databaseCommand.js";
export { runChecks, type CheckMessage, type CheckOptions } from "./checks.js";
export { BUILTIN_COMMANDS, projectCommands } from "./registry.js";
export { findSettingsFile, loadSettingsFile, applicationTarget, type Project } from "./project.js";
export { listUrls, type UrlRow } from "./commands/urls.js";
export { parseAddrport } from "./commands/runserver.js";

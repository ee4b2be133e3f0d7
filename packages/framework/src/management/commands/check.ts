import { parseArgs } from "node:util";
import { CommandError, type ManagementCommand } from "../command.js";
import { runChecks, type CheckMessage } from "../checks.js";
import { errorMessage } from "tsgi/helpers";

/**
 * `manage check [--deploy] [--fail-level ERROR|WARNING]`: validates settings and the URL
 * configuration; exits 1 when an issue at or above the fail level is found.
 */
export const checkCommand: ManagementCommand = {
  help: "Checks the settings, URL configuration and folders for problems (--deploy adds production checks).",
  async run({ args, settings, stdout, stderr }) {
    const { values } = parseOptions(args);
    const failLevel = (values["fail-level"] ?? "ERROR").toUpperCase();
    if (failLevel !== "ERROR" && failLevel !== "WARNING") throw new CommandError(`--fail-level must be ERROR or WARNING, got ${failLevel}`);
    const messages = await runChecks(settings, { deploy: values.deploy ?? false });
    if (messages.length === 0) {
      stdout("System check identified no issues (0 silenced).");
      return 0;
    }
    const failing = messages.some((message) => message.level === "ERROR" || failLevel === "WARNING");
    const out = failing ? stderr : stdout;
    out(failing ? "SystemCheckError: System check identified some issues:\n" : "System check identified some issues:\n");
    for (const level of ["ERROR", "WARNING"] as const) {
      const group = messages.filter((message) => message.level === level);
      if (group.length === 0) continue;
      out(`${level === "ERROR" ? "ERRORS" : "WARNINGS"}:`);
      for (const message of group) out(format(message));
      out("");
    }
    const count = messages.length;
    out(`System check identified ${count} issue${count === 1 ? "" : "s"} (0 silenced).`);
    return failing ? 1 : 0;
  },
};

function format(message: CheckMessage): string {
  return `?: (${message.id}) ${message.message}${message.hint ? `\n\tHINT: ${message.hint}` : ""}`;
}

function parseOptions(args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], options: { deploy: { type: "boolean" }, "fail-level": { type: "string" } }, allowPositionals: false });
  } catch (error) {
    throw new CommandError(`check: ${errorMessage(error)}`);
  }
}

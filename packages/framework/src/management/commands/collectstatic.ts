import { parseArgs } from "node:util";
import { collectStatic } from "../../staticfiles/collectstatic.js";
import { CommandError, type ManagementCommand } from "../command.js";
import { errorMessage } from "tsgi/helpers";

/** `manage collectstatic [--clear] [--noinput] [-v 2]`: copies static files to STATIC_ROOT with hashed names and a manifest. */
export const collectstaticCommand: ManagementCommand = {
  help: "Collects static files into STATIC_ROOT with content-hashed names and manifest.json, for a web server to serve.",
  async run({ args, settings, stdout }) {
    let values: { clear?: boolean; verbosity?: string };
    try {
      ({ values } = parseArgs({
        args: [...args],
        options: { clear: { type: "boolean" }, noinput: { type: "boolean" }, "no-input": { type: "boolean" }, verbosity: { type: "string", short: "v" } },
      }));
    } catch (error) {
      throw new CommandError(`collectstatic: ${errorMessage(error)}`);
    }
    const verbose = Number(values.verbosity ?? "1") >= 2;
    const result = await collectStatic(settings, { clear: values.clear ?? false, ...(verbose && { log: stdout }) });
    stdout(`${result.copied} static file${result.copied === 1 ? "" : "s"} copied to '${result.root}', ${result.postProcessed} post-processed.`);
  },
};

import { parseArgs } from "node:util";
import { CreateAppError } from "./errors.js";
import type { PackageManager, TemplateName } from "./scaffold.js";

/** What the command line said; anything missing is asked for (on a terminal) or defaulted. */
export interface CliArgs {
  dir?: string;
  template?: TemplateName;
  packageManager?: PackageManager;
  install?: boolean;
  /** A tsgi checkout whose packages the project depends on, instead of the registry's. */
  link?: string;
  yes: boolean;
  help: boolean;
}

export const USAGE = `Usage: create-tsgi-app <dir> [--template default|minimal] [--pm pnpm|npm] [--no-install] [--yes] [--link <checkout>]

  <dir>              folder to create (must be absent or empty); its name is the project name
  --template, -t     default: a framework project laid out like Django's; minimal: one raw TSGI app file
  --pm               package manager for scripts and install (default: the one running this command)
  --install          install dependencies (default: ask, or yes with --yes)
  --no-install       do not install dependencies
  --yes, -y          ask nothing: take defaults for whatever is not given
  --link <checkout>  depend on the tsgi packages of a local checkout of the tsgi repository
                     (link:/file: paths) instead of the npm registry's`;

/**
 * Parses create-tsgi-app's command line.
 *
 * @example
 * parseCliArgs(["mysite", "--template", "minimal", "--no-install"]);
 */
export function parseCliArgs(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        template: { type: "string", short: "t" },
        pm: { type: "string" },
        install: { type: "boolean" },
        "no-install": { type: "boolean" },
        link: { type: "string" },
        yes: { type: "boolean", short: "y" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new CreateAppError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new CreateAppError(`expected one folder, got ${positionals.length}: ${positionals.join(" ")}`);
  if (values.template !== undefined && values.template !== "default" && values.template !== "minimal") {
    throw new CreateAppError(`--template must be default or minimal, got "${values.template}"`);
  }
  if (values.pm !== undefined && values.pm !== "pnpm" && values.pm !== "npm") {
    throw new CreateAppError(`--pm must be pnpm or npm, got "${values.pm}"`);
  }
  if (values.install && values["no-install"]) throw new CreateAppError("--install and --no-install contradict each other");
  return {
    dir: positionals[0],
    template: values.template as TemplateName | undefined,
    packageManager: values.pm as PackageManager | undefined,
    install: values["no-install"] ? false : values.install,
    link: values.link,
    yes: values.yes ?? false,
    help: values.help ?? false,
  };
}

/** The package manager that launched us (`npm create` / `pnpm create` set npm_config_user_agent). */
export function detectPackageManager(userAgent = process.env.npm_config_user_agent ?? ""): PackageManager {
  return userAgent.startsWith("npm/") ? "npm" : "pnpm";
}

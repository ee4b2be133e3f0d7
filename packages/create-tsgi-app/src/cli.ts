import { intro, outro } from "@clack/prompts";
import { relative } from "node:path";
import pc from "picocolors";
import { USAGE, detectPackageManager, parseCliArgs } from "./args.js";
import { CreateAppError } from "./errors.js";
import { installDependencies } from "./install.js";
import { assertTsgiCheckout, linkedVersions } from "./link.js";
import { completeAnswers } from "./prompts.js";
import { scaffold } from "./scaffold.js";
import { projectNameFromDir } from "./validate.js";

async function main(argv: string[]): Promise<void> {
  const args = parseCliArgs(argv);
  if (args.help) {
    console.log(USAGE);
    return;
  }
  if (args.link !== undefined) assertTsgiCheckout(args.link);
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  if (interactive && !args.yes) intro(pc.bold("create-tsgi-app"));
  const answers = await completeAnswers(args, { packageManager: detectPackageManager() }, interactive);
  const name = projectNameFromDir(answers.dir);
  const tsgiVersions = args.link === undefined ? undefined : linkedVersions(args.link, answers.packageManager);
  const files = scaffold({ dir: answers.dir, name, template: answers.template, packageManager: answers.packageManager, tsgiVersions });
  console.log(`Created ${name} (${answers.template} template, ${files.length} files) in ${answers.dir}`);
  if (answers.install) await installDependencies(answers.dir, answers.packageManager);
  const run = answers.packageManager === "pnpm" ? "pnpm" : "npm run";
  const cd = relative(process.cwd(), answers.dir) || ".";
  const steps = [`cd ${cd}`, ...(answers.install ? [] : [`${answers.packageManager} install`]), `${run} dev`];
  const message = `Next:\n  ${steps.join("\n  ")}\nthen open http://127.0.0.1:8000`;
  if (interactive && !args.yes) outro(message);
  else console.log(message);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof CreateAppError) {
    console.error(`create-tsgi-app: ${error.message}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});

import { userInfo } from "node:os";
import { createInterface } from "node:readline";
import { CommandError, type CommandContext, type ManagementCommand } from "../../management/command.js";
import { ValidationError } from "../../forms/validationError.js";
import { validatePassword } from "../../auth/passwordValidation.js";

/** Reads answers line by line from standard input (a terminal or a pipe). */
class Prompter {
  readonly #lines: AsyncIterator<string>;
  constructor(readonly write: (text: string) => void) {
    this.#lines = createInterface({ input: process.stdin, terminal: false })[Symbol.asyncIterator]();
  }
  async ask(question: string): Promise<string> {
    this.write(question);
    const next = await this.#lines.next();
    if (next.done) throw new CommandError("Standard input ended before every answer was given (use --noinput with --username and --email).");
    return next.value.replace(/\r$/, "");
  }
  close(): void {
    void this.#lines.return?.();
  }
}

function option(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index >= 0) return args[index + 1];
  const inline = args.find((arg) => arg.startsWith(`${name}=`));
  return inline?.slice(name.length + 1);
}

/** The User model and the database of the project, loaded when a command runs (not at import). */
async function loadAuth(context: CommandContext) {
  const { loadMigrationProject } = await import("../../db/migrations/project.js");
  await loadMigrationProject(context.settings);
  return import("./models.js");
}

async function closeConnections(): Promise<void> {
  const { connections } = await import("../../db/connections.js");
  await connections.closeAll();
}

async function askPassword(prompter: Prompter, user: Record<string, unknown>, context: CommandContext): Promise<string> {
  const stderr = context.stderr;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const password = await prompter.ask("Password: ");
    const again = await prompter.ask("Password (again): ");
    if (password !== again) {
      stderr("Error: Your passwords didn't match.");
      continue;
    }
    if (password.trim() === "") {
      stderr("Error: Blank passwords aren't allowed.");
      continue;
    }
    try {
      validatePassword(password, user, undefined, context.settings);
      return password;
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      for (const message of error.messages) stderr(message);
    }
  }
  throw new CommandError("Aborting after 3 attempts: no acceptable password was given.");
}

/**
 * `manage createsuperuser [--username NAME] [--email EMAIL] [--noinput]`: Django's command.
 * With `--noinput`, the password comes from TSGI_SUPERUSER_PASSWORD (or
 * DJANGO_SUPERUSER_PASSWORD); without one the user gets an unusable password.
 */
export const createsuperuserCommand: ManagementCommand = {
  help: "Creates a superuser: [--username NAME] [--email EMAIL] [--noinput] (password from TSGI_SUPERUSER_PASSWORD).",
  async run(context) {
    const { args, stdout, stderr } = context;
    const noinput = args.includes("--noinput") || args.includes("--no-input");
    try {
      const { User, createSuperuser } = await loadAuth(context);
      let username = option(args, "--username") ?? (noinput ? process.env.TSGI_SUPERUSER_USERNAME ?? process.env.DJANGO_SUPERUSER_USERNAME : undefined);
      let email = option(args, "--email") ?? (noinput ? process.env.TSGI_SUPERUSER_EMAIL ?? process.env.DJANGO_SUPERUSER_EMAIL ?? "" : undefined);
      let password: string | null = null;
      if (noinput) {
        if (!username) throw new CommandError("You must use --username with --noinput.");
        if (await User.objects.filter({ username }).exists()) throw new CommandError("Error: That username is already taken.");
        password = process.env.TSGI_SUPERUSER_PASSWORD ?? process.env.DJANGO_SUPERUSER_PASSWORD ?? null;
      } else {
        const prompter = new Prompter((text) => process.stdout.write(text));
        try {
          while (!username) {
            const answer = (await prompter.ask("Username: ")).trim();
            if (answer === "") stderr("Error: This field cannot be blank.");
            else if (await User.objects.filter({ username: answer }).exists()) stderr("Error: That username is already taken.");
            else username = answer;
          }
          email ??= (await prompter.ask("Email address: ")).trim();
          password = await askPassword(prompter, { username, email }, context);
        } finally {
          prompter.close();
        }
      }
      if (email && !/^[^@\s]+@[^@\s]+$/.test(email)) throw new CommandError("Error: Enter a valid email address.");
      await createSuperuser(username, email ?? "", password);
      stdout("Superuser created successfully.");
      return 0;
    } finally {
      await closeConnections();
    }
  },
};

/** `manage changepassword [username]`: Django's command (default: the current system user's name). */
export const changepasswordCommand: ManagementCommand = {
  help: "Changes a user's password: [username] (default: your system user name).",
  async run(context) {
    const { args, stdout, stderr } = context;
    const username = args.find((arg) => !arg.startsWith("--")) ?? userInfo().username;
    try {
      const { User } = await loadAuth(context);
      const user = await User.objects.filter({ username }).first();
      if (user === undefined) throw new CommandError(`user '${username}' does not exist`);
      stdout(`Changing password for user '${username}'`);
      const prompter = new Prompter((text) => process.stdout.write(text));
      try {
        const password = await askPassword(prompter, { username: user.username, email: user.email, firstName: user.firstName, lastName: user.lastName }, context);
        await user.setPassword(password);
        await user.save({ updateFields: ["password"] });
      } finally {
        prompter.close();
      }
      stdout(`Password changed successfully for user '${username}'`);
      return 0;
    } finally {
      await closeConnections();
    }
  },
};

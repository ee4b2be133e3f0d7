import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../../bin/tsgi-manage.js", import.meta.url));
const authApp = fileURLToPath(new URL("../../src/contrib/auth/", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "auth-commands-"));
const settingsFile = join(dir, "settings.ts");

/** Runs `tsgi-manage` as a real child process, feeding `input` to its standard input. */
function manage(args: string[], input = "", env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args, "--settings", settingsFile], { cwd: dir, env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

beforeAll(async () => {
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  writeFileSync(
    settingsFile,
    `import { defineSettings, MD5PasswordHasher, MinimumLengthValidator } from ${JSON.stringify(fileURLToPath(new URL("../../src/index.ts", import.meta.url)))};
export const settings = defineSettings({
  SECRET_KEY: "commands-test-key-0123456789012345678901234567890",
  BASE_DIR: ${JSON.stringify(dir)},
  INSTALLED_APPS: [${JSON.stringify(authApp)}],
  DATABASES: { default: { ENGINE: "sqlite", NAME: ${JSON.stringify(join(dir, "db.sqlite3"))} } },
  PASSWORD_HASHERS: [new MD5PasswordHasher()],
  AUTH_PASSWORD_VALIDATORS: [new MinimumLengthValidator(8)],
  urlpatterns: [],
});
`,
  );
  const migrated = await manage(["migrate"]);
  expect(migrated.stdout + migrated.stderr).toContain("auth.0001_initial");
  expect(migrated.code).toBe(0);
}, 120_000);

describe("createsuperuser and changepassword", () => {
  it("creates a superuser without input from the environment, refuses duplicates and a missing username", async () => {
    const made = await manage(["createsuperuser", "--noinput", "--username", "admin", "--email", "admin@example.com"], "", { TSGI_SUPERUSER_PASSWORD: "admin-pass-1" });
    expect(made.stdout).toContain("Superuser created successfully.");
    expect(made.code).toBe(0);
    const again = await manage(["createsuperuser", "--noinput", "--username", "admin"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("That username is already taken.");
    const missing = await manage(["createsuperuser", "--noinput"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("You must use --username with --noinput.");
    const badEmail = await manage(["createsuperuser", "--noinput", "--username", "x", "--email", "not-an-email"]);
    expect(badEmail.stderr).toContain("Enter a valid email address.");
  }, 120_000);

  it("asks interactively, re-asking after a mismatch and a too-short password", async () => {
    const made = await manage(["createsuperuser"], "root\nroot@example.com\nfirst-try\nsecond-try\nshort\nshort\nlong-enough-pw\nlong-enough-pw\n");
    expect(made.stderr).toContain("Your passwords didn't match.");
    expect(made.stderr).toContain("This password is too short.");
    expect(made.stdout).toContain("Superuser created successfully.");
    expect(made.code).toBe(0);
    const ended = await manage(["createsuperuser"], "someone\n");
    expect(ended.code).toBe(1);
    expect(ended.stderr).toContain("Standard input ended");
  }, 120_000);

  it("changes a password; unknown users and three failures are errors", async () => {
    const changed = await manage(["changepassword", "root"], "new-password-1\nnew-password-1\n");
    expect(changed.stdout).toContain("Password changed successfully for user 'root'");
    expect(changed.code).toBe(0);
    const unknown = await manage(["changepassword", "ghost"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("user 'ghost' does not exist");
    const failing = await manage(["changepassword", "root"], "a\nb\nc\nd\ne\nf\n");
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain("Aborting after 3 attempts");
  }, 120_000);
});

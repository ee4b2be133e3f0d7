import { spawn } from "node:child_process";
import { CLI } from "./helpers.js";

/** What to type once the screen shows `prompt` (keys as a terminal sends them: "\r" is Enter). */
export interface Answer {
  prompt: string;
  keys: string;
}

/** The CLI's exit code and everything it drew on the terminal. */
export interface TerminalRun {
  code: number | null;
  screen: string;
}

/** Enter, arrow down, Ctrl-C, as a terminal sends them. */
export const KEY = { enter: "\r", down: "\x1b[B", ctrlC: "\x03" } as const;

/**
 * Runs the real CLI on a pseudo-terminal (util-linux `script`), so it prompts as
 * it does for a user, and types each answer once its prompt is on screen.
 */
export function runInTerminal(args: string[], cwd: string, answers: Answer[]): Promise<TerminalRun> {
  // script gives the child a pty; its size is set so the prompts are drawn on whole lines.
  const command = ["stty cols 120 rows 40;", process.execPath, CLI, ...args].join(" ");
  const child = spawn("script", ["-qfec", command, "/dev/null"], {
    cwd,
    env: { ...process.env, CI: "", npm_config_user_agent: "pnpm/10.0.0 node/v22.0.0 linux x64" },
    // A prompt that never shows would leave the CLI waiting for keys: never outlive the test.
    timeout: 50_000,
  });
  const pending = [...answers];
  let screen = "";
  let unanswered = "";
  child.stdout.on("data", (data: Buffer) => {
    const text = data.toString();
    screen += text;
    unanswered += text;
    while (pending.length > 0 && unanswered.includes(pending[0]!.prompt)) {
      const answer = pending.shift()!;
      unanswered = unanswered.slice(unanswered.indexOf(answer.prompt) + answer.prompt.length);
      child.stdin.write(answer.keys);
    }
  });
  return new Promise((resolve) => {
    child.once("exit", (code) => {
      child.stdin.end();
      resolve({ code, screen });
    });
  });
}

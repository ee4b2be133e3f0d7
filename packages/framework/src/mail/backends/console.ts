import type { EmailMessage } from "../message.js";
import type { EmailBackend } from "./base.js";

/**
 * Writes each message to a stream (stdout by default) instead of sending it: for development
 * (Django's console backend), so a password-reset link shows in the terminal.
 *
 * @example
 * defineSettings({ EMAIL_BACKEND: "console", ... })
 */
export class ConsoleEmailBackend implements EmailBackend {
  constructor(
    readonly defaultFrom: string,
    readonly stream: { write(text: string): unknown } = process.stdout,
  ) {}

  async sendMessages(messages: readonly EmailMessage[]): Promise<number> {
    let sent = 0;
    for (const message of messages) {
      if (message.recipients().length === 0) continue;
      const text = await message.toMime(this.defaultFrom);
      this.stream.write(`${text}\n${"-".repeat(79)}\n`);
      sent++;
    }
    return sent;
  }
}

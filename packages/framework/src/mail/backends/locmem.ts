import type { EmailMessage } from "../message.js";
import type { EmailBackend } from "./base.js";

/**
 * Messages "sent" during tests, oldest first (Django's `mail.outbox`). Clear it between tests
 * with `outbox.length = 0`.
 */
export const outbox: EmailMessage[] = [];

/**
 * Keeps messages in {@link outbox} (Django's locmem backend, what tests use).
 *
 * @example
 * defineSettings({ EMAIL_BACKEND: "locmem", ... }); // then expect(outbox[0].subject)...
 */
export class LocmemEmailBackend implements EmailBackend {
  async sendMessages(messages: readonly EmailMessage[]): Promise<number> {
    let sent = 0;
    for (const message of messages) {
      if (message.recipients().length === 0) continue;
      message.checkHeaders();
      outbox.push(message);
      sent++;
    }
    return sent;
  }
}

/** Sends nothing (Django's dummy backend). @example defineSettings({ EMAIL_BACKEND: "dummy", ... }) */
export class DummyEmailBackend implements EmailBackend {
  async sendMessages(messages: readonly EmailMessage[]): Promise<number> {
    return messages.filter((message) => message.recipients().length > 0).length;
  }
}

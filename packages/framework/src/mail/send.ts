import type { EmailBackend } from "./backends/base.js";
import { getConnection } from "./connection.js";
import { EmailMessage } from "./message.js";

/** Options of {@link sendMail}. */
export interface SendMailOptions {
  /** Swallow sending errors and return 0 (Django's `fail_silently`). */
  failSilently?: boolean;
  htmlMessage?: string;
  connection?: EmailBackend;
}

/**
 * Sends one message to a list of recipients (Django's `send_mail`); resolves to the number
 * of messages sent (0 or 1).
 *
 * @example
 * await sendMail("Welcome", "Thanks for signing up.", null, ["new@example.com"]);
 */
export async function sendMail(subject: string, message: string, fromEmail: string | null, recipientList: readonly string[], options: SendMailOptions = {}): Promise<number> {
  const email = new EmailMessage({
    subject,
    body: message,
    to: recipientList,
    ...(fromEmail !== null && { fromEmail }),
    ...(options.htmlMessage !== undefined && { html: options.htmlMessage }),
  });
  return sendMessages([email], options);
}

/**
 * Sends several messages over one connection: `[subject, message, from, recipients]` each (Django's `send_mass_mail`).
 *
 * @example
 * await sendMassMail([["Hi", "One", null, ["a@example.com"]], ["Hi", "Two", null, ["b@example.com"]]]);
 */
export async function sendMassMail(data: readonly (readonly [string, string, string | null, readonly string[]])[], options: SendMailOptions = {}): Promise<number> {
  const messages = data.map(([subject, body, fromEmail, to]) => new EmailMessage({ subject, body, to, ...(fromEmail !== null && { fromEmail }) }));
  return sendMessages(messages, options);
}

/** Sends messages with the option's connection or the configured backend. */
export async function sendMessages(messages: readonly EmailMessage[], options: Omit<SendMailOptions, "htmlMessage"> = {}): Promise<number> {
  const connection = options.connection ?? getConnection();
  try {
    return await connection.sendMessages(messages);
  } catch (error) {
    if (options.failSilently) return 0;
    throw error;
  } finally {
    await connection.close?.();
  }
}

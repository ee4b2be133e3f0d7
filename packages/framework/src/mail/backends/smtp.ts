import nodemailer from "nodemailer";
import type { EmailMessage } from "../message.js";
import type { EmailBackend } from "./base.js";

/** SMTP server settings (Django's EMAIL_HOST, EMAIL_PORT, ...). */
export interface SmtpOptions {
  host: string;
  port: number;
  user?: string;
  password?: string;
  /** STARTTLS after connecting (EMAIL_USE_TLS). */
  useTls?: boolean;
  /** TLS from the first byte, usually port 465 (EMAIL_USE_SSL). */
  useSsl?: boolean;
  /** Seconds before a connection attempt or command fails (EMAIL_TIMEOUT). */
  timeout?: number | null;
}

/**
 * Sends through an SMTP server with nodemailer (Django's SMTP backend): one connection
 * per `sendMessages` call; a failure rejects with nodemailer's error (code and response).
 *
 * @example
 * defineSettings({ EMAIL_BACKEND: "smtp", EMAIL_HOST: "smtp.example.com", EMAIL_PORT: 587, EMAIL_USE_TLS: true, ... })
 */
export class SmtpEmailBackend implements EmailBackend {
  constructor(
    readonly defaultFrom: string,
    readonly options: SmtpOptions,
  ) {}

  async sendMessages(messages: readonly EmailMessage[]): Promise<number> {
    const toSend = messages.filter((message) => message.recipients().length > 0);
    if (toSend.length === 0) return 0;
    const timeout = this.options.timeout === null || this.options.timeout === undefined ? undefined : this.options.timeout * 1000;
    const transport = nodemailer.createTransport({
      host: this.options.host,
      port: this.options.port,
      secure: this.options.useSsl ?? false,
      requireTLS: this.options.useTls ?? false,
      ignoreTLS: !(this.options.useTls ?? false) && !(this.options.useSsl ?? false),
      ...(this.options.user !== undefined && this.options.user !== "" && { auth: { user: this.options.user, pass: this.options.password ?? "" } }),
      ...(timeout !== undefined && { connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout }),
    });
    try {
      let sent = 0;
      for (const message of toSend) {
        await transport.sendMail(message.toNodemailer(this.defaultFrom));
        sent++;
      }
      return sent;
    } finally {
      transport.close();
    }
  }
}

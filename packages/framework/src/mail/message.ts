import MailComposer from "nodemailer/lib/mail-composer/index.js";
import { BadHeaderError } from "../exceptions.js";
import type { EmailBackend } from "./backends/base.js";
import { getConnection } from "./connection.js";

export { BadHeaderError };

/** A file attached to a message. */
export interface Attachment {
  filename: string;
  content: string | Uint8Array;
  contentType?: string;
}

/** What an {@link EmailMessage} is built from. */
export interface EmailMessageInit {
  subject?: string;
  body?: string;
  /** Default: DEFAULT_FROM_EMAIL. */
  fromEmail?: string;
  to?: readonly string[];
  cc?: readonly string[];
  bcc?: readonly string[];
  replyTo?: readonly string[];
  headers?: Readonly<Record<string, string>>;
  attachments?: readonly Attachment[];
  /** An HTML version shown by mail clients that can (Django's `attach_alternative(html, "text/html")`). */
  html?: string;
}

function checkHeader(name: string, value: string): void {
  if (/[\r\n]/.test(value)) throw new BadHeaderError(`Header values can't contain newlines (got ${JSON.stringify(value)} for header ${JSON.stringify(name)}).`);
}

/**
 * An email (Django's `EmailMessage` / `EmailMultiAlternatives`): addresses, subject, a
 * text body and optionally an HTML one and attachments. `send()` hands it to the
 * configured backend; `toMime()` gives the RFC 5322 message (built by nodemailer).
 *
 * @example
 * await new EmailMessage({ subject: "Hi", body: "Hello", to: ["a@example.com"] }).send();
 */
export class EmailMessage {
  subject: string;
  body: string;
  fromEmail: string | undefined;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  headers: Record<string, string>;
  attachments: Attachment[];
  html: string | undefined;

  constructor(init: EmailMessageInit = {}) {
    this.subject = init.subject ?? "";
    this.body = init.body ?? "";
    this.fromEmail = init.fromEmail;
    this.to = [...(init.to ?? [])];
    this.cc = [...(init.cc ?? [])];
    this.bcc = [...(init.bcc ?? [])];
    this.replyTo = [...(init.replyTo ?? [])];
    this.headers = { ...init.headers };
    this.attachments = [...(init.attachments ?? [])];
    this.html = init.html;
  }

  /** Everyone the message goes to: to, cc and bcc. */
  recipients(): string[] {
    return [...this.to, ...this.cc, ...this.bcc].filter(Boolean);
  }

  /** Throws BadHeaderError when a header (subject, addresses, extra headers) holds a newline. */
  checkHeaders(): void {
    checkHeader("Subject", this.subject);
    if (this.fromEmail !== undefined) checkHeader("From", this.fromEmail);
    for (const address of [...this.recipients(), ...this.replyTo]) checkHeader("To", address);
    for (const [name, value] of Object.entries(this.headers)) {
      checkHeader(name, name);
      checkHeader(name, value);
    }
  }

  /** Adds an attachment. @example message.attach("report.csv", csv, "text/csv"); */
  attach(filename: string, content: string | Uint8Array, contentType?: string): void {
    this.attachments.push({ filename, content, ...(contentType !== undefined && { contentType }) });
  }

  /** The message as nodemailer's options (for the SMTP transport and the MIME builder). */
  toNodemailer(defaultFrom: string): import("nodemailer").SendMailOptions {
    this.checkHeaders();
    return {
      from: this.fromEmail ?? defaultFrom,
      to: this.to,
      cc: this.cc,
      bcc: this.bcc,
      ...(this.replyTo.length > 0 && { replyTo: this.replyTo }),
      subject: this.subject,
      text: this.body,
      ...(this.html !== undefined && { html: this.html }),
      headers: this.headers,
      attachments: this.attachments.map((a) => ({
        filename: a.filename,
        content: typeof a.content === "string" ? a.content : Buffer.from(a.content),
        ...(a.contentType !== undefined && { contentType: a.contentType }),
      })),
    };
  }

  /** Hands the message to a backend (default: EMAIL_BACKEND); resolves to 1 when sent. @example await message.send(); */
  async send(options: { failSilently?: boolean; connection?: EmailBackend } = {}): Promise<number> {
    const connection = options.connection ?? getConnection();
    try {
      return await connection.sendMessages([this]);
    } catch (error) {
      if (options.failSilently) return 0;
      throw error;
    } finally {
      await connection.close?.();
    }
  }

  /** The RFC 5322 text of the message (what the console and file backends write). */
  async toMime(defaultFrom: string): Promise<string> {
    const options = this.toNodemailer(defaultFrom);
    const node = new MailComposer(options).compile();
    // Keep Bcc out of the written message, as a real transport would.
    node.keepBcc = false;
    const raw = await node.build();
    return raw.toString("utf8");
  }
}

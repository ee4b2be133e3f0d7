import type { EmailMessage } from "../message.js";

/** Where messages go (Django's email backends). `sendMessages` returns how many were sent. */
export interface EmailBackend {
  sendMessages(messages: readonly EmailMessage[]): Promise<number>;
  /** Closes a kept-open connection (SMTP). */
  close?(): Promise<void> | void;
}

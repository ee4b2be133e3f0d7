export { EmailMessage, type Attachment, type EmailMessageInit } from "./message.js";
export { sendMail, sendMassMail, sendMessages, type SendMailOptions } from "./send.js";
export { getConnection, type EmailBackendName } from "./connection.js";
export type { EmailBackend } from "./backends/base.js";
export { ConsoleEmailBackend } from "./backends/console.js";
export { FileEmailBackend } from "./backends/file.js";
export { LocmemEmailBackend, DummyEmailBackend, outbox } from "./backends/locmem.js";
export { SmtpEmailBackend, type SmtpOptions } from "./backends/smtp.js";

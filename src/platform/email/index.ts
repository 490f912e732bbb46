/** The one email outbox (DESIGN.md "Outgoing webhooks and email"): any feature enqueues here. */
export { deliverEmail, enqueueEmail, insertEmail, listAllEmails, listEmailsOf, newEmailRow, sendDueEmails, EMAIL_BACKOFF_MS, EMAIL_LEASE_MS, EMAIL_RETENTION_MS, MAX_EMAIL_ATTEMPTS } from "./outbox";
export type { EmailRow, NewEmail, TransportEnv } from "./outbox";
export { buildMime, emailTransport, parseMailbox, DEFAULT_EMAIL_API_URL, SendFailure } from "./transport";

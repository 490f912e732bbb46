import type { FC } from "hono/jsx";
import type { EmailRow } from "../platform/email";
import { DataTable } from "../ui/table";

const when = (ms: number | null) => (ms === null ? "" : new Date(ms).toISOString().replace("T", " ").slice(0, 19) + " UTC");

const STATUS_TEXT: Record<EmailRow["status"], string> = {
  pending: "Queued",
  sending: "Sending",
  sent: "Sent",
  failed: "Failed",
  held: "Not sent (no email transport configured)",
};

const StatusPill: FC<{ status: EmailRow["status"] }> = ({ status }) => (
  <span class={`pill ${status === "sent" ? "ok" : status === "failed" || status === "held" ? "warn" : ""}`} data-status={status}>
    {STATUS_TEXT[status]}
  </span>
);

/** The account's sent emails with their delivery status (dashboard /dashboard/emails). */
export const EmailsPage: FC<{ emails: EmailRow[] }> = ({ emails }) => (
  <>
    <p class="muted">
      <a href="/dashboard">Dashboard</a> / Emails
    </p>
    <h1>Emails</h1>
    <p class="muted">Messages GellHub sent for you (gallery shares), newest first. Failed sends are retried for about nine hours.</p>
    <DataTable
      label="Sent emails"
      columns={["To", "Subject", "Status", "Attempts", "Last error", "Created"]}
      empty="No emails yet."
      rows={emails.map((e) => (
        <tr data-email-id={e.id}>
          <td>{e.toAddress}</td>
          <td>{e.subject}</td>
          <td>
            <StatusPill status={e.status} />
          </td>
          <td>{e.attempts}</td>
          <td class="muted">{e.lastError ?? ""}</td>
          <td>{when(e.createdAt)}</td>
        </tr>
      ))}
    />
  </>
);

/**
 * The local mailbox (/dev/mailbox, local flag only): every message newest first, its text as
 * text and its HTML in a sandboxed frame (no scripts, no same-origin), plus the HTML source.
 */
export const MailboxPage: FC<{ emails: EmailRow[] }> = ({ emails }) => (
  <>
    <h1>Local mailbox</h1>
    <p class="muted">
      What GellHub would have sent. This page exists only under <code class="inline">npm run dev</code>; nothing here left the machine. As JSON:{" "}
      <a href="/dev/mailbox.json">/dev/mailbox.json</a>.
    </p>
    {emails.length === 0 ? <p class="muted">No messages yet.</p> : null}
    {emails.map((e) => (
      <article class="card" data-email-id={e.id} style="margin:0 0 16px">
        <h2 style="margin-top:0">{e.subject}</h2>
        <p class="muted">
          To <strong>{e.toAddress}</strong> · {when(e.createdAt)} · <StatusPill status={e.status} />
        </p>
        <pre style="white-space:pre-wrap;background:#f6f7fb;padding:12px;border-radius:8px">{e.text}</pre>
        <iframe title={`HTML of ${e.subject}`} sandbox="" srcdoc={e.html} style="width:100%;height:320px;border:1px solid #e4e6ee;border-radius:8px;background:#fff" />
        <details>
          <summary>HTML source</summary>
          <pre style="white-space:pre-wrap">{e.html}</pre>
        </details>
      </article>
    ))}
  </>
);

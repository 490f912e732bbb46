import type { FC } from "hono/jsx";
import type { ConversationStatus } from "../db/schema/messaging";
import { DataTable } from "../ui/table";
import { ErrorAlert } from "../ui/views";
import type { StoredMessage } from "./conversation.do";
import type { toConversation } from "./conversations";
import type { SkillUi } from "./skills-ui";

export const INBOX_PATH = "/dashboard/messaging/inbox";

type Conv = ReturnType<typeof toConversation>;

export interface InboxProps {
  /** The status filter, or null for all (handoff requests first). */
  filter: ConversationStatus | null;
  /** Handoff requests first, then the rest (newest activity first in each). */
  conversations: Conv[];
  transcript: { conversation: Conv; messages: StoredMessage[] } | null;
  error?: string | null;
  /** What was typed in the reply form when it was refused. */
  draft?: { content: string; authorName: string };
  /** The page's CSP nonce, for the refresh island. */
  nonce?: string;
}

/** Seconds between the inbox's own reloads (new visitor messages and handoff requests show up without a click). */
export const INBOX_REFRESH_SECONDS = 15;

/**
 * The refresh island: keeps the transcript scrolled to its latest message, and reloads the page
 * every INBOX_REFRESH_SECONDS unless someone is typing a reply (nothing typed is ever lost).
 */
const REFRESH_JS = `
(() => {
  const log = document.querySelector(".chat"); if (log) log.scrollTop = log.scrollHeight;
  setInterval(() => {
    const t = document.querySelector('form[aria-label="Reply"] textarea'), n = document.querySelector('form[aria-label="Reply"] input[name="authorName"]');
    const busy = t && (t.value.trim() !== "" || document.activeElement === t || document.activeElement === n);
    if (!busy && document.visibilityState === "visible") location.reload();
  }, ${INBOX_REFRESH_SECONDS * 1000});
})();
`;

export const STATUS_LABEL: Record<ConversationStatus, string> = {
  handoff_requested: "Handoff requested",
  human: "With a person",
  open: "Bot",
  closed: "Closed",
};
const FILTERS: (ConversationStatus | null)[] = [null, "handoff_requested", "human", "open", "closed"];
const PILL: Record<ConversationStatus, string> = { handoff_requested: "pill warn", human: "pill ok", open: "pill", closed: "pill" };

const CSS = `
.inbox{display:grid;grid-template-columns:minmax(320px,1fr) minmax(340px,1.3fr);gap:16px;align-items:start}@media(max-width:900px){.inbox{grid-template-columns:1fr}}
.filters{display:flex;gap:8px;flex-wrap:wrap;margin:0 0 12px}.filters a[aria-current=page]{background:var(--brand);color:var(--brand-ink)}
tr.handoff td{background:#fffbeb}tr.selected td{background:#eef2ff}
.chat{border:1px solid var(--line);border-radius:8px;padding:12px;max-height:460px;overflow:auto;background:#fafbff;display:grid;gap:8px;margin:0;list-style:none}
.msg{padding:8px 12px;border-radius:10px;max-width:85%;white-space:pre-wrap;overflow-wrap:anywhere}.msg.user{background:#fff;border:1px solid var(--line)}
.msg.assistant{background:#eef2ff;justify-self:end}.msg.staff{background:#ccfbf1;justify-self:end}.msg small{display:block;color:var(--muted);font-size:12px;margin-bottom:2px}
.actions{display:flex;gap:8px;flex-wrap:wrap;margin-top:12px}.actions form{margin:0}textarea{font:inherit;padding:9px 11px;border:1px solid #cfd3df;border-radius:8px;min-height:80px;width:100%}
`;

const when = (isoTime: string) => isoTime.replace("T", " ").slice(0, 16);
export const hrefOf = (filter: ConversationStatus | null, conversation?: string) => {
  const q = new URLSearchParams();
  if (filter) q.set("status", filter);
  if (conversation) q.set("conversation", conversation);
  const s = q.toString();
  return s ? `${INBOX_PATH}?${s}` : INBOX_PATH;
};

/** A one-line summary of a skill's ui in the transcript (the widget renders the real thing). */
function uiSummary(ui: SkillUi): string {
  switch (ui.type) {
    case "slot_list":
      return `Slots: ${ui.items.map((i) => i.title).join(", ")}`;
    case "product_cards":
      return `Products: ${ui.items.map((i) => i.title + (i.price ? ` (${i.price})` : "")).join(", ")}`;
    case "buttons":
      return `Buttons: ${ui.items.map((i) => i.label).join(", ")}`;
    case "iframe":
      return `Embedded form: ${ui.url}`;
  }
}

const WHO: Record<StoredMessage["role"], string> = { user: "Visitor", assistant: "Bot", staff: "Staff" };

const Transcript: FC<{ t: NonNullable<InboxProps["transcript"]>; filter: ConversationStatus | null; draft?: InboxProps["draft"] }> = ({ t, filter, draft }) => {
  const c = t.conversation;
  const keep = <input type="hidden" name="filter" value={filter ?? ""} />;
  return (
    <section class="card" aria-label="Transcript" data-conversation-id={c.id} data-status={c.status}>
      <h2 style="margin-top:0">{c.conversationRef}</h2>
      <p class="muted">
        <span class={PILL[c.status]} data-testid="conversation-status">
          {STATUS_LABEL[c.status]}
        </span>{" "}
        {c.channel} · {c.messageCount} messages · last activity {when(c.lastActivityAt)} UTC
      </p>
      <ol class="chat" aria-label="Messages">
        {t.messages.map((m) => (
          <li class={`msg ${m.role}`} data-role={m.role}>
            <small>
              {m.role === "staff" && m.authorName ? `${m.authorName} (staff)` : WHO[m.role]} · {when(m.createdAt)}
            </small>
            {m.content}
            {m.ui ? <small data-ui={m.ui.type}>{uiSummary(m.ui)}</small> : null}
          </li>
        ))}
      </ol>
      <form class="stack" method="post" action={`${INBOX_PATH}/${c.id}/reply`} aria-label="Reply" style="margin-top:12px">
        {keep}
        <label>
          Reply <textarea name="content" required maxlength={4000}>{draft?.content ?? ""}</textarea>
        </label>
        <label>
          Your name (shown to the visitor) <input name="authorName" maxlength={80} value={draft?.authorName ?? ""} />
        </label>
        <p class="muted" style="margin:0">Replying takes the conversation over: the bot stays silent until you hand it back.</p>
        <button class="btn" type="submit">
          Send reply
        </button>
      </form>
      <div class="actions">
        {c.status === "human" || c.status === "handoff_requested" ? (
          <form method="post" action={`${INBOX_PATH}/${c.id}/release`}>
            {keep}
            <button class="btn secondary" type="submit">
              Hand back to the bot
            </button>
          </form>
        ) : null}
        {c.status !== "closed" ? (
          <form method="post" action={`${INBOX_PATH}/${c.id}/close`}>
            {keep}
            <button class="btn danger" type="submit">
              Close conversation
            </button>
          </form>
        ) : null}
      </div>
    </section>
  );
};

/** The human inbox: conversations by status (handoff requests first), a transcript, reply, release and close. */
export const InboxPage: FC<InboxProps> = (p) => (
  <>
    <style dangerouslySetInnerHTML={{ __html: CSS }} />
    <p class="muted">
      <a href="/dashboard/messaging">← Messaging</a>
    </p>
    <h1>Inbox</h1>
    <p class="muted">Visitors who ask for a person show up first. Reply to take a conversation over; hand it back to the bot when you are done.</p>
    <ErrorAlert message={p.error} />
    <nav class="filters" aria-label="Filter by status">
      {FILTERS.map((f) => (
        <a class="btn secondary small" href={hrefOf(f)} aria-current={f === p.filter ? "page" : undefined}>
          {f ? STATUS_LABEL[f] : "All"}
        </a>
      ))}
    </nav>
    <div class="inbox">
      <DataTable
        label="Inbox conversations"
        columns={["Status", "Conversation", "Last message"]}
        empty={p.filter ? `No conversations in "${STATUS_LABEL[p.filter]}".` : "No conversations yet."}
        rows={p.conversations.map((c) => (
          <tr
            data-conversation-id={c.id}
            data-status={c.status}
            class={[c.status === "handoff_requested" ? "handoff" : "", p.transcript?.conversation.id === c.id ? "selected" : ""].join(" ").trim() || undefined}
          >
            <td>
              <span class={PILL[c.status]}>{STATUS_LABEL[c.status]}</span>
            </td>
            <td>
              <a href={hrefOf(p.filter, c.id)}>{c.conversationRef}</a>
              <div class="muted">
                {c.channel} · {when(c.lastActivityAt)}
              </div>
            </td>
            <td>{c.lastMessagePreview}</td>
          </tr>
        ))}
      />
      {p.transcript ? (
        <Transcript t={p.transcript} filter={p.filter} draft={p.draft} />
      ) : (
        <section class="card muted" aria-label="Transcript">
          Choose a conversation to read it and reply.
        </section>
      )}
    </div>
    <p class="muted">This page refreshes itself every {INBOX_REFRESH_SECONDS} seconds while you are not typing.</p>
    {p.nonce ? <script nonce={p.nonce} dangerouslySetInnerHTML={{ __html: REFRESH_JS }} /> : null}
  </>
);

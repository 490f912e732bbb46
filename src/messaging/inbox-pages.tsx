import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import type { AppEnv } from "../env";
import { CONVERSATION_STATUSES, type ConversationStatus } from "../db/schema/messaging";
import { renderNotEnabledPage } from "../ui/error";
import { formError, formText, pageId, runFormAction, type FormBody } from "../ui/form";
import { Layout } from "../ui/layout";
import { pageUser } from "../ui/session";
import { accountSummary } from "./account";
import { StaffReplyBody } from "./chat-schemas";
import { listConversations } from "./conversations";
import { conversationTranscript, postStaffReply, setConversationStatus } from "./inbox";
import { hrefOf, INBOX_PATH, InboxPage, type InboxProps } from "./inbox-view";

/**
 * The dashboard inbox (mounted inside the Messaging pages, which add the session and headers).
 * Its form actions call the same service as the inbox API.
 */
export const inboxPageRoutes = new Hono<AppEnv>();

/** How many conversations one inbox view lists (handoff requests are listed on top of these). */
const PAGE_SIZE = 50;

const Filter = z.enum(CONVERSATION_STATUSES).optional().catch(undefined);
const InboxQuery = z.object({ status: Filter, conversation: z.string().max(64).optional() });

type RenderExtra = { error?: string; draft?: InboxProps["draft"]; filter?: ConversationStatus | null; conversation?: string };

async function render(c: Context<AppEnv>, extra: RenderExtra = {}, status: ContentfulStatusCode = 200) {
  const user = pageUser(c);
  const db = c.var.db;
  try {
    await accountSummary(db, user.id);
  } catch {
    return renderNotEnabledPage(c, user, "Messaging");
  }
  const q = InboxQuery.safeParse(c.req.query());
  const filter = extra.filter !== undefined ? extra.filter : q.success ? q.data.status : undefined;
  const conversation = extra.conversation ?? (q.success ? q.data.conversation : undefined);
  let conversations;
  if (filter) {
    conversations = (await listConversations(db, user.id, undefined, PAGE_SIZE, filter)).conversations;
  } else {
    // Handoff requests first, then everything else by latest activity.
    const [waiting, all] = await Promise.all([listConversations(db, user.id, undefined, PAGE_SIZE, "handoff_requested"), listConversations(db, user.id, undefined, PAGE_SIZE)]);
    conversations = [...waiting.conversations, ...all.conversations.filter((cv) => cv.status !== "handoff_requested")];
  }
  let error = extra.error ?? null;
  let transcript: InboxProps["transcript"] = null;
  if (conversation) {
    try {
      const { messages, ...conv } = await conversationTranscript(c.env, db, user.id, conversation);
      transcript = { conversation: conv, messages };
    } catch (err) {
      error ??= formError(err);
      if (status === 200) status = 404;
    }
  }
  return c.html(
    <Layout title="Inbox · Messaging" user={user}>
      <InboxPage filter={filter ?? null} conversations={conversations} transcript={transcript} error={error} draft={extra.draft} nonce={c.get("secureHeadersNonce")} />
    </Layout>,
    status,
  );
}

inboxPageRoutes.get(INBOX_PATH, (c) => render(c));

const filterOf = (form: FormBody): ConversationStatus | null => Filter.parse(formText(form.filter) || undefined) ?? null;

/** A form action on one conversation: success goes back to it (303); failure re-renders the inbox with the message and what was typed. */
const action = (c: Context<AppEnv>, run: (profileId: string, id: string, form: FormBody) => Promise<unknown>) =>
  runFormAction(c, {
    run: async (form) => {
      const id = pageId(c.req.param("id"), "conversation");
      await run(c.var.auth.profileId, id, form);
      return c.redirect(hrefOf(filterOf(form), id), 303);
    },
    onError: ({ message, status }, form) =>
      render(
        c,
        { error: message, draft: { content: formText(form.content), authorName: formText(form.authorName) }, filter: Filter.parse(formText(form.filter) || undefined) ?? null, conversation: c.req.param("id") },
        status,
      ),
  });

inboxPageRoutes.post(`${INBOX_PATH}/:id/reply`, (c) =>
  action(c, (profileId, id, form) =>
    postStaffReply(c.env, c.var.db, profileId, id, StaffReplyBody.parse({ content: formText(form.content), ...(formText(form.authorName).trim() ? { authorName: formText(form.authorName) } : {}) })),
  ),
);
inboxPageRoutes.post(`${INBOX_PATH}/:id/release`, (c) => action(c, (profileId, id) => setConversationStatus(c.env, c.var.db, profileId, id, "open")));
inboxPageRoutes.post(`${INBOX_PATH}/:id/close`, (c) => action(c, (profileId, id) => setConversationStatus(c.env, c.var.db, profileId, id, "closed")));

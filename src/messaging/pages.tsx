import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import type { AppEnv } from "../env";
import { ApiError } from "../platform/errors";
import { renderNotEnabledPage } from "../ui/error";
import { formError, formText, pageId, runFormAction, type FormBody } from "../ui/form";
import { Layout } from "../ui/layout";
import { uploadPageSecurity } from "../ui/security";
import { pageUser, requirePageSession } from "../ui/session";
import { accountSummary, createOrRotateKey } from "./account";
import { createAgent, deleteAgent, getAgent, listAgents, updateAgent } from "./agents";
import { prepareTurn, relaySse, roomOf, startStreamedTurn } from "./chat";
import { getConversation, listConversations, toConversation } from "./conversations";
import { addFileSource, addSource, deleteSource, listSources, toSource } from "./knowledge";
import { getEmbedSettings, updateEmbedSettings } from "./embed";
import { inboxPageRoutes } from "./inbox-pages";
import { integrationPageRoutes } from "./webhooks/pages";
import { ChatBody, CreateAgentBody, CreateSourceBody, UpdateAgentBody } from "./schemas";
import { BASE, MessagingPage, type MessagingPageProps } from "./views";
import { valuesOfEmbed, valuesOfForm, WIDGET_PATH, widgetUpdateOf, type WidgetValues } from "./widget-view";

/** The Messaging dashboard page: server-rendered forms plus the streaming playground island. */
export const messagingPageRoutes = new Hono<AppEnv>();

const security = uploadPageSecurity();
messagingPageRoutes.use(BASE, security, requirePageSession);
messagingPageRoutes.use(`${BASE}/*`, security, requirePageSession);
messagingPageRoutes.route("/", inboxPageRoutes);
messagingPageRoutes.route("/", integrationPageRoutes);

const PageQuery = z.object({ agent: z.string().max(64).optional(), conversation: z.string().max(64).optional() });

type RenderExtra = { error?: string | null; newKey?: string | null; widgetError?: string | null; widgetValues?: WidgetValues };
const baseOf = (c: Context) => new URL(c.req.url).origin;

async function render(c: Context<AppEnv>, extra: RenderExtra = {}, status: ContentfulStatusCode = 200) {
  const user = pageUser(c);
  const db = c.var.db;
  let account;
  try {
    account = await accountSummary(db, user.id);
  } catch {
    return renderNotEnabledPage(c, user, "Messaging");
  }
  const q = PageQuery.safeParse(c.req.query());
  const query = q.success ? q.data : {};
  const [agents, convs, embed] = await Promise.all([
    listAgents(db, user.id),
    listConversations(db, user.id, undefined, 20),
    getEmbedSettings(db, user.id, baseOf(c), Date.now()),
  ]);
  let error = extra.error ?? null;
  let selected: MessagingPageProps["selected"] = null;
  let transcript: MessagingPageProps["transcript"] = null;
  try {
    if (query.agent) {
      const agent = await getAgent(db, user.id, query.agent);
      selected = { agent, sources: (await listSources(db, user.id, agent.id)).map(toSource) };
    }
    if (query.conversation) {
      const conv = await getConversation(db, user.id, query.conversation);
      transcript = { conversation: toConversation(conv), messages: await roomOf(c.env, user.id, conv.ref).history() };
    }
  } catch (err) {
    error ??= formError(err);
    if (status === 200) status = 404;
  }
  return c.html(
    <Layout title="Messaging" user={user}>
      <MessagingPage
        account={account}
        agents={agents}
        selected={selected}
        conversations={convs.conversations}
        transcript={transcript}
        newKey={extra.newKey}
        error={error}
        nonce={c.get("secureHeadersNonce")}
        widget={{ embed, values: extra.widgetValues ?? valuesOfEmbed(embed), error: extra.widgetError }}
      />
    </Layout>,
    status,
  );
}

messagingPageRoutes.get(BASE, (c) => render(c));

/** A form action: success redirects (303) to the path `run` returns; failure re-renders with the message. */
const action = (c: Context<AppEnv>, run: (profileId: string, form: FormBody) => Promise<string>) =>
  runFormAction(c, {
    run: async (form) => c.redirect(await run(c.var.auth.profileId, form), 303),
    onError: ({ message, status }) => render(c, { error: message }, status),
  });

/** Website widget: save the settings form, or rotate the embed id; a refused save keeps what was typed. */
messagingPageRoutes.post(WIDGET_PATH, (c) =>
  runFormAction(c, {
    run: async (form) => {
      await updateEmbedSettings(c.var.db, c.var.auth.profileId, widgetUpdateOf(form), baseOf(c), Date.now());
      return c.redirect(`${BASE}#website-widget`, 303);
    },
    onError: ({ message, status }, form) => render(c, { widgetError: message, widgetValues: valuesOfForm(form) }, status),
  }),
);

messagingPageRoutes.post(`${WIDGET_PATH}/rotate`, (c) =>
  runFormAction(c, {
    run: async () => {
      await updateEmbedSettings(c.var.db, c.var.auth.profileId, { rotateEmbedId: true }, baseOf(c), Date.now());
      return c.redirect(`${BASE}#website-widget`, 303);
    },
    onError: ({ message, status }) => render(c, { widgetError: message }, status),
  }),
);

const agentFields = (form: FormBody) => ({
  name: formText(form.name),
  botDisplayName: formText(form.botDisplayName) || formText(form.name),
  botRoleSummary: formText(form.botRoleSummary),
  systemInstructions: formText(form.systemInstructions),
  humanHandoffEnabled: form.humanHandoffEnabled === "on",
  humanHandoffUrl: formText(form.humanHandoffUrl) || null,
  humanHandoffMessage: formText(form.humanHandoffMessage) || null,
});
const agentParam = (c: Context) => pageId(c.req.param("id"), "agent");
const withAgent = (id: string) => `${BASE}?agent=${encodeURIComponent(id)}`;

messagingPageRoutes.post(`${BASE}/key`, (c) =>
  runFormAction(c, {
    run: async () => {
      const created = await createOrRotateKey(c.var.db, c.var.auth.profileId, Date.now());
      c.header("Cache-Control", "no-store");
      return render(c, { newKey: created.key }, 201);
    },
    onError: ({ message, status }) => render(c, { error: message }, status),
  }),
);

messagingPageRoutes.post(`${BASE}/agents`, (c) =>
  action(c, async (profileId, form) => withAgent((await createAgent(c.var.db, profileId, CreateAgentBody.parse(agentFields(form)), Date.now())).id)),
);

messagingPageRoutes.post(`${BASE}/agents/:id`, (c) =>
  action(c, async (profileId, form) => {
    const id = agentParam(c);
    await updateAgent(c.var.db, profileId, id, UpdateAgentBody.parse(agentFields(form)), Date.now());
    return withAgent(id);
  }),
);

messagingPageRoutes.post(`${BASE}/agents/:id/default`, (c) =>
  action(c, async (profileId) => {
    await updateAgent(c.var.db, profileId, agentParam(c), { isDefault: true }, Date.now());
    return BASE;
  }),
);

messagingPageRoutes.post(`${BASE}/agents/:id/delete`, (c) =>
  action(c, async (profileId) => {
    await deleteAgent(c.var.db, profileId, agentParam(c));
    return BASE;
  }),
);

const sourceBodies = {
  qa: (f: FormBody) => ({ type: "qa", question: formText(f.question), answer: formText(f.answer) }),
  text: (f: FormBody) => ({ type: "text", title: formText(f.title), content: formText(f.content) }),
  url: (f: FormBody) => ({ type: "url", url: formText(f.url) }),
} as const;

for (const kind of ["qa", "text", "url"] as const) {
  messagingPageRoutes.post(`${BASE}/agents/:id/sources/${kind}`, (c) =>
    action(c, async (profileId, form) => {
      const id = agentParam(c);
      await addSource(c.var.db, profileId, id, CreateSourceBody.parse(sourceBodies[kind](form)), Date.now());
      return withAgent(id);
    }),
  );
}

messagingPageRoutes.post(`${BASE}/agents/:id/sources/file`, (c) =>
  action(c, async (profileId, form) => {
    const id = agentParam(c);
    if (!(form.file instanceof File)) throw new ApiError("invalid_request", "Choose a file to upload");
    await addFileSource(c.var.db, profileId, id, form.file, Date.now());
    return withAgent(id);
  }),
);

messagingPageRoutes.post(`${BASE}/agents/:id/sources/:sourceId/delete`, (c) =>
  action(c, async (profileId) => {
    const id = agentParam(c);
    await deleteSource(c.var.db, profileId, id, pageId(c.req.param("sourceId"), "source"), Date.now());
    return withAgent(id);
  }),
);

/**
 * The playground: the same turn as POST /api/messaging/v1/chat (one credit, recorded under the
 * `playground` channel), authenticated by the session, answered as Server-Sent Events. Errors
 * come back as JSON with the API's codes.
 */
messagingPageRoutes.post(`${BASE}/playground`, async (c) => {
  try {
    const body = ChatBody.parse(await c.req.json().catch(() => ({})));
    const input = await prepareTurn(c.var.db, c.env, c.var.auth.profileId, { ...body, channel: "playground" });
    const events = await startStreamedTurn(c.env, input);
    return relaySse(c, events);
  } catch (err) {
    if (err instanceof ApiError) return c.json({ error: err.code, detail: formError(err) }, err.status);
    if (err instanceof z.ZodError) return c.json({ error: "invalid_request", detail: formError(err) }, 400);
    throw err;
  }
});

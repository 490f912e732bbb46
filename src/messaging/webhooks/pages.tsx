import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import type { AppEnv } from "../../env";
import { ApiError } from "../../platform/errors";
import { renderNotEnabledPage } from "../../ui/error";
import { formText, pageId, runFormAction } from "../../ui/form";
import { Layout } from "../../ui/layout";
import { pageUser } from "../../ui/session";
import { accountSummary } from "../account";
import { getHandoffSettings, updateHandoffSettings } from "../handoff-config";
import { callSkill, listSkillCalls, type SkillCallResult } from "../skills";
import { getSkillsSettings, loadSkillsConfig, SkillsUpdate, updateSkillsSettings } from "../skills-config";
import { DeliveryListQuery, listDeliveries, replayDelivery } from "./deliveries";
import { enqueueHandoff } from "./enqueue";
import {
  HANDOFF_PATH,
  HandoffPage,
  secretOfForm,
  SKILLS_PATH,
  SkillsPage,
  skillsOfText,
  skillsValuesOf,
  skillsValuesOfForm,
  type HandoffPageProps,
  type SkillsFormValues,
} from "./views";

/**
 * The Dynamic skills and Human handoff dashboard pages (mounted inside the Messaging pages,
 * which add the session and security headers). Their forms call the same services as the APIs.
 */
export const integrationPageRoutes = new Hono<AppEnv>();

/** How long a page with a delivery in flight waits before reloading itself (the progress view). */
const REFRESH_SECONDS = 3;

async function enabled(c: Context<AppEnv>): Promise<boolean> {
  try {
    await accountSummary(c.var.db, pageUser(c).id);
    return true;
  } catch {
    return false;
  }
}

type SkillsExtra = { error?: string | null; values?: SkillsFormValues; saved?: boolean; test?: { skill: string; message: string; result: SkillCallResult } };

async function renderSkills(c: Context<AppEnv>, extra: SkillsExtra = {}, status: ContentfulStatusCode = 200) {
  const user = pageUser(c);
  if (!(await enabled(c))) return renderNotEnabledPage(c, user, "Messaging");
  const [config, calls] = await Promise.all([getSkillsSettings(c.var.db, user.id), listSkillCalls(c.var.db, user.id, { limit: 50 })]);
  return c.html(
    <Layout title="Dynamic skills" user={user}>
      <SkillsPage config={config} values={extra.values ?? skillsValuesOf(config)} calls={calls} error={extra.error} saved={extra.saved} test={extra.test} />
    </Layout>,
    status,
  );
}

integrationPageRoutes.get(SKILLS_PATH, (c) => renderSkills(c, { saved: c.req.query("saved") === "1" }));

integrationPageRoutes.post(SKILLS_PATH, (c) =>
  runFormAction(c, {
    run: async (form) => {
      const v = skillsValuesOfForm(form);
      const update = SkillsUpdate.parse({
        skillsEnabled: v.enabled,
        skillsWebhookUrl: v.url.trim() || null,
        skills: skillsOfText(v.skills),
        ...(secretOfForm(form, "skillsWebhookSecret") === undefined ? {} : { skillsWebhookSecret: secretOfForm(form, "skillsWebhookSecret") }),
      });
      await updateSkillsSettings(c.env, c.var.db, c.var.auth.profileId, update, Date.now());
      return c.redirect(`${SKILLS_PATH}?saved=1`, 303);
    },
    onError: ({ message, status }, form) => renderSkills(c, { error: message, values: skillsValuesOfForm(form) }, status),
  }),
);

const TestSkill = z.object({ skill: z.string().min(1).max(40), message: z.string().trim().min(1).max(500) });

/** A signed call to the merchant's webhook with a sample message; the answer (or why it failed) is shown and logged. */
integrationPageRoutes.post(`${SKILLS_PATH}/test`, (c) =>
  runFormAction(c, {
    run: async (form) => {
      const input = TestSkill.parse({ skill: formText(form.skill), message: formText(form.message) });
      const profileId = c.var.auth.profileId;
      const config = await loadSkillsConfig(c.var.db, profileId);
      const result = await callSkill(c.env, c.var.db, {
        profileId,
        config,
        skill: input.skill,
        conversationRef: "test:dashboard",
        visitorId: null,
        channel: "test",
        message: input.message,
        messages: [{ role: "user", content: input.message }],
      });
      return renderSkills(c, { test: { ...input, result } });
    },
    onError: ({ message, status }) => renderSkills(c, { error: message }, status),
  }),
);

const PageQuery = DeliveryListQuery.pick({ status: true, cursor: true });

async function renderHandoff(c: Context<AppEnv>, extra: { error?: string | null; notice?: string | null; url?: string } = {}, status: ContentfulStatusCode = 200) {
  const user = pageUser(c);
  if (!(await enabled(c))) return renderNotEnabledPage(c, user, "Messaging");
  const q = PageQuery.safeParse(c.req.query());
  const query = q.success ? q.data : {};
  const [config, list] = await Promise.all([getHandoffSettings(c.var.db, user.id), listDeliveries(c.var.db, user.id, { ...query, limit: 25 })]);
  const now = Date.now();
  const inFlight = list.deliveries.some((d) => d.status === "pending" || (d.status === "retrying" && d.nextAttemptAt !== null && Date.parse(d.nextAttemptAt) - now < 60_000));
  if (inFlight) c.header("Refresh", String(REFRESH_SECONDS));
  const props: HandoffPageProps = {
    config,
    url: extra.url ?? config.handoffWebhookUrl ?? "",
    deliveries: list.deliveries,
    filter: query.status,
    nextCursor: list.nextCursor,
    error: extra.error,
    notice: extra.notice,
  };
  return c.html(
    <Layout title="Human handoff" user={user}>
      <HandoffPage {...props} />
    </Layout>,
    status,
  );
}

const NOTICES: Record<string, string> = { saved: "Saved.", test: "Test event queued: it appears below.", replay: "Delivery queued again." };

integrationPageRoutes.get(HANDOFF_PATH, (c) => renderHandoff(c, { notice: NOTICES[c.req.query("done") ?? ""] ?? null }));

integrationPageRoutes.post(HANDOFF_PATH, (c) =>
  runFormAction(c, {
    run: async (form) => {
      const secret = secretOfForm(form, "handoffWebhookSecret");
      await updateHandoffSettings(
        c.env,
        c.var.db,
        c.var.auth.profileId,
        { handoffWebhookUrl: formText(form.handoffWebhookUrl).trim() || null, ...(secret === undefined ? {} : { handoffWebhookSecret: secret }) },
        Date.now(),
      );
      return c.redirect(`${HANDOFF_PATH}?done=saved`, 303);
    },
    onError: ({ message, status }, form) => renderHandoff(c, { error: message, url: formText(form.handoffWebhookUrl) }, status),
  }),
);

/** A `handoff.requested` with test values (conversationRef `test:dashboard`), through the real queue. */
integrationPageRoutes.post(`${HANDOFF_PATH}/test`, (c) =>
  runFormAction(c, {
    run: async () => {
      const profileId = c.var.auth.profileId;
      const queued = await enqueueHandoff(c.env, c.var.db, {
        profileId,
        conversationRef: "test:dashboard",
        conversationId: "test",
        visitorId: null,
        agentId: "test",
        channel: "test",
        message: "This is a test event from the GellHub dashboard",
        requestedAt: new Date().toISOString(),
      });
      if (!queued) throw new ApiError("webhook_url_required", "Set a handoff webhook URL first");
      return c.redirect(`${HANDOFF_PATH}?done=test`, 303);
    },
    onError: ({ message, status }) => renderHandoff(c, { error: message }, status),
  }),
);

integrationPageRoutes.post(`${HANDOFF_PATH}/deliveries/:id/replay`, (c) =>
  runFormAction(c, {
    run: async () => {
      await replayDelivery(c.env, c.var.db, c.var.auth.profileId, pageId(c.req.param("id"), "delivery"), Date.now());
      return c.redirect(`${HANDOFF_PATH}?done=replay`, 303);
    },
    onError: ({ message, status }) => renderHandoff(c, { error: message }, status),
  }),
);

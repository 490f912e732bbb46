import { createApp } from "./app";
import { getDb } from "./db";
import type { Env } from "./env";
import { pruneRateLimits } from "./platform/rate-limit";
import { sweepExpiredUploads } from "./platform/storage";
import { sendDueEmails } from "./platform/email";
import { purgeExpiredTrash } from "./drive";
import { sweepExpiredTusUploads } from "./uploads/service";
import { handleWebhookQueue, pruneWebhookLogs, topUpFreeCredits } from "./messaging";

export { ConversationRoom } from "./messaging";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: (batch, env) => handleWebhookQueue(batch, env),
  async scheduled(controller, env) {
    await pruneRateLimits(getDb(env.DB), controller.scheduledTime, 24 * 3600_000);
    // tus uploads first: they abort their multipart uploads and release their own reservations.
    await sweepExpiredTusUploads(getDb(env.DB), env.FILES, controller.scheduledTime);
    await sweepExpiredUploads(getDb(env.DB), env.FILES, controller.scheduledTime);
    await purgeExpiredTrash(getDb(env.DB), env.FILES, controller.scheduledTime);
    await topUpFreeCredits(getDb(env.DB), controller.scheduledTime);
    await pruneWebhookLogs(getDb(env.DB), controller.scheduledTime);
    await sendDueEmails(getDb(env.DB), env, controller.scheduledTime);
  },
} satisfies ExportedHandler<Env>;

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
    const db = getDb(env.DB);
    const now = controller.scheduledTime;
    // In order (tus uploads first: they abort their multipart uploads and release their own
    // reservations); one job failing never keeps the others from running.
    const jobs: [string, () => Promise<unknown>][] = [
      ["rate limits", () => pruneRateLimits(db, now, 24 * 3600_000)],
      ["tus uploads", () => sweepExpiredTusUploads(db, env.FILES, now)],
      ["upload intents", () => sweepExpiredUploads(db, env.FILES, now)],
      ["drive trash", () => purgeExpiredTrash(db, env.FILES, now)],
      ["free credits", () => topUpFreeCredits(db, now)],
      ["webhook logs", () => pruneWebhookLogs(db, now)],
      ["email outbox", () => sendDueEmails(db, env, now)],
    ];
    const failed: unknown[] = [];
    for (const [name, job] of jobs) {
      try {
        await job();
      } catch (err) {
        console.error(JSON.stringify({ where: "scheduled", job: name, error: String(err) }));
        failed.push(err);
      }
    }
    if (failed.length) throw new AggregateError(failed, `${failed.length} scheduled job(s) failed`);
  },
} satisfies ExportedHandler<Env>;

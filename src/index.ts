import { createApp } from "./app";
import { getDb } from "./db";
import type { Env } from "./env";
import { pruneRateLimits } from "./platform/rate-limit";
import { sweepExpiredUploads } from "./platform/storage";
import { purgeExpiredTrash } from "./drive";

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, env) {
    await pruneRateLimits(getDb(env.DB), controller.scheduledTime, 24 * 3600_000);
    await sweepExpiredUploads(getDb(env.DB), env.FILES, controller.scheduledTime);
    await purgeExpiredTrash(getDb(env.DB), env.FILES, controller.scheduledTime);
  },
} satisfies ExportedHandler<Env>;

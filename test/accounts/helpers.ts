import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { getDb } from "../../src/db";
import type { AppEnv } from "../../src/env";
import { requireApiKey, requireSession } from "../../src/platform/auth";
import { ApiError } from "../../src/platform/errors";

/** A probe app with the real middleware and DB: one route per product line, one session route. */
export function probe() {
  const app = new Hono<AppEnv>();
  app.use("*", async (c, next) => {
    c.set("db", getDb(env.DB));
    await next();
  });
  app.get("/drive", requireApiKey("drive"), (c) => c.json(c.var.auth));
  app.get("/gallery", requireApiKey("gallery"), (c) => c.json(c.var.auth));
  app.get("/session", requireSession(), (c) => c.json(c.var.auth));
  app.onError((err, c) => (err instanceof ApiError ? c.json({ error: err.code }, err.status) : c.json({ error: "internal" }, 500)));
  return (path: string, headers: Record<string, string>) => app.request(path, { headers }, env);
}


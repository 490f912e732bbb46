import { Hono, type Context } from "hono";
import { appAnalytics, createApp, deleteOwnApp, getOwnApp, listOwnApps, rotateAppSecret, toPublicApp, updateOwnApp } from "../connect/apps";
import { ProductTypeSchema } from "../connect/schemas";
import type { AppEnv } from "../env";
import { Layout } from "../pages/layout";
import { pageSecurity } from "../pages/security";
import { formError, pageUser, requirePageSession } from "../pages/session";
import { ApiError } from "../platform/errors";
import { CreateAppBody } from "./schemas";
import { AppDetail, ConsoleHome } from "./views";

/** Developer Console pages (server-rendered forms; same-origin only via the app middleware). */
export const consolePages = new Hono<AppEnv>();

consolePages.use("/dashboard/console", pageSecurity);
consolePages.use("/dashboard/console/*", pageSecurity);

consolePages.use("/dashboard/console", requirePageSession);
consolePages.use("/dashboard/console/*", requirePageSession);

const lines = (v: unknown) =>
  String(v ?? "")
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);

async function home(c: Context<AppEnv>, extra: { error?: string; values?: { name?: string; redirectUris?: string } } = {}, status = 200) {
  const apps = await listOwnApps(c.var.db, c.var.auth.profileId);
  return c.html(
    <Layout title="Developer Console" user={pageUser(c)}>
      <ConsoleHome apps={apps} {...extra} />
    </Layout>,
    status as 200,
  );
}

async function detail(c: Context<AppEnv>, appId: string, extra: { secret?: string; error?: string } = {}, status = 200) {
  const app = await getOwnApp(c.var.db, c.var.auth.profileId, appId);
  const analytics = await appAnalytics(c.var.db, app.id, 30, Date.now());
  return c.html(
    <Layout title={app.name} user={pageUser(c)}>
      <AppDetail app={toPublicApp(app)} analytics={analytics} {...extra} />
    </Layout>,
    status as 200,
  );
}

consolePages.get("/dashboard/console", (c) => home(c));

consolePages.post("/dashboard/console/apps", async (c) => {
  const form = await c.req.parseBody();
  const values = { name: String(form.name ?? "").slice(0, 100), redirectUris: String(form.redirectUris ?? "").slice(0, 20000) };
  try {
    const input = CreateAppBody.parse({
      name: form.name,
      allowedProductTypes: [ProductTypeSchema.parse(form.productType)],
      redirectUris: lines(form.redirectUris),
    });
    const app = await createApp(c.var.db, c.var.auth.profileId, input, Date.now());
    return detail(c, app.id, { secret: app.clientSecret }, 201);
  } catch (err) {
    return home(c, { error: formError(err), values }, 400);
  }
});

consolePages.get("/dashboard/console/:id", (c) => detail(c, c.req.param("id")));

consolePages.post("/dashboard/console/:id/rotate", async (c) => {
  const app = await rotateAppSecret(c.var.db, c.var.auth.profileId, c.req.param("id"), Date.now());
  return detail(c, app.id, { secret: app.clientSecret });
});

consolePages.post("/dashboard/console/:id/redirects", async (c) => {
  const id = c.req.param("id");
  const form = await c.req.parseBody();
  try {
    const uris = CreateAppBody.shape.redirectUris.parse(lines(form.redirectUris));
    await updateOwnApp(c.var.db, c.var.auth.profileId, id, { redirectUris: uris }, Date.now());
    return c.redirect(`/dashboard/console/${encodeURIComponent(id)}`, 303);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) throw err;
    return detail(c, id, { error: formError(err) }, 400);
  }
});

consolePages.post("/dashboard/console/:id/delete", async (c) => {
  await deleteOwnApp(c.var.db, c.var.auth.profileId, c.req.param("id"), Date.now());
  return c.redirect("/dashboard/console", 303);
});

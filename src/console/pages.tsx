import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { appAnalytics, createApp, deleteOwnApp, getOwnApp, listOwnApps, rotateAppSecret, toPublicApp, updateOwnApp } from "../connect/apps";
import { ProductTypeSchema } from "../connect/schemas";
import type { AppEnv } from "../env";
import { formText, pageId, runFormAction } from "../ui/form";
import { Layout } from "../ui/layout";
import { pageSecurity } from "../ui/security";
import { pageUser, requirePageSession } from "../ui/session";
import { CreateAppBody } from "./schemas";
import { AppDetail, ConsoleHome } from "./views";

/** Developer Console pages (server-rendered forms; same-origin only via the app middleware). */
export const consolePages = new Hono<AppEnv>();

consolePages.use("/dashboard/console", pageSecurity);
consolePages.use("/dashboard/console/*", pageSecurity);

consolePages.use("/dashboard/console", requirePageSession);
consolePages.use("/dashboard/console/*", requirePageSession);

const lines = (v: unknown) =>
  formText(v)
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);

async function home(c: Context<AppEnv>, extra: { error?: string; values?: { name?: string; redirectUris?: string } } = {}, status: ContentfulStatusCode = 200) {
  const apps = await listOwnApps(c.var.db, c.var.auth.profileId);
  return c.html(
    <Layout title="Developer Console" user={pageUser(c)}>
      <ConsoleHome apps={apps} {...extra} />
    </Layout>,
    status,
  );
}

async function detail(c: Context<AppEnv>, appId: string, extra: { secret?: string; error?: string } = {}, status: ContentfulStatusCode = 200) {
  const app = await getOwnApp(c.var.db, c.var.auth.profileId, appId);
  const analytics = await appAnalytics(c.var.db, app.id, 30, Date.now());
  return c.html(
    <Layout title={app.name} user={pageUser(c)}>
      <AppDetail app={toPublicApp(app)} analytics={analytics} {...extra} />
    </Layout>,
    status,
  );
}

consolePages.get("/dashboard/console", (c) => home(c));

consolePages.post("/dashboard/console/apps", (c) =>
  runFormAction(c, {
    run: async (form) => {
      const input = CreateAppBody.parse({
        name: form.name,
        allowedProductTypes: [ProductTypeSchema.parse(form.productType)],
        redirectUris: lines(form.redirectUris),
      });
      const app = await createApp(c.var.db, c.var.auth.profileId, input, Date.now());
      return detail(c, app.id, { secret: app.clientSecret }, 201);
    },
    onError: ({ message }, form) =>
      home(c, { error: message, values: { name: formText(form.name).slice(0, 100), redirectUris: formText(form.redirectUris).slice(0, 20000) } }, 400),
  }),
);

/** The app id of a console URL; one that cannot exist is the same 404 as an unknown app. */
const appId = (c: Context<AppEnv>) => pageId(c.req.param("id"), "app");

consolePages.get("/dashboard/console/:id", (c) => detail(c, appId(c)));

consolePages.post("/dashboard/console/:id/rotate", async (c) => {
  const app = await rotateAppSecret(c.var.db, c.var.auth.profileId, appId(c), Date.now());
  return detail(c, app.id, { secret: app.clientSecret });
});

consolePages.post("/dashboard/console/:id/redirects", async (c) => {
  const id = appId(c);
  return runFormAction(c, {
    run: async (form) => {
      const uris = CreateAppBody.shape.redirectUris.parse(lines(form.redirectUris));
      await updateOwnApp(c.var.db, c.var.auth.profileId, id, { redirectUris: uris }, Date.now());
      return c.redirect(`/dashboard/console/${encodeURIComponent(id)}`, 303);
    },
    onError: ({ status, message, error }) => {
      if (status === 404) throw error;
      return detail(c, id, { error: message }, 400);
    },
  });
});

consolePages.post("/dashboard/console/:id/delete", async (c) => {
  await deleteOwnApp(c.var.db, c.var.auth.profileId, appId(c), Date.now());
  return c.redirect("/dashboard/console", 303);
});

import { Hono, type Context } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { z } from "zod";
import { RegisterBody, LoginBody, ProductLineSchema } from "../accounts/schemas";
import {
  authenticate,
  createApiKey,
  enableProductLine,
  getAccountOverview,
  listApiKeys,
  registerAccount,
  revokeApiKey,
  rotateApiKey,
} from "../accounts/service";
import type { AppEnv } from "../env";
import { listPublishedPlans, toPublicPlan } from "../plans/service";
import {
  clearSessionCookie,
  createSession,
  currentProfile,
  destroySession,
  readSessionCookie,
  setSessionCookie,
} from "../platform/auth";
import { ApiError } from "../platform/errors";
import { Dashboard, type DashboardProps } from "./dashboard";
import { Layout } from "./layout";
import { formError, requirePageSession } from "./session";
import { Landing, LoginForm, RegisterForm } from "./views";
import { connectRedirectFor } from "../connect/flow";
import { connectPageInfo, ContinueAs } from "../connect/views";

export const pageRoutes = new Hono<AppEnv>();

pageRoutes.use(
  "*",
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", "'unsafe-inline'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", "data:", "blob:"],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
    },
    referrerPolicy: "same-origin",
  }),
);

/** Only same-site relative paths are followed after login (no open redirects). */
function safeNext(next: unknown): string {
  return typeof next === "string" && /^\/(?![/\\])/.test(next) ? next : "/dashboard";
}

async function publicPlans(c: Context<AppEnv>) {
  return (await listPublishedPlans(c.var.db)).map(toPublicPlan);
}

pageRoutes.get("/", async (c) => {
  const [user, plans] = await Promise.all([currentProfile(c), publicPlans(c)]);
  return c.html(
    <Layout title="Galleries, Drive and AI chat" user={user}>
      <Landing plans={plans} />
    </Layout>,
  );
});

pageRoutes.get("/login", async (c) => {
  const user = await currentProfile(c);
  const connect = await connectPageInfo(c);
  if (user && connect.connectApp) {
    return c.html(
      <Layout title="Connect" user={user}>
        <ContinueAs appName={connect.connectApp} email={user.email} />
      </Layout>,
    );
  }
  if (user) return c.redirect(safeNext(c.req.query("next")), 303);
  return c.html(
    <Layout title="Log in">
      <LoginForm next={c.req.query("next")} connectApp={connect.connectApp} googleUrl={connect.googleUrl} />
    </Layout>,
  );
});

pageRoutes.post("/login", async (c) => {
  const form = await c.req.parseBody();
  try {
    const { email, password } = LoginBody.parse({ email: form.email, password: form.password });
    const now = Date.now();
    const profile = await authenticate(c.var.db, email, password, c.req.header("cf-connecting-ip") ?? "local", now, c.env.PASSWORD_PEPPER);
    const previous = readSessionCookie(c);
    if (previous) await destroySession(c.var.db, previous);
    setSessionCookie(c, await createSession(c.var.db, profile.id, now));
    const connectTo = await connectRedirectFor(c, profile.id, "login");
    return c.redirect(connectTo ?? safeNext(form.next), 303);
  } catch (err) {
    const status = err instanceof ApiError ? err.status : 400;
    return c.html(
      <Layout title="Log in">
        <LoginForm error={formError(err)} email={typeof form.email === "string" ? form.email : ""} next={typeof form.next === "string" ? form.next : undefined} {...await connectPageInfo(c)} />
      </Layout>,
      status as 400,
    );
  }
});

pageRoutes.get("/register", async (c) => {
  const plans = await publicPlans(c);
  const connect = await connectPageInfo(c);
  const planId = c.req.query("plan") ?? connect.planId;
  const chosen = plans.find((p) => p.id === planId);
  const accountType = connect.lockedType ?? (chosen ? { clientGallery: "studio", drive: "drive", messaging: "messaging" }[chosen.planType] : undefined);
  const user = connect.connectApp ? await currentProfile(c) : null;
  if (user && connect.connectApp) {
    return c.html(
      <Layout title="Connect" user={user}>
        <ContinueAs appName={connect.connectApp} email={user.email} />
      </Layout>,
    );
  }
  return c.html(
    <Layout title="Create account" user={await currentProfile(c)}>
      <RegisterForm plans={plans} values={{ planId: chosen?.id, accountType }} {...connect} />
    </Layout>,
  );
});

pageRoutes.post("/register", async (c) => {
  const form = await c.req.parseBody();
  const values = {
    email: String(form.email ?? ""),
    displayName: String(form.displayName ?? ""),
    accountType: String(form.accountType ?? ""),
    planId: String(form.planId ?? ""),
  };
  try {
    const input = RegisterBody.parse({
      email: values.email,
      password: form.password,
      displayName: values.displayName,
      accountType: values.accountType,
      planId: values.planId || undefined,
    });
    const result = await registerAccount(c.var.db, input, Date.now(), c.env.PASSWORD_PEPPER);
    setSessionCookie(c, result.sessionRaw);
    const connectTo = await connectRedirectFor(c, result.profileId, "register");
    if (connectTo) return c.redirect(connectTo, 303);
    return renderDashboard(c, result.profileId, { newKey: { productLine: result.line, key: result.rawKey, label: "Default" } }, 201);
  } catch (err) {
    const status = err instanceof ApiError ? err.status : 400;
    return c.html(
      <Layout title="Create account">
        <RegisterForm plans={await publicPlans(c)} error={formError(err)} values={values} {...await connectPageInfo(c)} />
      </Layout>,
      status as 400,
    );
  }
});

pageRoutes.post("/logout", async (c) => {
  const raw = readSessionCookie(c);
  if (raw) await destroySession(c.var.db, raw);
  clearSessionCookie(c);
  return c.redirect("/", 303);
});

async function renderDashboard(c: Context<AppEnv>, profileId: string, extra: Partial<DashboardProps> = {}, status = 200) {
  const [overview, keys] = await Promise.all([getAccountOverview(c.var.db, profileId), listApiKeys(c.var.db, profileId)]);
  return c.html(
    <Layout title="Dashboard" user={overview.profile}>
      <Dashboard overview={overview} keys={keys} {...extra} />
    </Layout>,
    status as 200,
  );
}

pageRoutes.use("/dashboard/*", requirePageSession);
pageRoutes.use("/dashboard", requirePageSession);

pageRoutes.get("/dashboard", (c) => renderDashboard(c, c.var.auth.profileId));

/** Runs a dashboard action; its ApiError shows on the dashboard instead of an error page. */
async function dashboardAction(c: Context<AppEnv>, action: () => Promise<Partial<DashboardProps> | "redirect">) {
  try {
    const result = await action();
    if (result === "redirect") return c.redirect("/dashboard", 303);
    return renderDashboard(c, c.var.auth.profileId, result);
  } catch (err) {
    const status = err instanceof ApiError ? err.status : 400;
    return renderDashboard(c, c.var.auth.profileId, { error: formError(err) }, status);
  }
}

pageRoutes.post("/dashboard/keys", (c) =>
  dashboardAction(c, async () => {
    const form = await c.req.parseBody();
    const productLine = ProductLineSchema.parse(form.productLine);
    const label = z.string().trim().max(60).parse(form.label ?? "") || "Dashboard";
    const key = await createApiKey(c.var.db, c.var.auth.profileId, productLine, label, Date.now());
    return { newKey: { productLine, key: key.key, label } };
  }),
);

pageRoutes.post("/dashboard/keys/:id/rotate", (c) =>
  dashboardAction(c, async () => {
    const key = await rotateApiKey(c.var.db, c.var.auth.profileId, c.req.param("id"), Date.now());
    return { newKey: { productLine: key.productLine, key: key.key, label: key.label } };
  }),
);

pageRoutes.post("/dashboard/keys/:id/revoke", (c) =>
  dashboardAction(c, async () => {
    await revokeApiKey(c.var.db, c.var.auth.profileId, c.req.param("id"), Date.now());
    return "redirect";
  }),
);

pageRoutes.post("/dashboard/product-lines", (c) =>
  dashboardAction(c, async () => {
    const form = await c.req.parseBody();
    const productLine = ProductLineSchema.parse(form.productLine);
    const res = await enableProductLine(c.var.db, c.var.auth.profileId, productLine, Date.now());
    return { newKey: { productLine, key: res.rawKey, label: "Default" } };
  }),
);

pageRoutes.get("/docs", (c) =>
  c.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>API reference · GellHub</title></head>` +
      `<body><script id="api-reference" data-url="/api/openapi.json" data-configuration='{"withDefaultFonts":false,"hideClientButton":true,"telemetry":false}'></script><script src="/assets/scalar/standalone.js"></script></body></html>`,
  ),
);

import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { secureHeaders } from "hono/secure-headers";
import { z } from "zod";
import { ACCOUNT_TYPE_OF_PLAN_TYPE, KeyLabel, LoginBody, ProductLineSchema, RegisterBody } from "../accounts/schemas";
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
import { currentProfile } from "../platform/auth";
import { Dashboard, type DashboardProps } from "./dashboard";
import { formText, pageId, runFormAction, type FormBody } from "../ui/form";
import { Layout } from "../ui/layout";
import { requirePageSession } from "../ui/session";
import { completeSignIn, signOut } from "./complete";
import { connectPageInfo, ContinueAs, Landing, LoginForm, RegisterForm } from "./views";

export const signinPages = new Hono<AppEnv>();

signinPages.use(
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

signinPages.get("/", async (c) => {
  const [user, plans] = await Promise.all([currentProfile(c), publicPlans(c)]);
  return c.html(
    <Layout title="Galleries, Drive and AI chat" user={user}>
      <Landing plans={plans} />
    </Layout>,
  );
});

signinPages.get("/login", async (c) => {
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

signinPages.post("/login", (c) =>
  runFormAction(c, {
    run: async (form) => {
      const { email, password } = LoginBody.parse({ email: form.email, password: form.password });
      const profile = await authenticate(c.var.db, email, password, c.req.header("cf-connecting-ip") ?? "local", Date.now(), c.env.PASSWORD_PEPPER);
      const connectTo = await completeSignIn(c, profile.id, "login");
      return c.redirect(connectTo ?? safeNext(form.next), 303);
    },
    onError: async ({ message, status }, form) =>
      c.html(
        <Layout title="Log in">
          <LoginForm error={message} email={formText(form.email)} next={typeof form.next === "string" ? form.next : undefined} {...await connectPageInfo(c)} />
        </Layout>,
        status,
      ),
  }),
);

signinPages.get("/register", async (c) => {
  const plans = await publicPlans(c);
  const connect = await connectPageInfo(c);
  const planId = c.req.query("plan") ?? connect.planId;
  const chosen = plans.find((p) => p.id === planId);
  const accountType = connect.lockedType ?? (chosen ? ACCOUNT_TYPE_OF_PLAN_TYPE[chosen.planType] : undefined);
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

/** The register form's fields as text, echoed back into the form when it fails. */
const registerValues = (form: FormBody) => ({
  email: formText(form.email),
  displayName: formText(form.displayName),
  accountType: formText(form.accountType),
  planId: formText(form.planId),
});

signinPages.post("/register", (c) =>
  runFormAction(c, {
    run: async (form) => {
      const values = registerValues(form);
      const input = RegisterBody.parse({ ...values, password: form.password, planId: values.planId || undefined });
      const result = await registerAccount(c.var.db, input, Date.now(), c.env.PASSWORD_PEPPER);
      const connectTo = await completeSignIn(c, result.profileId, "register", result.sessionRaw);
      if (connectTo) return c.redirect(connectTo, 303);
      return renderDashboard(c, result.profileId, { newKey: { productLine: result.line, key: result.rawKey, label: "Default" } }, 201);
    },
    onError: async ({ message, status }, form) =>
      c.html(
        <Layout title="Create account">
          <RegisterForm plans={await publicPlans(c)} error={message} values={registerValues(form)} {...await connectPageInfo(c)} />
        </Layout>,
        status,
      ),
  }),
);

signinPages.post("/logout", async (c) => {
  await signOut(c);
  return c.redirect("/", 303);
});

async function renderDashboard(c: Context<AppEnv>, profileId: string, extra: Partial<DashboardProps> = {}, status: ContentfulStatusCode = 200) {
  const [overview, keys] = await Promise.all([getAccountOverview(c.var.db, profileId), listApiKeys(c.var.db, profileId)]);
  return c.html(
    <Layout title="Dashboard" user={overview.profile}>
      <Dashboard overview={overview} keys={keys} {...extra} />
    </Layout>,
    status,
  );
}

signinPages.use("/dashboard/*", requirePageSession);
signinPages.use("/dashboard", requirePageSession);

signinPages.get("/dashboard", (c) => renderDashboard(c, c.var.auth.profileId));

/** Runs a dashboard action; its ApiError shows on the dashboard instead of an error page. */
const dashboardAction = (c: Context<AppEnv>, action: (form: FormBody) => Promise<Partial<DashboardProps> | "redirect">) =>
  runFormAction(c, {
    run: async (form) => {
      const result = await action(form);
      if (result === "redirect") return c.redirect("/dashboard", 303);
      return renderDashboard(c, c.var.auth.profileId, result);
    },
    onError: ({ message, status }) => renderDashboard(c, c.var.auth.profileId, { error: message }, status),
  });

signinPages.post("/dashboard/keys", (c) =>
  dashboardAction(c, async (form) => {
    const productLine = ProductLineSchema.parse(form.productLine);
    const label = KeyLabel.optional().parse(formText(form.label).trim() || undefined) ?? "Dashboard";
    const key = await createApiKey(c.var.db, c.var.auth.profileId, productLine, label, Date.now());
    return { newKey: { productLine, key: key.key, label } };
  }),
);

signinPages.post("/dashboard/keys/:id/rotate", (c) =>
  dashboardAction(c, async () => {
    const key = await rotateApiKey(c.var.db, c.var.auth.profileId, pageId(c.req.param("id"), "API key"), Date.now());
    return { newKey: { productLine: key.productLine, key: key.key, label: key.label } };
  }),
);

signinPages.post("/dashboard/keys/:id/revoke", (c) =>
  dashboardAction(c, async () => {
    await revokeApiKey(c.var.db, c.var.auth.profileId, pageId(c.req.param("id"), "API key"), Date.now());
    return "redirect";
  }),
);

signinPages.post("/dashboard/product-lines", (c) =>
  dashboardAction(c, async (form) => {
    const productLine = ProductLineSchema.parse(form.productLine);
    const res = await enableProductLine(c.var.db, c.var.auth.profileId, productLine, Date.now());
    return { newKey: { productLine, key: res.rawKey, label: "Default" } };
  }),
);

/**
 * Scalar as a self-hosted, offline reference: none of its hosted-service controls (Ask AI, the
 * developer toolbar with Share, Deploy and Configure, the API client button), no telemetry and
 * no fonts from a CDN, so the page makes no request outside our origin.
 */
const SCALAR_CONFIGURATION = {
  withDefaultFonts: false,
  hideClientButton: true,
  telemetry: false,
  showDeveloperTools: "never",
  agent: { disabled: true },
  favicon: "/favicon.svg",
};

signinPages.get("/docs", (c) =>
  c.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>API reference · GellHub</title>` +
      `<link rel="icon" href="/favicon.svg" type="image/svg+xml"></head>` +
      `<body><script id="api-reference" data-url="/api/openapi.json" data-configuration='${JSON.stringify(SCALAR_CONFIGURATION)}'></script><script src="/assets/scalar/standalone.js"></script></body></html>`,
  ),
);

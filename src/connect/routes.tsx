import { createRoute, z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { renderErrorPage } from "../ui/error";
import { Layout } from "../ui/layout";
import { getPlan } from "../plans/service";
import { currentProfile, requireSession } from "../platform/auth";
import { ApiError } from "../platform/errors";
import { createRouter, errorResponses } from "../platform/openapi";
import { enforceRateLimits } from "../platform/rate-limit";
import { assertActive, findAppByClientId, recordEvent } from "./apps";
import { activeConnect, clearFlow, confirmPaid, connectRedirectFor, readFlow, writeFlow } from "./flow";
import { CheckoutCancelled } from "./views";
import { ExchangeBody, ExchangeResponse, StartQuery, VerifyBody, VerifyResponse } from "./schemas";
import { authenticatePartner, exchangeCode, finalizeConnect, verifyLink } from "./service";

export const connectRoutes = createRouter();

// Before authentication only a generous per-IP bound applies (slows credential guessing);
// the per-app limits count authenticated calls (see authenticatePartner).
const UNAUTHENTICATED_LIMIT_PER_IP_MINUTE = 600;
const ipLimit = (c: Context<AppEnv>, bucket: string, now: number) =>
  enforceRateLimits(
    c.var.db,
    [{ bucket: `connect:${bucket}:ip:${c.req.header("cf-connecting-ip") ?? "local"}`, limit: UNAUTHENTICATED_LIMIT_PER_IP_MINUTE, windowMs: 60_000 }],
    now,
  );

/** Connect responses: never framed, never cached, never leak the URL (codes, state) as Referer. */
const connectHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.header("Cache-Control", "no-store");
  c.header("Pragma", "no-cache");
  c.header("Referrer-Policy", "no-referrer");
  c.header("Content-Security-Policy", "frame-ancestors 'none'");
  c.header("X-Frame-Options", "DENY");
};
connectRoutes.use("/api/integrations/connect/*", connectHeaders);
connectRoutes.use("/integrations/connect/*", connectHeaders);

const json = <T extends z.ZodType>(schema: T, description = "OK") => ({ description, content: { "application/json": { schema } } });
const jsonBody = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { "application/json": { schema } } } });
const redirect = (description: string) => ({ description, headers: { Location: { schema: { type: "string" as const } } } });
const htmlError = { description: "Error page (HTML); never a redirect", content: { "text/html": { schema: z.string() } } };

const startError = (c: Context<AppEnv>, status: number, message: string) => renderErrorPage(c, status, "Cannot connect", message);

connectRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/integrations/connect/start",
    tags: ["Embedded connect"],
    summary: "Start embedded connect (browser redirect)",
    description:
      "Looks up the app, requires return_url to equal a registered redirect URI byte for byte, checks that the product line " +
      "(product= or inferred from plan=) is the app's, stores the flow in a signed httpOnly cookie and redirects to /register " +
      "or /login (next=). Any failure is an HTML error page, never a redirect.",
    request: { query: StartQuery },
    responses: { 302: redirect("To /register or /login"), 400: htmlError, 403: htmlError },
  }),
  async (c) => {
    const q = c.req.valid("query");
    const db = c.var.db;
    const app = await findAppByClientId(db, q.client_id);
    if (!app) return startError(c, 400, "Unknown client_id: no app is registered with this id.");
    if (!app.redirectUris.includes(q.return_url)) {
      return startError(c, 400, "return_url is not one of the redirect URIs registered for this app.");
    }
    if (app.status !== "active") return startError(c, 403, "This app has been suspended (app_suspended).");
    if (q.product && q.product !== app.productType) return startError(c, 400, `This app may not onboard users to ${q.product}.`);
    if (q.plan) {
      const plan = await getPlan(db, q.plan);
      if (!plan || !plan.published) return startError(c, 400, "Unknown plan.");
      if (plan.planType !== app.productType) return startError(c, 400, "This plan belongs to a product line the app may not use.");
    }
    await writeFlow(c, {
      clientId: app.clientId,
      returnUrl: q.return_url,
      state: q.state,
      planId: q.plan,
      product: app.productType,
      codeChallenge: q.code_challenge,
      next: q.next ?? "register",
    });
    await recordEvent(db, app.id, "start", Date.now());
    return c.redirect(q.next === "login" ? "/login" : "/register", 302);
  },
  (result, c) => {
    if (!result.success) return startError(c, 400, "Missing or invalid parameters: client_id and return_url are required.");
  },
);

connectRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/integrations/connect/context",
    tags: ["Embedded connect"],
    summary: "Whether connect cookies are active in this browser (no secrets)",
    responses: { 200: json(z.object({ active: z.boolean() })) },
  }),
  async (c) => c.json({ active: (await activeConnect(c)) !== null }, 200),
);

connectRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/integrations/connect/finalize",
    tags: ["Embedded connect"],
    summary: "Finish connect for the signed-in user",
    description:
      "Returns { redirectUrl }: the app's return_url with a one-time code and the untouched state, and clears the connect cookies. " +
      "When the flow's paid plan is not paid yet, redirectUrl is the Stripe Checkout page instead (it comes back via stripe-return).",
    middleware: [requireSession()] as const,
    security: [{ Session: [] }],
    responses: { 200: json(z.object({ redirectUrl: z.string() })), ...errorResponses(400, 401, 403) },
  }),
  async (c) => {
    const active = await activeConnect(c);
    if (active && active.app.status !== "active") {
      clearFlow(c);
      assertActive(active.app);
    }
    const url = await connectRedirectFor(c, c.var.auth.profileId, null);
    if (!url) throw new ApiError("connect_not_active", "No embedded connect flow is active in this browser");
    return c.json({ redirectUrl: url }, 200);
  },
);

connectRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/integrations/connect/exchange",
    tags: ["Embedded connect"],
    summary: "Redeem a connect code (partner backend only)",
    description:
      "Codes are single use, bound to the app and valid 10 minutes. Wrong client or secret: 401 (the code stays redeemable). " +
      "Reused, expired or another app's code: 400; a reused code revokes the keys its first exchange issued. Rate-limited per client.",
    request: jsonBody(ExchangeBody),
    responses: { 200: json(ExchangeResponse), ...errorResponses(400, 401, 403, 429) },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const now = Date.now();
    await ipLimit(c, "exchange", now);
    const app = await authenticatePartner(c.var.db, body.client_id, body.client_secret, "exchange", now);
    return c.json(await exchangeCode(c.var.db, app, body, now), 200);
  },
);

connectRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/integrations/connect/verify",
    tags: ["Partner verification"],
    summary: "Is this profile still registered and linked to my app?",
    description: "404 `not_linked` when the profile never completed connect with your app. Rate-limited per client.",
    request: jsonBody(VerifyBody),
    responses: { 200: json(VerifyResponse), ...errorResponses(400, 401, 403, 404, 429) },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const now = Date.now();
    await ipLimit(c, "verify", now);
    const app = await authenticatePartner(c.var.db, body.client_id, body.client_secret, "verify", now);
    return c.json(await verifyLink(c.var.db, app, body, now), 200);
  },
);

connectRoutes.openapi(
  createRoute({
    method: "get",
    path: "/integrations/connect/stripe-return",
    tags: ["Embedded connect"],
    summary: "Stripe Checkout success during connect: verifies the session, then redirects to the partner with a code",
    request: { query: z.object({ session_id: z.string().min(1).max(300) }) },
    responses: { 303: redirect("To the partner's return_url with code and state"), 400: htmlError, 402: htmlError },
  }),
  async (c) => {
    const user = await currentProfile(c);
    if (!user) return c.redirect(`/login?next=${encodeURIComponent(c.req.path + "?session_id=" + c.req.valid("query").session_id)}`, 303);
    const active = await activeConnect(c);
    if (!active) return renderErrorPage(c, 400, "Nothing to continue", "No embedded connect flow is active in this browser.");
    const paid = await confirmPaid(c, c.req.valid("query").session_id, user.id);
    if (!paid) {
      return renderErrorPage(c, 402, "Payment not completed", "Stripe has not confirmed this payment yet. Try again in a moment.");
    }
    const url = await finalizeConnect(c.var.db, active.app, user.id, active.flow, Date.now());
    clearFlow(c);
    return c.redirect(url, 303);
  },
  (result, c) => {
    if (!result.success) return renderErrorPage(c, 400, "Nothing to continue", "session_id is missing.");
  },
);

/** Browser form: "Continue as …" (already signed in) or "Try again" after a cancelled checkout. */
connectRoutes.post("/integrations/connect/continue", async (c) => {
  const user = await currentProfile(c);
  if (!user) return c.redirect("/login", 303);
  c.set("auth", { profileId: user.id, via: "session" });
  const url = await connectRedirectFor(c, user.id, "login");
  return c.redirect(url ?? "/dashboard", 303);
});

/** Browser form: leave the flow without connecting. */
connectRoutes.post("/integrations/connect/cancel", async (c) => {
  if (await readFlow(c)) clearFlow(c);
  return c.redirect("/dashboard", 303);
});

connectRoutes.get("/integrations/connect/cancelled", async (c) => {
  const [active, user] = await Promise.all([activeConnect(c), currentProfile(c)]);
  return c.html(
    <Layout title="Checkout cancelled" user={user}>
      <CheckoutCancelled appName={active?.app.name ?? null} />
    </Layout>,
  );
});

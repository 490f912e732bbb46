import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { eq } from "drizzle-orm";
import { profiles, type ProductLine } from "../db/schema";
import type { AppEnv } from "../env";
import { LINE_OF_ACCOUNT_TYPE } from "../accounts/service";
import { getPlan, LINE_OF_PLAN_TYPE } from "../plans/service";
import { requireKeyOrSession } from "../platform/auth";
import { ApiError, notFound } from "../platform/errors";
import { createRouter, errorResponses, jsonBody, jsonResponse } from "../platform/openapi";
import {
  CheckoutBody,
  CheckoutResponse,
  InvoicesResponse,
  PortalBody,
  StatusQuery,
  StatusResponse,
  UrlResponse,
  WebhookResponse,
} from "./schemas";
import { createPortal, getBillingStatus, handleWebhook, listInvoices, MAX_WEBHOOK_BYTES, startCheckout } from "./service";

export const billingApiRoutes = createRouter();

const keyAuth: Record<string, string[]>[] = [{ ApiKey: [] }, { Session: [] }];

const originOf = (c: Context<AppEnv>) => new URL(c.req.url).origin;

/** The line a request speaks for: the key's own line; for a session, `scope` or the account's line. */
async function lineOf(c: Context<AppEnv>, scope?: ProductLine): Promise<ProductLine> {
  const auth = c.var.auth;
  if (auth.product) {
    if (scope && scope !== auth.product) throw new ApiError("wrong_key_type", `This is a ${auth.product} key; it cannot read ${scope}`);
    return auth.product;
  }
  if (scope) return scope;
  const profile = await c.var.db.select({ accountType: profiles.accountType }).from(profiles).where(eq(profiles.id, auth.profileId)).get();
  if (!profile) throw notFound("profile");
  return LINE_OF_ACCOUNT_TYPE[profile.accountType];
}

billingApiRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/billing/status",
    tags: ["Billing"],
    summary: "Current plan and Stripe subscription snapshot",
    description:
      "Answers for the line of the x-api-key (gallery, drive or messaging). Eligible: `plan.price <= 0`, or `stripeStatus` " +
      "is active, trialing or past_due.",
    middleware: [requireKeyOrSession("any")] as const,
    security: keyAuth,
    request: { query: StatusQuery },
    responses: { 200: jsonResponse(StatusResponse), ...errorResponses(400, 401, 403, 409) },
  }),
  async (c) => {
    const line = await lineOf(c, c.req.valid("query").scope);
    return c.json(await getBillingStatus(c.var.db, c.var.auth.profileId, line), 200);
  },
);

billingApiRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/billing/checkout-session",
    tags: ["Billing"],
    summary: "Start a Stripe Checkout Session for a paid plan",
    description:
      "With a key, planId must be a plan of the key's line. Returns `{ url }` to open in a browser. successUrl must be an " +
      "absolute https URL (http on localhost) containing {CHECKOUT_SESSION_ID}. The plan changes only when Stripe confirms payment.",
    middleware: [requireKeyOrSession("any")] as const,
    security: keyAuth,
    request: jsonBody(CheckoutBody),
    responses: { 200: jsonResponse(CheckoutResponse), ...errorResponses(400, 401, 409, 415, 502) },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const auth = c.var.auth;
    if (auth.product) {
      const plan = await getPlan(c.var.db, body.planId);
      if (plan && LINE_OF_PLAN_TYPE[plan.planType] !== auth.product) {
        throw new ApiError("plan_mismatch", `Plan ${plan.id} is a ${plan.planType} plan; this key is for ${auth.product}`);
      }
    }
    const res = await startCheckout(c.env, c.var.db, { ...body, profileId: auth.profileId, origin: originOf(c) });
    return c.json(res, 200);
  },
);

billingApiRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/billing/portal",
    tags: ["Billing"],
    summary: "Open the Stripe Customer Portal",
    description: "Payment methods, plan changes, cancellation and invoices. 409 `no_stripe_customer` before the first checkout.",
    middleware: [requireKeyOrSession("any")] as const,
    security: keyAuth,
    request: { body: { required: false, content: { "application/json": { schema: PortalBody } } } },
    responses: { 200: jsonResponse(UrlResponse), ...errorResponses(400, 401, 409, 415, 502) },
  }),
  async (c) => {
    const body = (c.req.valid("json") as z.infer<typeof PortalBody> | undefined) ?? {};
    const origin = originOf(c);
    const res = await createPortal(c.env, c.var.db, c.var.auth.profileId, body.returnUrl ?? `${origin}/dashboard/billing`, origin);
    return c.json(res, 200);
  },
);

billingApiRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/billing/invoices",
    tags: ["Billing"],
    summary: "Invoices and card charges of the account's Stripe customer",
    description: "Newest first (up to 24 of each); amounts in major units. Empty before the first checkout.",
    middleware: [requireKeyOrSession("any")] as const,
    security: keyAuth,
    responses: { 200: jsonResponse(InvoicesResponse), ...errorResponses(401, 502) },
  }),
  async (c) => c.json(await listInvoices(c.env, c.var.db, c.var.auth.profileId, originOf(c)), 200),
);

billingApiRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/webhooks/stripe",
    tags: ["Billing"],
    summary: "Stripe webhook endpoint",
    description:
      "The raw body is verified against the Stripe-Signature header with STRIPE_WEBHOOK_SECRET (300 s tolerance). " +
      "Each event id is applied once. Handles checkout.session.completed, customer.subscription.created|updated|deleted, " +
      "invoice.paid and invoice.payment_failed; other types are acknowledged. 503 asks Stripe to retry.",
    responses: { 200: jsonResponse(WebhookResponse), ...errorResponses(400, 413, 503) },
  }),
  async (c) => {
    const length = Number(c.req.header("content-length") ?? "0");
    if (length > MAX_WEBHOOK_BYTES) throw new ApiError("payload_too_large", `Webhook bodies are limited to ${MAX_WEBHOOK_BYTES} bytes`);
    const raw = await c.req.text();
    if (raw.length > MAX_WEBHOOK_BYTES) throw new ApiError("payload_too_large", `Webhook bodies are limited to ${MAX_WEBHOOK_BYTES} bytes`);
    const outcome = await handleWebhook(c.env, c.var.db, raw, c.req.header("stripe-signature"), originOf(c));
    return c.json({ received: true as const, outcome }, 200);
  },
);

import { env } from "cloudflare:workers";
import Stripe from "stripe";
import { afterAll, beforeAll, expect, vi } from "vitest";
import { BASE, call, callWith, jsonInit, keyHeaders, registerAccount, type AccountType, type Send } from "../factories";
import { FAKE_SECRET_KEY, FAKE_STRIPE_BASE, FAKE_WEBHOOK_SECRET, FakeStripe } from "./fake-stripe";

/** Env of a deployment with Stripe configured, its API pointed at the fake. */
export const STRIPE_ENV = { STRIPE_SECRET_KEY: FAKE_SECRET_KEY, STRIPE_WEBHOOK_SECRET: FAKE_WEBHOOK_SECRET, STRIPE_API_BASE: FAKE_STRIPE_BASE };

/** Calls the Worker as deployed with Stripe configured (STRIPE_ENV). */
export const viaStripe: Send = (path, init = {}) => callWith(STRIPE_ENV, path, init);

/**
 * A fake Stripe for the tests of this file: stubs the global fetch the Worker's Stripe SDK uses
 * before the tests and restores it after them.
 */
export function useFakeStripe(): FakeStripe {
  const fake = new FakeStripe();
  beforeAll(() => {
    vi.stubGlobal("fetch", fake.fetcher(globalThis.fetch));
  });
  afterAll(() => {
    vi.unstubAllGlobals();
  });
  return fake;
}

/**
 * Billing calls through one deployment: `call` (no Stripe secret: local test mode) or
 * `viaStripe`. checkout and status assert the API answered 200.
 */
export function billingVia(send: Send) {
  return {
    register: (accountType: AccountType, extra: Record<string, unknown> = {}) => registerAccount(accountType, extra, send),
    async checkout(a: { key: string }, planId: string, extra: Record<string, unknown> = {}) {
      const res = await send("/api/billing/checkout-session", jsonInit({ planId, ...extra }, keyHeaders(a)));
      expect(res.status).toBe(200);
      return (await res.json()) as { url: string; sessionId: string };
    },
    async status(a: { key: string }) {
      const res = await send("/api/billing/status", { headers: keyHeaders(a) });
      expect(res.status).toBe(200);
      return (await res.json()) as { scope: string; plan: { id: string; name: string; price: number }; stripeStatus: string; currentPeriodEnd: string | null };
    },
  };
}

/** Checkout, pay on the fake Stripe, deliver checkout.session.completed: a subscribed account. */
export async function subscribed(fake: FakeStripe, type: AccountType, planId: string) {
  const { register, checkout } = billingVia(viaStripe);
  const a = await register(type);
  const { sessionId } = await checkout(a, planId);
  const paid = fake.completeCheckout(sessionId);
  const res = await deliver(fake.event("checkout.session.completed", paid.session));
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ received: true, outcome: "processed" });
  return { a, sessionId, sub: paid.subscription, invoice: paid.invoice, subId: String(paid.subscription.id) };
}

/** Path and query of an absolute URL on our origin (the local checkout and portal pages). */
export const pathOf = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};

/** Pays (or cancels) in the local test checkout page like the browser does; returns the redirect target. */
export async function payLocally(url: string, action: "pay" | "cancel" = "pay") {
  const res = await call(`${pathOf(url)}/${action}`, { method: "POST", headers: { origin: BASE }, redirect: "manual" });
  expect(res.status).toBe(303);
  return res.headers.get("location")!;
}

/** A Stripe-Signature header made by the SDK's own test helper. */
export async function signature(payload: string, opts: { secret?: string; timestamp?: number } = {}): Promise<string> {
  return Stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret: opts.secret ?? FAKE_WEBHOOK_SECRET,
    timestamp: opts.timestamp ?? Math.floor(Date.now() / 1000),
  });
}

/** Delivers an event to the webhook like Stripe does: raw JSON body, signed. */
export async function deliver(event: unknown, opts: { secret?: string; timestamp?: number; over?: Record<string, string> } = {}) {
  const payload = JSON.stringify(event, null, 2);
  return callWith(opts.over ?? STRIPE_ENV, "/api/webhooks/stripe", {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": await signature(payload, opts) },
    body: payload,
  });
}

/** The documented partner eligibility snippet, verbatim in logic. */
export function eligible(j: { plan?: { price: number }; stripeStatus?: string }): boolean {
  return Boolean(
    j.plan && (j.plan.price <= 0 || ["active", "trialing", "past_due"].includes(String(j.stripeStatus || "").toLowerCase())),
  );
}

export async function subscriptionRow(profileId: string, planType: string) {
  return env.DB.prepare("SELECT * FROM subscriptions WHERE profile_id = ? AND plan_type = ?")
    .bind(profileId, planType)
    .first<{ plan_id: string; status: string; stripe_customer_id: string | null; stripe_subscription_id: string | null; current_period_end: number | null; stripe_synced_at: number | null }>();
}

export async function credits(profileId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT credits FROM messaging_accounts WHERE profile_id = ?").bind(profileId).first<{ credits: number }>();
  return row?.credits ?? -1;
}

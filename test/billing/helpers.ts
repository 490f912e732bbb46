import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import Stripe from "stripe";
import worker from "../../src/index";
import { BASE } from "../factories";
import { FAKE_SECRET_KEY, FAKE_STRIPE_BASE, FAKE_WEBHOOK_SECRET } from "./fake-stripe";

/** Env of a deployment with Stripe configured, its API pointed at the fake. */
export const STRIPE_ENV = { STRIPE_SECRET_KEY: FAKE_SECRET_KEY, STRIPE_WEBHOOK_SECRET: FAKE_WEBHOOK_SECRET, STRIPE_API_BASE: FAKE_STRIPE_BASE };

/** Calls the Worker's fetch handler with extra env (secrets) on top of the test bindings. */
export async function callWith(over: Record<string, string>, path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(BASE + path, init), { ...env, ...over }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

export function jsonInit(body: unknown, headers: Record<string, string> = {}, method = "POST"): RequestInit {
  return { method, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
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

import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { vi } from "vitest";
import { effectivePlan } from "../../src/billing/service";
import { getDb } from "../../src/db";
import { BASE, uniqueEmail } from "../factories";
import { FakeStripe, FAKE_STRIPE_BASE } from "./fake-stripe";
import { callWith, credits, deliver, eligible, jsonInit, STRIPE_ENV, subscriptionRow } from "./helpers";

const fake = new FakeStripe();

beforeAll(() => {
  vi.stubGlobal("fetch", fake.fetcher(globalThis.fetch));
});
afterAll(() => {
  vi.unstubAllGlobals();
});

const api = (path: string, init: RequestInit = {}) => callWith(STRIPE_ENV, path, init);

interface Account {
  profileId: string;
  key: string;
  cookie: string;
  body: Record<string, unknown>;
}

async function register(accountType: "studio" | "drive" | "messaging", extra: Record<string, unknown> = {}): Promise<Account> {
  const res = await api(
    "/api/register",
    jsonInit({ email: uniqueEmail(accountType), password: "correct horse battery", displayName: "Stripe test", accountType, ...extra }),
  );
  expect(res.status).toBe(201);
  const body = (await res.json()) as Record<string, unknown>;
  return {
    profileId: String(body.profileId),
    key: String(body.apiKey ?? body.driveApiKey ?? body.messagingApiKey),
    cookie: (res.headers.get("set-cookie") ?? "").split(";")[0]!,
    body,
  };
}

async function checkout(a: Account, planId: string, extra: Record<string, unknown> = {}) {
  const res = await api("/api/billing/checkout-session", jsonInit({ planId, ...extra }, { "x-api-key": a.key }));
  expect(res.status).toBe(200);
  return (await res.json()) as { url: string; sessionId: string };
}

async function status(a: Account) {
  const res = await api("/api/billing/status", { headers: { "x-api-key": a.key } });
  expect(res.status).toBe(200);
  return (await res.json()) as { scope: string; plan: { id: string; price: number }; stripeStatus: string; currentPeriodEnd: string | null };
}

/** Checkout, pay on "Stripe", deliver checkout.session.completed: a subscribed account. */
async function subscribed(type: "studio" | "drive" | "messaging", planId: string) {
  const a = await register(type);
  const { sessionId } = await checkout(a, planId);
  const paid = fake.completeCheckout(sessionId);
  const res = await deliver(fake.event("checkout.session.completed", paid.session));
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ received: true, outcome: "processed" });
  return { a, sessionId, sub: paid.subscription, invoice: paid.invoice, subId: String(paid.subscription.id) };
}

describe("checkout through the Stripe SDK", () => {
  it("creates a customer and a subscription-mode session with a server-set client_reference_id", async () => {
    const a = await register("studio");
    const before = fake.requests.length;
    const { url, sessionId } = await checkout(a, "plan_cg_pro", { successUrl: "https://app.example/done?s={CHECKOUT_SESSION_ID}" });
    expect(url).toBe(`https://checkout.stripe.com/c/pay/${sessionId}`);
    const calls = fake.requests.slice(before);
    expect(calls.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /v1/customers", "POST /v1/checkout/sessions"]);
    const body = calls[1]!.body as Record<string, any>;
    expect(body.mode).toBe("subscription");
    expect(body.client_reference_id).toMatch(/^bco_/);
    expect(body.success_url).toBe("https://app.example/done?s={CHECKOUT_SESSION_ID}");
    expect(body.line_items[0]).toMatchObject({ quantity: "1", price_data: { currency: "usd", unit_amount: "1500", recurring: { interval: "month" } } });
    expect(body.subscription_data.metadata).toMatchObject({ profileId: a.profileId, planId: "plan_cg_pro" });
    expect(calls[1]!.headers["stripe-version"]).toBeTruthy();
    // Nothing changes until Stripe says so.
    expect(await status(a)).toMatchObject({ plan: { id: "plan_cg_free" }, stripeStatus: "active" });
  });

  it("uses the plan's configured Stripe price id when there is one", async () => {
    await env.DB.prepare("UPDATE plans SET stripe_price_id = 'price_drive_pro_test' WHERE id = 'plan_drive_pro'").run();
    const a = await register("drive");
    await checkout(a, "plan_drive_pro");
    const body = fake.requests.at(-1)!.body as Record<string, any>;
    expect(body.line_items[0]).toEqual({ price: "price_drive_pro_test", quantity: "1" });
  });

  it("accepts each line's key for its own plans only", async () => {
    for (const [type, own, other] of [
      ["studio", "plan_cg_pro", "plan_msg_growth"],
      ["drive", "plan_drive_plus", "plan_cg_pro"],
      ["messaging", "plan_msg_growth", "plan_drive_plus"],
    ] as const) {
      const a = await register(type);
      await checkout(a, own);
      const res = await api("/api/billing/checkout-session", jsonInit({ planId: other }, { "x-api-key": a.key }));
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: "plan_mismatch" });
    }
  });

  it("register with a paid plan returns checkoutUrl, or checkoutError when Stripe fails (the account exists)", async () => {
    const ok = await register("studio", { planId: "plan_cg_pro" });
    expect(ok.body).toMatchObject({ requiresPayment: true });
    expect(String(ok.body.checkoutUrl)).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);

    fake.failures = 10;
    const failed = await register("drive", { planId: "plan_drive_plus" });
    fake.failures = 0;
    expect(failed.body.requiresPayment).toBe(true);
    expect(failed.body.checkoutUrl).toBeUndefined();
    expect(String(failed.body.checkoutError)).toMatch(/Stripe/);
    // The documented retry: checkout-session with the new key.
    const retry = await checkout(failed, "plan_drive_plus");
    expect(retry.url).toMatch(/^https:\/\/checkout\.stripe\.com\//);
  });

  it("answers 502 stripe_error when Stripe is down", async () => {
    const a = await register("studio");
    fake.failures = 10;
    const res = await api("/api/billing/checkout-session", jsonInit({ planId: "plan_cg_pro" }, { "x-api-key": a.key }));
    fake.failures = 0;
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ error: "stripe_error" });
  });
});

describe("POST /api/webhooks/stripe", () => {
  it("activates the plan from checkout.session.completed, with limits in force at once", async () => {
    const { a, sub } = await subscribed("studio", "plan_cg_pro");
    const s = await status(a);
    expect(s).toMatchObject({ scope: "gallery", plan: { id: "plan_cg_pro", price: 15 }, stripeStatus: "active" });
    const item = (sub.items as { data: { current_period_end: number }[] }).data[0]!;
    expect(s.currentPeriodEnd).toBe(new Date(item.current_period_end * 1000).toISOString());
    expect(eligible(s)).toBe(true);
    expect((await effectivePlan(getDb(env.DB), a.profileId, "clientGallery")).storageLimitBytes).toBe(107374182400);
  });

  it("applies a replayed event once", async () => {
    const { a, subId } = await subscribed("messaging", "plan_msg_growth");
    const paid = fake.event("invoice.paid", fake.addInvoice(subId, "paid"));
    const start = await credits(a.profileId);
    const first = await deliver(paid);
    expect(await first.json()).toMatchObject({ outcome: "processed" });
    expect(await credits(a.profileId)).toBe(start + 5000);
    const replay = await deliver(paid);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ outcome: "duplicate" });
    expect(await credits(a.profileId)).toBe(start + 5000);
  });

  it("grants messaging credits once per paid invoice, even under different event ids", async () => {
    const { a, subId, invoice } = await subscribed("messaging", "plan_msg_growth");
    const base = await credits(a.profileId);
    await deliver(fake.event("invoice.paid", invoice));
    await deliver(fake.event("invoice.paid", invoice));
    expect(await credits(a.profileId)).toBe(base + 5000);
    await deliver(fake.event("invoice.paid", fake.addInvoice(subId, "paid")));
    expect(await credits(a.profileId)).toBe(base + 10000);
  });

  it("rejects a bad signature, tampered body, missing header or wrong secret with 400 and no side effect", async () => {
    const a = await register("drive");
    const { sessionId } = await checkout(a, "plan_drive_plus");
    const paid = fake.completeCheckout(sessionId);
    const event = fake.event("checkout.session.completed", paid.session);
    const payload = JSON.stringify(event);

    const wrongSecret = await deliver(event, { secret: "whsec_not_ours" });
    expect(wrongSecret.status).toBe(400);
    expect(await wrongSecret.json()).toMatchObject({ error: "invalid_signature" });

    const { signature } = await import("./helpers");
    const header = await signature(payload);
    const tampered = await api("/api/webhooks/stripe", { method: "POST", headers: { "stripe-signature": header, "content-type": "application/json" }, body: payload.replace("checkout.session.completed", "checkout.session.completed ") });
    expect(tampered.status).toBe(400);
    const missing = await api("/api/webhooks/stripe", { method: "POST", headers: { "content-type": "application/json" }, body: payload });
    expect(missing.status).toBe(400);
    const garbage = await api("/api/webhooks/stripe", { method: "POST", headers: { "stripe-signature": "t=1,v1=abc", "content-type": "application/json" }, body: payload });
    expect(garbage.status).toBe(400);

    expect(await status(a)).toMatchObject({ plan: { id: "plan_drive_free" } });
    const seen = await env.DB.prepare("SELECT id FROM stripe_events WHERE id = ?").bind(event.id).first();
    expect(seen).toBeNull();
    // The genuine delivery still works afterwards.
    expect(await (await deliver(event)).json()).toMatchObject({ outcome: "processed" });
  });

  it("rejects a timestamp older than the default 300 s tolerance", async () => {
    const a = await register("studio");
    const { sessionId } = await checkout(a, "plan_cg_pro");
    const event = fake.event("checkout.session.completed", fake.completeCheckout(sessionId).session);
    const stale = await deliver(event, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect(stale.status).toBe(400);
    expect((await status(a)).plan.id).toBe("plan_cg_free");
    const fresh = await deliver(event, { timestamp: Math.floor(Date.now() / 1000) - 200 });
    expect(fresh.status).toBe(200);
    expect((await status(a)).plan.id).toBe("plan_cg_pro");
  });

  it("never rolls state back when events arrive out of order", async () => {
    await env.DB.prepare("UPDATE plans SET stripe_price_id = 'price_cg_studio_test' WHERE id = 'plan_cg_studio'").run();
    const { a, subId } = await subscribed("studio", "plan_cg_pro");
    const t = Math.floor(Date.now() / 1000);
    const older = fake.event("customer.subscription.updated", fake.updateSubscription(subId, { status: "past_due" }), t + 10);
    // Later, the customer upgrades in the portal: the price changes and the payment clears.
    fake.setPrice(subId, "price_cg_studio_test");
    const newer = fake.event("customer.subscription.updated", fake.updateSubscription(subId, { status: "active" }), t + 20);

    expect((await deliver(newer)).status).toBe(200);
    expect(await status(a)).toMatchObject({ plan: { id: "plan_cg_studio" }, stripeStatus: "active" });
    const row = await subscriptionRow(a.profileId, "clientGallery");
    expect(row!.stripe_synced_at).toBe((t + 20) * 1000);

    // The older event arrives last, even while Stripe (briefly) still reports the old state.
    fake.setPrice(subId, "price_not_configured");
    fake.updateSubscription(subId, { status: "past_due" });
    expect((await deliver(older)).status).toBe(200);
    expect(await status(a)).toMatchObject({ plan: { id: "plan_cg_studio" }, stripeStatus: "active" });
    expect((await subscriptionRow(a.profileId, "clientGallery"))!.stripe_synced_at).toBe((t + 20) * 1000);
  });

  it("re-reads the subscription from Stripe instead of trusting a stale payload", async () => {
    const { a, subId, sub } = await subscribed("drive", "plan_drive_plus");
    // The event carries an old snapshot (active); Stripe's current state is unpaid.
    const event = fake.event("customer.subscription.updated", { ...sub, status: "active" });
    fake.updateSubscription(subId, { status: "unpaid" });
    await deliver(event);
    const s = await status(a);
    expect(s).toMatchObject({ plan: { id: "plan_drive_plus" }, stripeStatus: "unpaid" });
    expect(eligible(s)).toBe(false);
    expect((await effectivePlan(getDb(env.DB), a.profileId, "drive")).id).toBe("plan_drive_free");
  });

  it("returns the line to its free plan on cancellation", async () => {
    const { a, subId } = await subscribed("drive", "plan_drive_pro");
    const later = Math.floor(Date.now() / 1000) + 5;
    const deleted = fake.event("customer.subscription.deleted", fake.updateSubscription(subId, { status: "canceled", canceled_at: later }), later);
    expect((await deliver(deleted)).status).toBe(200);
    const s = await status(a);
    expect(s).toMatchObject({ plan: { id: "plan_drive_free", price: 0 }, stripeStatus: "canceled" });
    expect(eligible(s)).toBe(true);
    expect((await effectivePlan(getDb(env.DB), a.profileId, "drive")).storageLimitBytes).toBe(5368709120);
    // A late "updated" from before the cancellation changes nothing.
    const stale = fake.event("customer.subscription.updated", { ...fake.subscriptions.get(subId)!, status: "active" }, later - 3);
    await deliver(stale);
    expect((await status(a)).stripeStatus).toBe("canceled");
  });

  it("marks payment failure past_due (still eligible), then unpaid (not eligible, free limits)", async () => {
    const { a, subId } = await subscribed("messaging", "plan_msg_scale");
    const t = Math.floor(Date.now() / 1000);
    fake.updateSubscription(subId, { status: "past_due" });
    const failed = fake.event("invoice.payment_failed", fake.addInvoice(subId, "open"), t + 1);
    const before = await credits(a.profileId);
    expect((await deliver(failed)).status).toBe(200);
    const pastDue = await status(a);
    expect(pastDue).toMatchObject({ scope: "messaging", plan: { id: "plan_msg_scale" }, stripeStatus: "past_due" });
    expect(eligible(pastDue)).toBe(true);
    expect(await credits(a.profileId)).toBe(before);

    const unpaid = fake.event("customer.subscription.updated", fake.updateSubscription(subId, { status: "unpaid" }), t + 2);
    await deliver(unpaid);
    const s = await status(a);
    expect(s.stripeStatus).toBe("unpaid");
    expect(eligible(s)).toBe(false);
    expect((await effectivePlan(getDb(env.DB), a.profileId, "messaging")).id).toBe("plan_msg_free");
  });

  it("acknowledges unknown event types and events for subscriptions it does not know", async () => {
    const ignored = await deliver(fake.event("customer.created", { id: "cus_x", object: "customer" }));
    expect(ignored.status).toBe(200);
    expect(await ignored.json()).toEqual({ received: true, outcome: "ignored" });
    const stranger = await deliver(fake.event("customer.subscription.updated", { id: "sub_unknown", object: "subscription", status: "active", customer: "cus_x", metadata: {} }));
    expect(await stranger.json()).toMatchObject({ outcome: "ignored" });
  });

  it("answers 503 on a transient Stripe failure so Stripe retries, then applies the retry", async () => {
    const a = await register("studio");
    const { sessionId } = await checkout(a, "plan_cg_pro");
    const event = fake.event("checkout.session.completed", fake.completeCheckout(sessionId).session);
    fake.failures = 10;
    const res = await deliver(event);
    fake.failures = 0;
    expect(res.status).toBe(503);
    expect((await status(a)).plan.id).toBe("plan_cg_free");
    expect(await (await deliver(event)).json()).toMatchObject({ outcome: "processed" });
    expect((await status(a)).plan.id).toBe("plan_cg_pro");
  });

  it("answers 503 when no webhook secret is configured", async () => {
    const res = await deliver(fake.event("customer.created", { id: "cus_y" }), { over: { ...STRIPE_ENV, STRIPE_WEBHOOK_SECRET: "" } });
    expect(res.status).toBe(503);
  });

  it("ignores a completed session whose client_reference_id is not one of ours", async () => {
    const a = await register("studio");
    const { sessionId } = await checkout(a, "plan_cg_pro");
    const paid = fake.completeCheckout(sessionId);
    const forged = fake.event("checkout.session.completed", { ...paid.session, client_reference_id: "bco_someone_else" });
    expect(await (await deliver(forged)).json()).toMatchObject({ outcome: "ignored" });
    expect((await status(a)).plan.id).toBe("plan_cg_free");
  });
});

describe("portal and invoices through the Stripe SDK", () => {
  it("opens the Customer Portal and lists invoices and charges of this customer only", async () => {
    const { a } = await subscribed("studio", "plan_cg_pro");
    const other = await subscribed("drive", "plan_drive_plus");

    const portal = await api("/api/billing/portal", jsonInit({ returnUrl: "https://app.example/account" }, { "x-api-key": a.key }));
    expect(portal.status).toBe(200);
    expect(((await portal.json()) as { url: string }).url).toMatch(/^https:\/\/billing\.stripe\.com\/p\/session\//);
    const portalCall = fake.requests.at(-1)!;
    expect(portalCall.body).toMatchObject({ return_url: "https://app.example/account", customer: (await subscriptionRow(a.profileId, "clientGallery"))!.stripe_customer_id });

    const list = await api("/api/billing/invoices", { headers: { "x-api-key": a.key } });
    expect(list.status).toBe(200);
    const body = (await list.json()) as { invoices: { amountPaid: number; invoicePdf: string; status: string }[]; charges: { amount: number; card: { last4: string } }[] };
    expect(body.invoices).toHaveLength(1);
    expect(body.invoices[0]).toMatchObject({ amountPaid: 15, status: "paid", invoicePdf: expect.stringMatching(/^https:\/\/pay\.stripe\.com\//) });
    expect(body.charges).toEqual([expect.objectContaining({ amount: 15, card: { brand: "visa", last4: "4242" } })]);
    const otherList = (await (await api("/api/billing/invoices", { headers: { "x-api-key": other.a.key } })).json()) as { invoices: { amountPaid: number }[] };
    expect(otherList.invoices.map((i) => i.amountPaid)).toEqual([8]);
  });

  it("confirms a returning checkout by reading the session back from Stripe, for its own profile only", async () => {
    const a = await register("studio");
    const { sessionId } = await checkout(a, "plan_cg_pro");
    fake.completeCheckout(sessionId);
    const b = await register("studio");
    const foreign = await api(`/dashboard/billing?checkout=success&session_id=${sessionId}`, { headers: { cookie: b.cookie } });
    expect(await foreign.text()).toContain("checkout session not found");
    expect((await status(a)).plan.id).toBe("plan_cg_free");

    const page = await api(`/dashboard/billing?checkout=success&session_id=${sessionId}`, { headers: { cookie: a.cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Payment confirmed");
    expect(html).not.toContain("Local test mode");
    expect((await status(a)).plan.id).toBe("plan_cg_pro");
    // The webhook for the same checkout arriving later is harmless.
    const ev = fake.event("checkout.session.completed", fake.sessions.get(sessionId)!);
    expect((await deliver(ev)).status).toBe(200);
    expect(await status(a)).toMatchObject({ plan: { id: "plan_cg_pro" }, stripeStatus: "active" });
  });

  it("does not trust an unpaid session on the success URL", async () => {
    const a = await register("drive");
    const { sessionId } = await checkout(a, "plan_drive_plus");
    const page = await api(`/dashboard/billing?checkout=success&session_id=${sessionId}`, { headers: { cookie: a.cookie } });
    expect(await page.text()).toContain("still processing");
    expect((await status(a)).plan.id).toBe("plan_drive_free");
  });
});

it("the fake is only reachable at its own base URL", () => {
  expect(FAKE_STRIPE_BASE).toMatch(/^https:\/\//);
  expect(BASE).toBe("http://localhost");
});

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { effectivePlan } from "../../src/plans/service";
import { getDb } from "../../src/db";
import { BASE, call, jsonInit, postJson, registerAccount, sessionHeaders, submitForm } from "../factories";
import { billingVia, credits, deliver, eligible, pathOf, payLocally, subscribed, subscriptionRow, useFakeStripe, viaStripe } from "./helpers";

const fake = useFakeStripe();
// The local-test-mode blocks (no Stripe secret) use these; the Stripe-mode blocks bind their own through viaStripe.
const { checkout, status } = billingVia(call);

describe("GET /api/billing/status", () => {
  it("answers for the line of each product key, free plans at price 0 and eligible", async () => {
    const cases = [
      ["studio", "gallery", "plan_cg_free"],
      ["drive", "drive", "plan_drive_free"],
      ["messaging", "messaging", "plan_msg_free"],
    ] as const;
    for (const [type, scope, planId] of cases) {
      const a = await registerAccount(type);
      const s = await status(a);
      expect(s).toEqual({ scope, plan: { id: planId, name: expect.any(String), price: 0 }, stripeStatus: "active", currentPeriodEnd: null });
      expect(eligible(s)).toBe(true);
    }
  });

  it("answers a dashboard session for the account's line or the requested scope", async () => {
    const a = await registerAccount("drive");
    const own = await call("/api/billing/status", { headers: sessionHeaders(a) });
    expect(await own.json()).toMatchObject({ scope: "drive", plan: { id: "plan_drive_free" } });
    const other = await call("/api/billing/status?scope=gallery", { headers: sessionHeaders(a) });
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({ error: "product_line_not_enabled" });
  });
});

describe("POST /api/register with a paid plan (local test mode)", () => {
  it("returns requiresPayment and a checkoutUrl, and the plan is not in force until paid", async () => {
    const a = await registerAccount("studio", { planId: "plan_cg_pro" });
    expect(a.body).toMatchObject({ requiresPayment: true, plan: { id: "plan_cg_pro", price: 15 } });
    expect(String(a.body.checkoutUrl)).toMatch(/^http:\/\/localhost\/billing\/test-checkout\/cs_local_/);
    expect(a.body.checkoutError).toBeUndefined();
    const s = await status(a);
    expect(s).toMatchObject({ plan: { id: "plan_cg_pro", price: 15 }, stripeStatus: "incomplete" });
    expect(eligible(s)).toBe(false);
    expect((await effectivePlan(getDb(env.DB), a.profileId, "clientGallery")).id).toBe("plan_cg_free");

    await payLocally(String(a.body.checkoutUrl));
    const paid = await status(a);
    expect(paid).toMatchObject({ plan: { id: "plan_cg_pro" }, stripeStatus: "active" });
    expect(eligible(paid)).toBe(true);
    expect((await effectivePlan(getDb(env.DB), a.profileId, "clientGallery")).storageLimitBytes).toBe(107374182400);
  });

  it("passes the caller's successUrl and cancelUrl through", async () => {
    const a = await registerAccount("drive", {
      planId: "plan_drive_plus",
      successUrl: "https://partner.example/done?sid={CHECKOUT_SESSION_ID}",
      cancelUrl: "https://partner.example/cancel",
    });
    const url = String(a.body.checkoutUrl);
    const sid = pathOf(url).split("/").pop()!;
    expect(await payLocally(url)).toBe(`https://partner.example/done?sid=${sid}`);
  });

  it("gives a paid messaging plan no credits before its first paid invoice", async () => {
    const a = await registerAccount("messaging", { planId: "plan_msg_growth" });
    expect(await credits(a.profileId)).toBe(0);
    await payLocally(String(a.body.checkoutUrl));
    expect(await credits(a.profileId)).toBe(5000);
  });
});

describe("POST /api/billing/checkout-session (local test mode)", () => {
  it("starts a checkout for a plan of the key's own line, for each line", async () => {
    for (const [type, planId] of [
      ["studio", "plan_cg_studio"],
      ["drive", "plan_drive_pro"],
      ["messaging", "plan_msg_scale"],
    ] as const) {
      const a = await registerAccount(type);
      const { url, sessionId } = await checkout(a, planId);
      expect(url).toBe(`http://localhost/billing/test-checkout/${sessionId}`);
      const page = await call(pathOf(url));
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain("Local test mode");
      expect(html).toContain("Pay with test card");
    }
  });

  it("accepts http on localhost for successUrl", async () => {
    const a = await registerAccount("studio");
    const { url } = await checkout(a, "plan_cg_pro", { successUrl: "http://localhost:3000/ok?s={CHECKOUT_SESSION_ID}" });
    expect(await payLocally(url)).toMatch(/^http:\/\/localhost:3000\/ok\?s=cs_local_/);
  });
});

describe("local test checkout", () => {
  it("completes through the webhook's sync code: status, period end, invoice and charge", async () => {
    const a = await registerAccount("drive");
    const { url, sessionId } = await checkout(a, "plan_drive_plus");
    const next = await payLocally(url);
    expect(next).toBe(`http://localhost/dashboard/billing?checkout=success&session_id=${sessionId}`);
    const s = await status(a);
    expect(s).toMatchObject({ scope: "drive", plan: { id: "plan_drive_plus", name: "Plus", price: 8 }, stripeStatus: "active" });
    expect(Date.parse(s.currentPeriodEnd!)).toBeGreaterThan(Date.now() + 27 * 86400_000);
    const events = await env.DB.prepare("SELECT type FROM stripe_events WHERE id LIKE 'evt_local_%' ORDER BY type").all<{ type: string }>();
    expect(events.results.map((e) => e.type)).toEqual(expect.arrayContaining(["checkout.session.completed", "customer.subscription.created", "invoice.paid"]));
    const list = (await (await call("/api/billing/invoices", { headers: { "x-api-key": a.key } })).json()) as {
      invoices: { amountPaid: number; status: string; invoicePdf: string }[];
      charges: { amount: number; paid: boolean; card: { last4: string } }[];
    };
    expect(list.invoices).toHaveLength(1);
    expect(list.invoices[0]).toMatchObject({ amountPaid: 8, status: "paid" });
    expect((await call(pathOf(list.invoices[0]!.invoicePdf))).status).toBe(200);
    expect(list.charges[0]).toMatchObject({ amount: 8, paid: true, card: { last4: "4242" } });
  });
});

describe("POST /api/billing/portal and the local test portal", () => {
  it("cancels, renews and fails payments through the same sync code", async () => {
    const a = await registerAccount("messaging");
    await payLocally((await checkout(a, "plan_msg_growth")).url);
    expect(await credits(a.profileId)).toBe(100 + 5000);

    const res = await postJson("/api/billing/portal", { returnUrl: "https://shop.example/account" }, { "x-api-key": a.key });
    expect(res.status).toBe(200);
    const portal = pathOf(((await res.json()) as { url: string }).url);
    const page = await (await call(portal)).text();
    expect(page).toContain("Local test mode");
    const subId = /data-subscription-id="([^"]+)"/.exec(page)![1]!;

    const act = (action: string) => call(`${portal}/subscriptions/${subId}/${action}`, { method: "POST", headers: { origin: BASE }, redirect: "manual" });
    expect((await act("renew")).status).toBe(303);
    expect(await credits(a.profileId)).toBe(100 + 10000);

    expect((await act("fail")).status).toBe(303);
    const pastDue = await status(a);
    expect(pastDue).toMatchObject({ plan: { id: "plan_msg_growth" }, stripeStatus: "past_due" });
    expect(eligible(pastDue)).toBe(true);

    expect((await act("cancel")).status).toBe(303);
    const canceled = await status(a);
    expect(canceled).toMatchObject({ plan: { id: "plan_msg_free", price: 0 }, stripeStatus: "canceled" });
    expect((await effectivePlan(getDb(env.DB), a.profileId, "messaging")).id).toBe("plan_msg_free");
    expect(await credits(a.profileId)).toBe(100 + 10000);

    // Another customer's subscription id through this portal is unknown.
    const b = await registerAccount("studio");
    await payLocally((await checkout(b, "plan_cg_pro")).url);
    const bPortal = pathOf(((await (await postJson("/api/billing/portal", {}, { "x-api-key": b.key })).json()) as { url: string }).url);
    expect((await call(`${bPortal}/subscriptions/${subId}/renew`, { method: "POST", headers: { origin: BASE } })).status).toBe(404);
  });
});

describe("/dashboard/billing", () => {
  it("shows plans, changes plan through the test checkout and confirms the session on return", async () => {
    const a = await registerAccount("studio");
    const before = await (await call("/dashboard/billing", { headers: sessionHeaders(a) })).text();
    expect(before).toContain("Local test mode");
    expect(before).toContain("storage limit 3 GB");
    expect(before).toContain("No invoices yet.");

    const go = await submitForm(a, "/dashboard/billing/checkout", { planId: "plan_cg_pro" });
    expect(go.status).toBe(303);
    const back = await payLocally(go.headers.get("location")!);
    const after = await (await call(pathOf(back), { headers: sessionHeaders(a) })).text();
    expect(after).toContain("Payment confirmed");
    expect(after).toContain("storage limit 100 GB");
    expect(after).toMatch(/LOCAL-[A-Z0-9]{6}/);
    expect(after).toContain("Manage payment");

    const portal = await call("/dashboard/billing/portal", { method: "POST", headers: sessionHeaders(a), redirect: "manual" });
    expect(portal.status).toBe(303);
    expect(portal.headers.get("location")).toMatch(/^http:\/\/localhost\/billing\/test-portal\/bps_local_/);
  });
});

describe("checkout through the Stripe SDK", () => {
  const { register, checkout, status } = billingVia(viaStripe);

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
});

describe("POST /api/webhooks/stripe", () => {
  const { status } = billingVia(viaStripe);

  it("activates the plan from checkout.session.completed, with limits in force at once", async () => {
    const { a, sub } = await subscribed(fake, "studio", "plan_cg_pro");
    const s = await status(a);
    expect(s).toMatchObject({ scope: "gallery", plan: { id: "plan_cg_pro", price: 15 }, stripeStatus: "active" });
    const item = (sub.items as { data: { current_period_end: number }[] }).data[0]!;
    expect(s.currentPeriodEnd).toBe(new Date(item.current_period_end * 1000).toISOString());
    expect(eligible(s)).toBe(true);
    expect((await effectivePlan(getDb(env.DB), a.profileId, "clientGallery")).storageLimitBytes).toBe(107374182400);
  });

  it("applies a replayed event once", async () => {
    const { a, subId } = await subscribed(fake, "messaging", "plan_msg_growth");
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
    const { a, subId, invoice } = await subscribed(fake, "messaging", "plan_msg_growth");
    const base = await credits(a.profileId);
    await deliver(fake.event("invoice.paid", invoice));
    await deliver(fake.event("invoice.paid", invoice));
    expect(await credits(a.profileId)).toBe(base + 5000);
    await deliver(fake.event("invoice.paid", fake.addInvoice(subId, "paid")));
    expect(await credits(a.profileId)).toBe(base + 10000);
  });

  it("never rolls state back when events arrive out of order", async () => {
    await env.DB.prepare("UPDATE plans SET stripe_price_id = 'price_cg_studio_test' WHERE id = 'plan_cg_studio'").run();
    const { a, subId } = await subscribed(fake, "studio", "plan_cg_pro");
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

  it("returns the line to its free plan on cancellation", async () => {
    const { a, subId } = await subscribed(fake, "drive", "plan_drive_pro");
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
    const { a, subId } = await subscribed(fake, "messaging", "plan_msg_scale");
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
});

describe("portal and invoices through the Stripe SDK", () => {
  it("opens the Customer Portal and lists invoices and charges of this customer only", async () => {
    const { a } = await subscribed(fake, "studio", "plan_cg_pro");
    const other = await subscribed(fake, "drive", "plan_drive_plus");

    const portal = await viaStripe("/api/billing/portal", jsonInit({ returnUrl: "https://app.example/account" }, { "x-api-key": a.key }));
    expect(portal.status).toBe(200);
    expect(((await portal.json()) as { url: string }).url).toMatch(/^https:\/\/billing\.stripe\.com\/p\/session\//);
    const portalCall = fake.requests.at(-1)!;
    expect(portalCall.body).toMatchObject({ return_url: "https://app.example/account", customer: (await subscriptionRow(a.profileId, "clientGallery"))!.stripe_customer_id });

    const list = await viaStripe("/api/billing/invoices", { headers: { "x-api-key": a.key } });
    expect(list.status).toBe(200);
    const body = (await list.json()) as { invoices: { amountPaid: number; invoicePdf: string; status: string }[]; charges: { amount: number; card: { last4: string } }[] };
    expect(body.invoices).toHaveLength(1);
    expect(body.invoices[0]).toMatchObject({ amountPaid: 15, status: "paid", invoicePdf: expect.stringMatching(/^https:\/\/pay\.stripe\.com\//) });
    expect(body.charges).toEqual([expect.objectContaining({ amount: 15, card: { brand: "visa", last4: "4242" } })]);
    const otherList = (await (await viaStripe("/api/billing/invoices", { headers: { "x-api-key": other.a.key } })).json()) as { invoices: { amountPaid: number }[] };
    expect(otherList.invoices.map((i) => i.amountPaid)).toEqual([8]);
  });
});

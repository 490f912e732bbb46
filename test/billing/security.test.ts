import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { effectivePlan } from "../../src/plans/service";
import { getDb } from "../../src/db";
import { BASE, call, callWith, expectLoginRedirect, postJson, registerAccount, sessionHeaders } from "../factories";
import { FAKE_STRIPE_BASE } from "./fake-stripe";
import { billingVia, deliver, eligible, pathOf, payLocally, signature, STRIPE_ENV, subscribed, useFakeStripe, viaStripe } from "./helpers";

const fake = useFakeStripe();
// The local-test-mode blocks (no Stripe secret) use these; the Stripe-mode blocks bind their own through viaStripe.
const { checkout, status } = billingVia(call);

describe("GET /api/billing/status", () => {
  it("rejects missing or unknown keys, a bad scope, and a key asking for another line", async () => {
    const a = await registerAccount("studio");
    expect((await call("/api/billing/status")).status).toBe(401);
    expect((await call("/api/billing/status", { headers: { "x-api-key": "sk_nope_nope_nope" } })).status).toBe(401);
    const bad = await call("/api/billing/status?scope=photos", { headers: { "x-api-key": a.key } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: "invalid_request" });
    const cross = await call("/api/billing/status?scope=drive", { headers: { "x-api-key": a.key } });
    expect(cross.status).toBe(403);
  });
});

describe("POST /api/billing/checkout-session (local test mode)", () => {
  it("works from a dashboard session for a line the account has, and refuses a foreign Origin", async () => {
    const a = await registerAccount("studio");
    const ok = await postJson("/api/billing/checkout-session", { planId: "plan_cg_pro" }, sessionHeaders(a));
    expect(ok.status).toBe(200);
    const missingLine = await postJson("/api/billing/checkout-session", { planId: "plan_drive_plus" }, sessionHeaders(a));
    expect(missingLine.status).toBe(409);
    expect(await missingLine.json()).toMatchObject({ error: "product_line_not_enabled" });
    const csrf = await postJson("/api/billing/checkout-session", { planId: "plan_cg_pro" }, { cookie: a.cookie, origin: "https://evil.example" });
    expect(csrf.status).toBe(403);
  });
});

describe("local test checkout", () => {
  it("refuses a cross-site form post and unknown sessions", async () => {
    const a = await registerAccount("studio");
    const { url } = await checkout(a, "plan_cg_pro");
    const csrf = await call(`${pathOf(url)}/pay`, { method: "POST", headers: { origin: "https://evil.example" } });
    expect(csrf.status).toBe(403);
    expect((await status(a)).plan.id).toBe("plan_cg_free");
    expect((await call("/billing/test-checkout/cs_local_unknownunknown")).status).toBe(404);
    expect((await call("/billing/test-checkout/cs_local_unknownunknown/pay", { method: "POST", headers: { origin: BASE } })).status).toBe(409);
  });

  it("is off whenever STRIPE_SECRET_KEY is set", async () => {
    const a = await registerAccount("studio");
    const { url } = await checkout(a, "plan_cg_pro");
    expect((await callWith(STRIPE_ENV, pathOf(url))).status).toBe(404);
    expect((await callWith(STRIPE_ENV, `${pathOf(url)}/pay`, { method: "POST", headers: { origin: BASE } })).status).toBe(404);
    expect((await status(a)).plan.id).toBe("plan_cg_free");
  });
});

describe("tenant isolation", () => {
  it("never shows or changes another account's billing", async () => {
    const a = await registerAccount("studio");
    const b = await registerAccount("studio");
    const { sessionId } = await checkout(a, "plan_cg_pro");
    // B presenting A's session id on the dashboard success URL: refused, nothing synced.
    const page = await call(`/dashboard/billing?checkout=success&session_id=${sessionId}`, { headers: sessionHeaders(b) });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("checkout session not found");

    // A's own checkout still completes for A only.
    await payLocally((await checkout(a, "plan_cg_studio")).url);
    expect(await status(a)).toMatchObject({ plan: { id: "plan_cg_studio" }, stripeStatus: "active" });
    expect(await status(b)).toMatchObject({ plan: { id: "plan_cg_free" } });
    expect(await (await call("/api/billing/invoices", { headers: { "x-api-key": b.key } })).json()).toEqual({ invoices: [], charges: [] });
    expect((await postJson("/api/billing/portal", {}, { "x-api-key": b.key })).status).toBe(409);
    const aInvoices = (await (await call("/api/billing/invoices", { headers: { "x-api-key": a.key } })).json()) as { invoices: unknown[] };
    expect(aInvoices.invoices).toHaveLength(1);
  });
});

describe("POST /api/webhooks/stripe", () => {
  const { register, checkout, status } = billingVia(viaStripe);

  it("rejects a bad signature, tampered body, missing header or wrong secret with 400 and no side effect", async () => {
    const a = await register("drive");
    const { sessionId } = await checkout(a, "plan_drive_plus");
    const paid = fake.completeCheckout(sessionId);
    const event = fake.event("checkout.session.completed", paid.session);
    const payload = JSON.stringify(event);

    const wrongSecret = await deliver(event, { secret: "whsec_not_ours" });
    expect(wrongSecret.status).toBe(400);
    expect(await wrongSecret.json()).toMatchObject({ error: "invalid_signature" });

    const header = await signature(payload);
    const tampered = await viaStripe("/api/webhooks/stripe", { method: "POST", headers: { "stripe-signature": header, "content-type": "application/json" }, body: payload.replace("checkout.session.completed", "checkout.session.completed ") });
    expect(tampered.status).toBe(400);
    const missing = await viaStripe("/api/webhooks/stripe", { method: "POST", headers: { "content-type": "application/json" }, body: payload });
    expect(missing.status).toBe(400);
    const garbage = await viaStripe("/api/webhooks/stripe", { method: "POST", headers: { "stripe-signature": "t=1,v1=abc", "content-type": "application/json" }, body: payload });
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

  it("re-reads the subscription from Stripe instead of trusting a stale payload", async () => {
    const { a, subId, sub } = await subscribed(fake, "drive", "plan_drive_plus");
    // The event carries an old snapshot (active); Stripe's current state is unpaid.
    const event = fake.event("customer.subscription.updated", { ...sub, status: "active" });
    fake.updateSubscription(subId, { status: "unpaid" });
    await deliver(event);
    const s = await status(a);
    expect(s).toMatchObject({ plan: { id: "plan_drive_plus" }, stripeStatus: "unpaid" });
    expect(eligible(s)).toBe(false);
    expect((await effectivePlan(getDb(env.DB), a.profileId, "drive")).id).toBe("plan_drive_free");
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
  const { register, checkout, status } = billingVia(viaStripe);

  it("confirms a returning checkout by reading the session back from Stripe, for its own profile only", async () => {
    const a = await register("studio");
    const { sessionId } = await checkout(a, "plan_cg_pro");
    fake.completeCheckout(sessionId);
    const b = await register("studio");
    const foreign = await viaStripe(`/dashboard/billing?checkout=success&session_id=${sessionId}`, { headers: { cookie: b.cookie } });
    expect(await foreign.text()).toContain("checkout session not found");
    expect((await status(a)).plan.id).toBe("plan_cg_free");

    const page = await viaStripe(`/dashboard/billing?checkout=success&session_id=${sessionId}`, { headers: { cookie: a.cookie } });
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
    const page = await viaStripe(`/dashboard/billing?checkout=success&session_id=${sessionId}`, { headers: { cookie: a.cookie } });
    expect(await page.text()).toContain("still processing");
    expect((await status(a)).plan.id).toBe("plan_drive_free");
  });
});

describe("/dashboard/billing", () => {
  it("redirects to login without a session", async () => {
    await expectLoginRedirect("/dashboard/billing", "/login?next=%2Fdashboard%2Fbilling");
  });
});

it("the fake is only reachable at its own base URL", () => {
  expect(FAKE_STRIPE_BASE).toMatch(/^https:\/\//);
  expect(BASE).toBe("http://localhost");
});

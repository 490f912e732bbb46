import { describe, expect, it } from "vitest";
import { BASE, call, jsonInit, postJson, registerAccount, sessionHeaders } from "../factories";
import { billingVia, deliver, pathOf, payLocally, STRIPE_ENV, useFakeStripe, viaStripe } from "./helpers";

const fake = useFakeStripe();
// The local-test-mode blocks (no Stripe secret) use these; the Stripe-mode blocks bind their own through viaStripe.
const { checkout, status } = billingVia(call);

describe("POST /api/billing/checkout-session (local test mode)", () => {
  it("rejects a plan of another line with 400 plan_mismatch", async () => {
    const a = await registerAccount("studio");
    const res = await postJson("/api/billing/checkout-session", { planId: "plan_drive_plus" }, { "x-api-key": a.key });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "plan_mismatch" });
  });

  it("rejects bad input with 4xx and starts nothing", async () => {
    const a = await registerAccount("studio");
    const h = { "x-api-key": a.key };
    const cases: [unknown, number, string][] = [
      [{}, 400, "invalid_request"],
      [{ planId: "" }, 400, "invalid_request"],
      [{ planId: "x".repeat(101) }, 400, "invalid_request"],
      [{ planId: "plan_nope" }, 400, "unknown_plan"],
      [{ planId: "plan_cg_free" }, 400, "plan_not_billable"],
      [{ planId: "plan_cg_pro", extra: 1 }, 400, "invalid_request"],
      [{ planId: "plan_cg_pro", successUrl: "https://x.example/done" }, 400, "invalid_request"],
      [{ planId: "plan_cg_pro", successUrl: "http://x.example/done?s={CHECKOUT_SESSION_ID}" }, 400, "invalid_request"],
      [{ planId: "plan_cg_pro", successUrl: "not a url {CHECKOUT_SESSION_ID}" }, 400, "invalid_request"],
      [{ planId: "plan_cg_pro", cancelUrl: "javascript:alert(1)" }, 400, "invalid_request"],
      [{ planId: "plan_cg_pro", successUrl: `https://x.example/${"a".repeat(2000)}{CHECKOUT_SESSION_ID}` }, 400, "invalid_request"],
    ];
    for (const [body, code, error] of cases) {
      const res = await postJson("/api/billing/checkout-session", body, h);
      expect(res.status, JSON.stringify(body)).toBe(code);
      expect(await res.json()).toMatchObject({ error });
    }
    const text = await call("/api/billing/checkout-session", { method: "POST", headers: { ...h, "content-type": "text/plain" }, body: "planId=x" });
    expect(text.status).toBe(415);
    expect(await (await call("/api/billing/invoices", { headers: h })).json()).toEqual({ invoices: [], charges: [] });
  });

  it("refuses a second checkout while a paid subscription is in force", async () => {
    const a = await registerAccount("studio");
    await payLocally((await checkout(a, "plan_cg_pro")).url);
    const res = await postJson("/api/billing/checkout-session", { planId: "plan_cg_studio" }, { "x-api-key": a.key });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: "already_subscribed" });
  });
});

describe("local test checkout", () => {
  it("cannot be paid twice, and cancel leaves the plan unchanged", async () => {
    const a = await registerAccount("studio");
    const first = await checkout(a, "plan_cg_pro");
    await payLocally(first.url);
    const again = await call(`${pathOf(first.url)}/pay`, { method: "POST", headers: { origin: BASE } });
    expect(again.status).toBe(409);

    const b = await registerAccount("studio");
    const c = await checkout(b, "plan_cg_pro");
    expect(await payLocally(c.url, "cancel")).toBe("http://localhost/dashboard/billing?checkout=canceled");
    expect(await status(b)).toMatchObject({ plan: { id: "plan_cg_free" }, stripeStatus: "active" });
    expect((await call(`${pathOf(c.url)}/pay`, { method: "POST", headers: { origin: BASE } })).status).toBe(409);
  });
});

describe("POST /api/billing/portal and the local test portal", () => {
  it("answers 409 no_stripe_customer before the first checkout", async () => {
    const a = await registerAccount("studio");
    const res = await postJson("/api/billing/portal", {}, { "x-api-key": a.key });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: "no_stripe_customer" });
    const noBody = await call("/api/billing/portal", { method: "POST", headers: { "x-api-key": a.key } });
    expect(noBody.status).toBe(409);
  });

  it("rejects a bad returnUrl", async () => {
    const a = await registerAccount("studio");
    for (const returnUrl of ["ftp://x.example", "http://x.example/back", 5]) {
      const res = await postJson("/api/billing/portal", { returnUrl }, { "x-api-key": a.key });
      expect(res.status).toBe(400);
    }
  });
});

describe("/dashboard/billing", () => {
  it("shows an error for a bad plan choice and refuses a foreign Origin", async () => {
    const a = await registerAccount("studio");
    const form = (planId: string) => ({ method: "POST", headers: sessionHeaders(a, { "content-type": "application/x-www-form-urlencoded" }), body: new URLSearchParams({ planId }) });
    const bad = await call("/dashboard/billing/checkout", form("plan_drive_plus"));
    expect(bad.status).toBe(409);
    expect(await bad.text()).toContain("Enable drive");
    const csrf = await call("/dashboard/billing/checkout", { ...form("plan_cg_pro"), headers: { cookie: a.cookie, origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" } });
    expect(csrf.status).toBe(403);
    const noCustomer = await call("/dashboard/billing/portal", { method: "POST", headers: sessionHeaders(a) });
    expect(noCustomer.status).toBe(409);
  });
});

describe("checkout through the Stripe SDK", () => {
  const { register, checkout } = billingVia(viaStripe);

  it("accepts each line's key for its own plans only", async () => {
    for (const [type, own, other] of [
      ["studio", "plan_cg_pro", "plan_msg_growth"],
      ["drive", "plan_drive_plus", "plan_cg_pro"],
      ["messaging", "plan_msg_growth", "plan_drive_plus"],
    ] as const) {
      const a = await register(type);
      await checkout(a, own);
      const res = await viaStripe("/api/billing/checkout-session", jsonInit({ planId: other }, { "x-api-key": a.key }));
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
    const res = await viaStripe("/api/billing/checkout-session", jsonInit({ planId: "plan_cg_pro" }, { "x-api-key": a.key }));
    fake.failures = 0;
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ error: "stripe_error" });
  });
});

describe("POST /api/webhooks/stripe", () => {
  const { register, checkout, status } = billingVia(viaStripe);

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
});

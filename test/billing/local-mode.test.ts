import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { effectivePlan } from "../../src/billing/service";
import { getDb } from "../../src/db";
import { BASE, call, postJson, registerAccount, sessionHeaders, type TestAccount } from "../factories";
import { callWith, credits, eligible, STRIPE_ENV, subscriptionRow } from "./helpers";

const pathOf = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};

async function checkout(a: TestAccount, planId: string, extra: Record<string, unknown> = {}) {
  const res = await postJson("/api/billing/checkout-session", { planId, ...extra }, { "x-api-key": a.key });
  expect(res.status).toBe(200);
  return (await res.json()) as { url: string; sessionId: string };
}

/** Pays in the local test checkout page like the browser does; returns the redirect target. */
async function payLocally(url: string, action: "pay" | "cancel" = "pay") {
  const res = await call(`${pathOf(url)}/${action}`, { method: "POST", headers: { origin: BASE }, redirect: "manual" });
  expect(res.status).toBe(303);
  return res.headers.get("location")!;
}

async function status(key: string) {
  const res = await call("/api/billing/status", { headers: { "x-api-key": key } });
  expect(res.status).toBe(200);
  return (await res.json()) as { scope: string; plan: { id: string; name: string; price: number }; stripeStatus: string; currentPeriodEnd: string | null };
}

describe("GET /api/billing/status", () => {
  it("answers for the line of each product key, free plans at price 0 and eligible", async () => {
    const cases = [
      ["studio", "gallery", "plan_cg_free"],
      ["drive", "drive", "plan_drive_free"],
      ["messaging", "messaging", "plan_msg_free"],
    ] as const;
    for (const [type, scope, planId] of cases) {
      const a = await registerAccount(type);
      const s = await status(a.key);
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

describe("POST /api/register with a paid plan (local test mode)", () => {
  it("returns requiresPayment and a checkoutUrl, and the plan is not in force until paid", async () => {
    const a = await registerAccount("studio", { planId: "plan_cg_pro" });
    expect(a.body).toMatchObject({ requiresPayment: true, plan: { id: "plan_cg_pro", price: 15 } });
    expect(String(a.body.checkoutUrl)).toMatch(/^http:\/\/localhost\/billing\/test-checkout\/cs_local_/);
    expect(a.body.checkoutError).toBeUndefined();
    const s = await status(a.key);
    expect(s).toMatchObject({ plan: { id: "plan_cg_pro", price: 15 }, stripeStatus: "incomplete" });
    expect(eligible(s)).toBe(false);
    expect((await effectivePlan(getDb(env.DB), a.profileId, "clientGallery")).id).toBe("plan_cg_free");

    await payLocally(String(a.body.checkoutUrl));
    const paid = await status(a.key);
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

  it("accepts http on localhost for successUrl", async () => {
    const a = await registerAccount("studio");
    const { url } = await checkout(a, "plan_cg_pro", { successUrl: "http://localhost:3000/ok?s={CHECKOUT_SESSION_ID}" });
    expect(await payLocally(url)).toMatch(/^http:\/\/localhost:3000\/ok\?s=cs_local_/);
  });

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

  it("refuses a second checkout while a paid subscription is in force", async () => {
    const a = await registerAccount("studio");
    await payLocally((await checkout(a, "plan_cg_pro")).url);
    const res = await postJson("/api/billing/checkout-session", { planId: "plan_cg_studio" }, { "x-api-key": a.key });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: "already_subscribed" });
  });
});

describe("local test checkout", () => {
  it("completes through the webhook's sync code: status, period end, invoice and charge", async () => {
    const a = await registerAccount("drive");
    const { url, sessionId } = await checkout(a, "plan_drive_plus");
    const next = await payLocally(url);
    expect(next).toBe(`http://localhost/dashboard/billing?checkout=success&session_id=${sessionId}`);
    const s = await status(a.key);
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

  it("cannot be paid twice, and cancel leaves the plan unchanged", async () => {
    const a = await registerAccount("studio");
    const first = await checkout(a, "plan_cg_pro");
    await payLocally(first.url);
    const again = await call(`${pathOf(first.url)}/pay`, { method: "POST", headers: { origin: BASE } });
    expect(again.status).toBe(409);

    const b = await registerAccount("studio");
    const c = await checkout(b, "plan_cg_pro");
    expect(await payLocally(c.url, "cancel")).toBe("http://localhost/dashboard/billing?checkout=canceled");
    expect(await status(b.key)).toMatchObject({ plan: { id: "plan_cg_free" }, stripeStatus: "active" });
    expect((await call(`${pathOf(c.url)}/pay`, { method: "POST", headers: { origin: BASE } })).status).toBe(409);
  });

  it("refuses a cross-site form post and unknown sessions", async () => {
    const a = await registerAccount("studio");
    const { url } = await checkout(a, "plan_cg_pro");
    const csrf = await call(`${pathOf(url)}/pay`, { method: "POST", headers: { origin: "https://evil.example" } });
    expect(csrf.status).toBe(403);
    expect((await status(a.key)).plan.id).toBe("plan_cg_free");
    expect((await call("/billing/test-checkout/cs_local_unknownunknown")).status).toBe(404);
    expect((await call("/billing/test-checkout/cs_local_unknownunknown/pay", { method: "POST", headers: { origin: BASE } })).status).toBe(409);
  });

  it("is off whenever STRIPE_SECRET_KEY is set", async () => {
    const a = await registerAccount("studio");
    const { url } = await checkout(a, "plan_cg_pro");
    expect((await callWith(STRIPE_ENV, pathOf(url))).status).toBe(404);
    expect((await callWith(STRIPE_ENV, `${pathOf(url)}/pay`, { method: "POST", headers: { origin: BASE } })).status).toBe(404);
    expect((await status(a.key)).plan.id).toBe("plan_cg_free");
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
    const pastDue = await status(a.key);
    expect(pastDue).toMatchObject({ plan: { id: "plan_msg_growth" }, stripeStatus: "past_due" });
    expect(eligible(pastDue)).toBe(true);

    expect((await act("cancel")).status).toBe(303);
    const canceled = await status(a.key);
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
    expect(await status(a.key)).toMatchObject({ plan: { id: "plan_cg_studio" }, stripeStatus: "active" });
    expect(await status(b.key)).toMatchObject({ plan: { id: "plan_cg_free" } });
    expect(await (await call("/api/billing/invoices", { headers: { "x-api-key": b.key } })).json()).toEqual({ invoices: [], charges: [] });
    expect((await postJson("/api/billing/portal", {}, { "x-api-key": b.key })).status).toBe(409);
    const aInvoices = (await (await call("/api/billing/invoices", { headers: { "x-api-key": a.key } })).json()) as { invoices: unknown[] };
    expect(aInvoices.invoices).toHaveLength(1);
  });
});

describe("/dashboard/billing", () => {
  it("redirects to login without a session", async () => {
    const res = await call("/dashboard/billing", { redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/login?next=%2Fdashboard%2Fbilling");
  });

  it("shows plans, changes plan through the test checkout and confirms the session on return", async () => {
    const a = await registerAccount("studio");
    const before = await (await call("/dashboard/billing", { headers: sessionHeaders(a) })).text();
    expect(before).toContain("Local test mode");
    expect(before).toContain("storage limit 3 GB");
    expect(before).toContain("No invoices yet.");

    const form = new URLSearchParams({ planId: "plan_cg_pro" });
    const go = await call("/dashboard/billing/checkout", {
      method: "POST",
      headers: sessionHeaders(a, { "content-type": "application/x-www-form-urlencoded" }),
      body: form,
      redirect: "manual",
    });
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

describe("OpenAPI", () => {
  it("documents every billing route", async () => {
    const doc = (await (await call("/api/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths["/api/billing/status"]!)).toContain("get");
    expect(Object.keys(doc.paths["/api/billing/checkout-session"]!)).toContain("post");
    expect(Object.keys(doc.paths["/api/billing/portal"]!)).toContain("post");
    expect(Object.keys(doc.paths["/api/billing/invoices"]!)).toContain("get");
    expect(Object.keys(doc.paths["/api/webhooks/stripe"]!)).toContain("post");
  });
});

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/platform/crypto";
import { BASE, Browser, call, postJson, registerAccount, sessionHeaders, uniqueEmail } from "../factories";
import { connectViaRegister, createPartnerApp, exchange, expectErrorPage, getStart, startUrl } from "./helpers";

describe("GET /api/integrations/connect/start", () => {
  it("shows an error page, never a redirect, for an unknown client", async () => {
    const app = await createPartnerApp("drive");
    await expectErrorPage(await getStart(startUrl({ ...app, clientId: "ci_nope" })), 400);
  });

  it("answers bad parameters with an HTML error page, not JSON", async () => {
    await expectErrorPage(await getStart("/api/integrations/connect/start"), 400);
    const app = await createPartnerApp("drive");
    await expectErrorPage(await getStart(startUrl(app, { product: "photos" })), 400);
    await expectErrorPage(await getStart(startUrl(app, { state: "x".repeat(501) })), 400);
    await expectErrorPage(await getStart(startUrl(app, { code_challenge: "short" })), 400);
  });
});

describe("POST /api/integrations/connect/finalize", () => {
  it("answers 400 connect_not_active without a flow", async () => {
    const user = await registerAccount("drive");
    const res = await call("/api/integrations/connect/finalize", { method: "POST", headers: sessionHeaders(user) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "connect_not_active" });
  });
});

describe("POST /api/integrations/connect/exchange", () => {
  it("answers 400 to an expired code", async () => {
    const app = await createPartnerApp("drive");
    const { code } = await connectViaRegister(app);
    await env.DB.prepare("UPDATE connect_codes SET expires_at = ? WHERE code_hash = ?").bind(Date.now() - 1, await sha256Hex(code)).run();
    const res = await exchange(code, app);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("rejects bad input with 400 and non-JSON with 415", async () => {
    const app = await createPartnerApp("drive");
    for (const body of [{}, { code: "x", client_id: app.clientId }, { code: "", client_id: app.clientId, client_secret: "s" }, { code: "x".repeat(201), client_id: app.clientId, client_secret: "s" }]) {
      const res = await postJson("/api/integrations/connect/exchange", body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: "invalid_request" });
    }
    const form = await call("/api/integrations/connect/exchange", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "code=x" });
    expect(form.status).toBe(415);
  });
});

describe("the documented partner flow", () => {
  it("a cancelled checkout offers to retry; stripe-return needs a session and an active flow", async () => {
    const app = await createPartnerApp("drive");
    const browser = new Browser();
    await browser.fetch(startUrl(app, { plan: "plan_drive_plus" }));
    const anon = await browser.fetch("/integrations/connect/stripe-return?session_id=cs_x");
    expect(anon.status).toBe(303);
    expect(anon.headers.get("location")).toMatch(/^\/login\?next=/);
    const reg = (await (await browser.postJson("/api/register", { email: uniqueEmail("cx"), password: "paid flow pw 1", displayName: "C", accountType: "drive", planId: "plan_drive_plus" })).json()) as { connectRedirect: string };
    const checkout = new URL(reg.connectRedirect, BASE);
    const { res } = await browser.follow(await browser.fetch(`${checkout.pathname}/cancel`, { method: "POST" }));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Try payment again");
    const retry = await browser.postForm("/integrations/connect/continue", {});
    expect(retry.status).toBe(303);
    expect(new URL(retry.headers.get("location")!, BASE).pathname).toMatch(/^\/billing\/test-checkout\//);
    await browser.postForm("/integrations/connect/cancel", {});
    const noFlow = await browser.fetch("/integrations/connect/stripe-return?session_id=cs_x");
    expect(noFlow.status).toBe(400);
    expect((await browser.fetch("/integrations/connect/stripe-return")).status).toBe(400);
  });
});

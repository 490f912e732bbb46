import { describe, expect, it } from "vitest";
import { BASE, Browser, call, fetchUrl, registerAccount, uniqueEmail } from "../factories";
import { connectViaRegister, createPartnerApp, exchange, startUrl, verify } from "./helpers";

const EXCHANGE_FIELDS = [
  "profileId",
  "email",
  "studioId",
  "driveId",
  "apiKey",
  "driveApiKey",
  "messagingApiKey",
  "hasMessagingSubscription",
  "accountKind",
  "plan",
  "state",
].sort();

describe("the documented partner flow", () => {
  it("start -> register -> callback -> exchange -> verify -> billing status, as a partner runs it", async () => {
    const app = await createPartnerApp("drive");
    const browser = new Browser();
    const state = "csrf-" + crypto.randomUUID();
    const start = await browser.fetch(startUrl(app, { state, plan: "plan_drive_free" }));
    expect(start.status).toBe(302);
    expect(start.headers.get("location")).toBe("/register");
    expect(start.headers.get("cache-control")).toBe("no-store");
    const setCookie = start.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^gh_connect=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);

    // The register page names the app and preselects the plan.
    const page = await browser.fetch("/register");
    const html = await page.text();
    expect(html).toContain("connecting your GellHub account to");
    expect(html).toContain("Partner");
    expect(html).toMatch(/<option value="plan_drive_free" selected/);

    const ctx = await browser.fetch("/api/integrations/connect/context");
    expect(await ctx.json()).toEqual({ active: true });

    const email = uniqueEmail("connect");
    const reg = await browser.postJson("/api/register", { email, password: "partner flow pw 1", displayName: "Shop", accountType: "drive", planId: "plan_drive_free" });
    expect(reg.status).toBe(201);
    const regBody = (await reg.json()) as { profileId: string; connectRedirect: string };
    const callback = new URL(regBody.connectRedirect);
    expect(callback.origin + callback.pathname).toBe(app.redirectUri);
    expect(callback.searchParams.get("state")).toBe(state);
    const code = callback.searchParams.get("code")!;
    expect(code.length).toBeGreaterThanOrEqual(43);
    // The cookies are cleared once the code is issued.
    expect(await (await browser.fetch("/api/integrations/connect/context")).json()).toEqual({ active: false });

    const r = await exchange(code, app);
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).toBe("no-store");
    const account = (await r.json()) as Record<string, unknown>;
    expect(Object.keys(account).sort()).toEqual(EXCHANGE_FIELDS);
    expect(account).toMatchObject({
      profileId: regBody.profileId,
      email,
      accountKind: "drive",
      state,
      apiKey: null,
      hasMessagingSubscription: false,
      plan: { scope: "drive", id: "plan_drive_free", price: 0, status: "active" },
    });
    expect(String(account.driveApiKey)).toMatch(/^drv_/);
    expect(String(account.driveId)).toMatch(/^dr_/);

    const link = await verify(regBody.profileId, app);
    expect(link.status).toBe(200);
    expect(link.headers.get("cache-control")).toBe("no-store");
    const linkBody = (await link.json()) as Record<string, unknown>;
    expect(Object.keys(linkBody).sort()).toEqual(["accountKind", "displayName", "email", "hasMessagingSubscription", "linked", "plan", "registered"]);
    expect(linkBody).toMatchObject({
      registered: true,
      linked: true,
      email,
      displayName: "Shop",
      accountKind: "drive",
      hasMessagingSubscription: false,
      plan: { scope: "drive" },
    });

    const bill = await fetchUrl(`${BASE}/api/billing/status`, { headers: { "x-api-key": String(account.driveApiKey) } });
    expect(bill.status).toBe(200);
    expect(await bill.json()).toMatchObject({ scope: "drive", plan: { price: 0 } });

    // The issued key is labelled with the app, beside the user's own default key.
    const keys = (await (await browser.fetch("/api/account/keys")).json()) as { keys: { label: string; partnerAppId: string | null }[] };
    expect(keys.keys.some((k) => k.partnerAppId === app.id && k.label.includes("Partner"))).toBe(true);
    expect(keys.keys.some((k) => k.partnerAppId === null)).toBe(true);
  });

  it("start -> login (existing account) -> callback through POST /api/login's connectRedirect", async () => {
    const app = await createPartnerApp("clientGallery");
    const user = await registerAccount("studio");
    const browser = new Browser();
    const start = await browser.fetch(startUrl(app, { state: "s1", next: "login" }));
    expect(start.headers.get("location")).toBe("/login");
    const loginPage = await (await browser.fetch("/login")).text();
    expect(loginPage).toContain("connecting your GellHub account to");
    const res = await browser.postJson("/api/login", { email: user.email, password: user.password });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { connectRedirect: string };
    const cb = new URL(body.connectRedirect);
    expect(cb.searchParams.get("state")).toBe("s1");
    const account = (await (await exchange(cb.searchParams.get("code")!, app)).json()) as Record<string, unknown>;
    expect(account).toMatchObject({ profileId: user.profileId, accountKind: "studio", driveApiKey: null, plan: { scope: "gallery" } });
    expect(String(account.apiKey)).toMatch(/^sk_/);
    expect(String(account.studioId)).toMatch(/^st_/);
  });

  it("login without connect cookies returns no connectRedirect", async () => {
    const user = await registerAccount("studio");
    const browser = new Browser();
    const res = await browser.postJson("/api/login", { email: user.email, password: user.password });
    expect(await res.json()).not.toHaveProperty("connectRedirect");
  });

  it("the login form posts and lands on the partner callback with a 303", async () => {
    const app = await createPartnerApp("drive");
    const user = await registerAccount("drive");
    const browser = new Browser();
    await browser.fetch(startUrl(app, { state: "form-state", next: "login" }));
    const res = await browser.postForm("/login", { email: user.email, password: user.password });
    expect(res.status).toBe(303);
    const cb = new URL(res.headers.get("location")!);
    expect(cb.origin + cb.pathname).toBe(app.redirectUri);
    expect(cb.searchParams.get("state")).toBe("form-state");
  });

  it("the register form creates the account in the app's line and returns to the partner", async () => {
    const app = await createPartnerApp("drive");
    const browser = new Browser();
    await browser.fetch(startUrl(app, { state: "reg-form" }));
    const html = await (await browser.fetch("/register")).text();
    expect(html).toMatch(/value="studio"[^>]*disabled/);
    const res = await browser.postForm("/register", {
      email: uniqueEmail("form"),
      password: "form password 1",
      displayName: "Form Shop",
      accountType: "drive",
      planId: "",
    });
    expect(res.status).toBe(303);
    const cb = new URL(res.headers.get("location")!);
    expect(cb.searchParams.get("state")).toBe("reg-form");
    const account = (await (await exchange(cb.searchParams.get("code")!, app)).json()) as Record<string, unknown>;
    expect(String(account.driveApiKey)).toMatch(/^drv_/);
  });

  it("a signed-in user sees 'Continue as' and finalize returns the partner URL", async () => {
    const app = await createPartnerApp("drive");
    const user = await registerAccount("drive");
    const browser = new Browser();
    await browser.postJson("/api/login", { email: user.email, password: user.password });
    await browser.fetch(startUrl(app, { state: "again", next: "login" }));
    const page = await (await browser.fetch("/login")).text();
    expect(page).toContain(`Continue as ${user.email}`);
    const fin = await browser.fetch("/api/integrations/connect/finalize", { method: "POST" });
    expect(fin.status).toBe(200);
    const { redirectUrl } = (await fin.json()) as { redirectUrl: string };
    expect(new URL(redirectUrl).searchParams.get("state")).toBe("again");
    // Cookies cleared: a second finalize has nothing to finish.
    const again = await browser.fetch("/api/integrations/connect/finalize", { method: "POST" });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: "connect_not_active" });
  });

  it("the 'Continue as' form on /register and /login finishes with a 303 to the partner", async () => {
    const app = await createPartnerApp("drive");
    const user = await registerAccount("drive");
    const browser = new Browser();
    await browser.postJson("/api/login", { email: user.email, password: user.password });
    await browser.fetch(startUrl(app, { state: "cont" }));
    expect(await (await browser.fetch("/register")).text()).toContain(`Continue as ${user.email}`);
    const res = await browser.postForm("/integrations/connect/continue", {});
    expect(res.status).toBe(303);
    const cb = new URL(res.headers.get("location")!);
    expect(cb.searchParams.get("state")).toBe("cont");
    expect((await exchange(cb.searchParams.get("code")!, app)).status).toBe(200);
  });

  it("cancel leaves the flow without a code", async () => {
    const app = await createPartnerApp("drive");
    const browser = new Browser();
    await browser.fetch(startUrl(app));
    const res = await browser.postForm("/integrations/connect/cancel", {});
    expect(res.status).toBe(303);
    expect(await (await browser.fetch("/api/integrations/connect/context")).json()).toEqual({ active: false });
  });

  it("an existing user of another line gets the app's line enabled on connect", async () => {
    const app = await createPartnerApp("drive");
    const user = await registerAccount("studio");
    const browser = new Browser();
    await browser.fetch(startUrl(app, { next: "login" }));
    const body = (await (await browser.postJson("/api/login", { email: user.email, password: user.password })).json()) as { connectRedirect: string };
    const account = (await (await exchange(new URL(body.connectRedirect).searchParams.get("code")!, app)).json()) as Record<string, unknown>;
    expect(String(account.driveApiKey)).toMatch(/^drv_/);
    expect(String(account.studioId)).toMatch(/^st_/);
    expect(account.apiKey).toBeNull();
  });

  it("issues a messaging key when the account has a messaging subscription", async () => {
    const app = await createPartnerApp("messaging");
    const { code, profileId } = await connectViaRegister(app, "messaging");
    const account = (await (await exchange(code, app)).json()) as Record<string, unknown>;
    expect(account).toMatchObject({ profileId, hasMessagingSubscription: true, accountKind: "messaging", plan: { scope: "messaging" } });
    expect(String(account.messagingApiKey)).toMatch(/^msg_/);
    const v = (await (await verify(profileId, app)).json()) as Record<string, unknown>;
    expect(v.hasMessagingSubscription).toBe(true);
  });

  it("a paid plan goes through checkout and stripe-return before the partner callback", async () => {
    const app = await createPartnerApp("drive");
    const browser = new Browser();
    await browser.fetch(startUrl(app, { state: "paid-state", plan: "plan_drive_plus" }));
    const reg = await browser.postJson("/api/register", {
      email: uniqueEmail("paid"),
      password: "paid flow pw 1",
      displayName: "Paid Shop",
      accountType: "drive",
      planId: "plan_drive_plus",
    });
    expect(reg.status).toBe(201);
    const body = (await reg.json()) as { connectRedirect: string; profileId: string };
    const checkout = new URL(body.connectRedirect, BASE);
    expect(checkout.origin).toBe(BASE); // local test-mode checkout
    // Still connecting: no code was issued before payment.
    expect(await (await browser.fetch("/api/integrations/connect/context")).json()).toEqual({ active: true });

    // stripe-return before paying: not verified, no redirect.
    const sessionId = decodeURIComponent(checkout.pathname.split("/").pop()!);
    const early = await browser.fetch(`/integrations/connect/stripe-return?session_id=${encodeURIComponent(sessionId)}`);
    expect(early.status).toBe(402);

    const checkoutPage = await browser.fetch(checkout.pathname);
    expect(checkoutPage.status).toBe(200);
    const paid = await browser.fetch(`${checkout.pathname}/pay`, { method: "POST" });
    const { external } = await browser.follow(paid);
    expect(external).toBeDefined();
    expect(external!.origin + external!.pathname).toBe(app.redirectUri);
    expect(external!.searchParams.get("state")).toBe("paid-state");
    const account = (await (await exchange(external!.searchParams.get("code")!, app)).json()) as Record<string, unknown>;
    expect(account).toMatchObject({ plan: { scope: "drive", id: "plan_drive_plus", status: "active" } });
    const bill = await call("/api/billing/status", { headers: { "x-api-key": String(account.driveApiKey) } });
    expect(await bill.json()).toMatchObject({ plan: { id: "plan_drive_plus" }, stripeStatus: "active" });
  });
});

describe("GET /api/integrations/connect/start", () => {
  it("returns state unchanged, including characters that need encoding", async () => {
    const app = await createPartnerApp("drive");
    const state = "a b&c=d/é+%20~";
    const { callback } = await connectViaRegister(app, "drive", state);
    expect(callback.searchParams.get("state")).toBe(state);
  });
});

describe("connect cookies", () => {
  it("context answers false without cookies", async () => {
    const res = await call("/api/integrations/connect/context");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ active: false });
  });
});

describe("POST /api/integrations/connect/exchange", () => {
  it("is callable cross-site (server to server) and never cached", async () => {
    const app = await createPartnerApp("drive");
    const { code } = await connectViaRegister(app);
    const res = await fetchUrl(`${BASE}/api/integrations/connect/exchange`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://partner.example.com" },
      body: JSON.stringify({ code, client_id: app.clientId, client_secret: app.clientSecret }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});

import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createPartnerApp, exchange, startUrl } from "../connect/helpers";
import { Browser, call, postJson, registerAccount, sessionHeaders, uniqueEmail } from "../factories";
import { approve, GOOGLE_ENV, provider, useFakeGoogle } from "./fake-google";
import { login, validRegistration as valid } from "./helpers";

useFakeGoogle();

describe("POST /api/register", () => {
  it("creates a studio account and returns apiKey once, with the free plan", async () => {
    const body = valid({ planId: "plan_cg_free", successUrl: "https://yourapp.com/billing/done?sid={CHECKOUT_SESSION_ID}", cancelUrl: "https://yourapp.com/billing/cancel" });
    const res = await postJson("/api/register", body);
    expect(res.status).toBe(201);
    const json = (await res.json()) as Record<string, unknown>;
    expect(json).toMatchObject({ email: body.email, accountType: "studio", requiresPayment: false, plan: { id: "plan_cg_free", price: 0 } });
    expect(String(json.apiKey)).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);
    expect(String(json.studioId)).toMatch(/^st_/);
    expect(json.driveApiKey).toBeUndefined();

    const account = await call("/api/account", { headers: { "x-api-key": String(json.apiKey) } });
    expect(account.status).toBe(200);
    expect(await account.json()).toMatchObject({
      profile: { email: body.email, accountType: "studio" },
      productLines: [{ productLine: "gallery", spaceId: json.studioId, plan: { id: "plan_cg_free" }, status: "active" }],
    });
  });

  it("names the key after the line: driveApiKey for drive, messagingApiKey for messaging", async () => {
    const drive = (await (await postJson("/api/register", valid({ accountType: "drive" }))).json()) as Record<string, unknown>;
    expect(String(drive.driveApiKey)).toMatch(/^drv_/);
    expect(String(drive.driveId)).toMatch(/^dr_/);
    expect(drive.apiKey).toBeUndefined();
    const msg = (await (await postJson("/api/register", valid({ accountType: "messaging" }))).json()) as Record<string, unknown>;
    expect(String(msg.messagingApiKey)).toMatch(/^msg_/);
  });

  it("uses the free plan when planId is omitted, and flags a paid plan as requiring payment", async () => {
    const free = (await (await postJson("/api/register", valid({ accountType: "drive" }))).json()) as { plan: { id: string } };
    expect(free.plan.id).toBe("plan_drive_free");
    const paid = await postJson("/api/register", valid({ accountType: "drive", planId: "plan_drive_plus" }));
    expect(paid.status).toBe(201);
    expect(await paid.json()).toMatchObject({ requiresPayment: true, plan: { id: "plan_drive_plus", price: 8 } });
  });
});

describe("POST /api/login and /api/logout", () => {
  it("signs in and sets an HttpOnly, SameSite=Lax session cookie that authenticates the dashboard API", async () => {
    const a = await registerAccount("drive");
    const res = await login(a.email, a.password);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ profileId: a.profileId, email: a.email });
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^gh_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    const keys = await call("/api/account/keys", { headers: { cookie: cookie.split(";")[0]! } });
    expect(keys.status).toBe(200);
  });

  it("ends the session on logout", async () => {
    const a = await registerAccount("studio");
    const res = await call("/api/logout", { method: "POST", headers: sessionHeaders(a) });
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toMatch(/gh_session=;/);
    expect((await call("/api/account", { headers: { cookie: a.cookie } })).status).toBe(401);
  });
});

describe("Google sign-in (OpenID Connect)", () => {
  it("creates an account for a new verified Google user and signs the browser in", async () => {
    vi.spyOn(globalThis, "fetch").mockImplementation(provider);
    const b = new Browser(GOOGLE_ENV);
    const start = await b.fetch("/api/auth/google");
    expect(start.status).toBe(302);
    expect(b.cookies.has("gh_oidc")).toBe(true);
    const email = uniqueEmail("google");
    const cb = await b.fetch(approve(new URL(start.headers.get("location")!), { sub: `g-${crypto.randomUUID()}`, email, email_verified: true, name: "Gina Google" }));
    expect(cb.status).toBe(302);
    expect(cb.headers.get("location")).toBe("/dashboard");
    expect(b.cookies.has("gh_session")).toBe(true);
    expect(b.cookies.has("gh_oidc")).toBe(false);
    const account = (await (await b.fetch("/api/account")).json()) as { profile: { email: string; displayName: string } };
    expect(account.profile).toMatchObject({ email, displayName: "Gina Google" });
    const row = await env.DB.prepare("SELECT password_hash, google_subject FROM profiles WHERE email = ?").bind(email).first<{ password_hash: string | null; google_subject: string }>();
    expect(row!.password_hash).toBeNull();
    expect(row!.google_subject).toMatch(/^g-/);
  });

  it("links an existing account by verified email and finds it by subject afterwards", async () => {
    vi.spyOn(globalThis, "fetch").mockImplementation(provider);
    const user = await registerAccount("drive");
    const sub = `g-${crypto.randomUUID()}`;
    for (const email of [user.email, "changed-" + user.email]) {
      const b = new Browser(GOOGLE_ENV);
      const start = await b.fetch("/api/auth/google");
      const cb = await b.fetch(approve(new URL(start.headers.get("location")!), { sub, email, email_verified: true }));
      expect(cb.status).toBe(302);
      const account = (await (await b.fetch("/api/account")).json()) as { profile: { id: string } };
      expect(account.profile.id).toBe(user.profileId);
    }
  });

  it("returns to the partner with a code when embedded connect is active", async () => {
    vi.spyOn(globalThis, "fetch").mockImplementation(provider);
    const app = await createPartnerApp("drive");
    const b = new Browser(GOOGLE_ENV);
    expect((await b.fetch(startUrl(app, { state: "g-state" }))).status).toBe(302);
    const page = await (await b.fetch("/register")).text();
    expect(page).toContain('href="/api/auth/google"');
    const start = await b.fetch("/api/auth/google");
    const cb = await b.fetch(approve(new URL(start.headers.get("location")!), { sub: `g-${crypto.randomUUID()}`, email: uniqueEmail("gc"), email_verified: true }));
    expect(cb.status).toBe(302);
    const partner = new URL(cb.headers.get("location")!);
    expect(partner.origin + partner.pathname).toBe(app.redirectUri);
    expect(partner.searchParams.get("state")).toBe("g-state");
    vi.restoreAllMocks();
    const res = await exchange(partner.searchParams.get("code")!, app);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accountKind: "drive" });
  });
});

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/platform/crypto";
import { BASE, Browser, call, callWith, postJson, registerAccount, uniqueEmail } from "../factories";
import { connectViaRegister, createPartnerApp, exchange, expectErrorPage, getStart, keyStatus, sendUntilLimited, startUrl, verify } from "./helpers";

describe("GET /api/integrations/connect/start", () => {
  it("refuses a return_url that is not byte-for-byte a registered one", async () => {
    const app = await createPartnerApp("drive", { redirectUris: ["https://shop.example.com/cb", "http://localhost:3000/cb?env=dev"] });
    const bad = [
      "https://shop.example.com/cb/",
      "https://shop.example.com/CB",
      "https://SHOP.example.com/cb",
      "https://shop.example.com/cb?x=1",
      "https://shop.example.com/cb#frag",
      "https://user@shop.example.com/cb",
      "https://shop.example.com.evil.test/cb",
      "http://shop.example.com/cb",
      "https://shop.example.com:443/cb",
      "http://localhost:3000/cb",
      "http://localhost:3000/cb?env=dev&x=1",
    ];
    for (const url of bad) await expectErrorPage(await getStart(startUrl({ ...app, redirectUri: url })), 400);
    for (const ok of ["https://shop.example.com/cb", "http://localhost:3000/cb?env=dev"]) {
      const res = await getStart(startUrl({ ...app, redirectUri: ok }));
      expect(res.status).toBe(302);
    }
  });

  it("refuses a product or plan the app may not use, and an unknown plan", async () => {
    const app = await createPartnerApp("drive");
    await expectErrorPage(await getStart(startUrl(app, { product: "clientGallery" })), 400);
    await expectErrorPage(await getStart(startUrl(app, { plan: "plan_cg_pro" })), 400);
    await expectErrorPage(await getStart(startUrl(app, { plan: "plan_nope" })), 400);
    expect((await getStart(startUrl(app, { product: "drive", plan: "plan_drive_pro" }))).status).toBe(302);
  });

  it("sends anti-framing, no-referrer and no-store headers", async () => {
    const app = await createPartnerApp("drive");
    for (const res of [await getStart(startUrl(app)), await getStart(startUrl({ ...app, clientId: "ci_nope" }))]) {
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
  });
});

describe("connect cookies", () => {
  it("ignores a forged or tampered connect cookie", async () => {
    const app = await createPartnerApp("drive");
    const b = new Browser();
    await b.fetch(startUrl(app));
    const real = b.cookies.get("gh_connect")!;
    const [h, p, s] = real.split(".");
    const payload = JSON.parse(atob(p!.replace(/-/g, "+").replace(/_/g, "/")));
    payload.flow.returnUrl = "https://evil.test/steal";
    const forgedPayload = btoa(JSON.stringify(payload)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    for (const value of ["garbage", `${h}.${forgedPayload}.${s}`]) {
      const res = await call("/api/integrations/connect/context", { headers: { cookie: `gh_connect=${value}` } });
      expect(await res.json()).toEqual({ active: false });
    }
    const user = await registerAccount("drive");
    const login = await postJson("/api/login", { email: user.email, password: user.password }, { origin: BASE, cookie: `gh_connect=${h}.${forgedPayload}.${s}` });
    expect(await login.json()).not.toHaveProperty("connectRedirect");
  });
});

describe("connect cookie outside localhost", () => {
  it("is Secure and signed with CONNECT_COOKIE_SECRET; without a secret start refuses to run", async () => {
    const app = await createPartnerApp("drive");
    const url = `https://gellhub.example.test${startUrl(app)}`;
    const withSecret = { CONNECT_COOKIE_SECRET: "s".repeat(40) };
    const res = await callWith(withSecret, url, { redirect: "manual" });
    expect(res.status).toBe(302);
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^gh_connect=/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/HttpOnly/);
    // A cookie signed with another secret (here: the localhost fallback) is not accepted.
    const local = await call(startUrl(app), { redirect: "manual" });
    const forged = local.headers.get("set-cookie")!.split(";")[0]!;
    const ctx = await callWith(withSecret, "https://gellhub.example.test/api/integrations/connect/context", { headers: { cookie: forged } });
    expect(await ctx.json()).toEqual({ active: false });
    const noSecret = await callWith({}, url, { redirect: "manual" });
    expect(noSecret.status).toBe(500);
    expect(noSecret.headers.get("set-cookie")).toBeNull();
  });
});

describe("POST /api/integrations/connect/finalize", () => {
  it("needs a session and refuses a cross-site request", async () => {
    expect((await call("/api/integrations/connect/finalize", { method: "POST" })).status).toBe(401);
    const user = await registerAccount("drive");
    const res = await call("/api/integrations/connect/finalize", { method: "POST", headers: { cookie: user.cookie, origin: "https://evil.test" } });
    expect(res.status).toBe(403);
  });
});

describe("POST /api/integrations/connect/exchange", () => {
  it("stores codes and secrets only as SHA-256 hashes", async () => {
    const app = await createPartnerApp("drive");
    const { code } = await connectViaRegister(app);
    const byRaw = await env.DB.prepare("SELECT count(*) AS n FROM connect_codes WHERE code_hash = ?").bind(code).first<{ n: number }>();
    const byHash = await env.DB.prepare("SELECT count(*) AS n, max(expires_at - created_at) AS ttl FROM connect_codes WHERE code_hash = ?")
      .bind(await sha256Hex(code))
      .first<{ n: number; ttl: number }>();
    expect(byRaw!.n).toBe(0);
    expect(byHash!.n).toBe(1);
    expect(byHash!.ttl).toBeLessThanOrEqual(10 * 60_000);
    const row = await env.DB.prepare("SELECT client_secret_hash FROM partner_apps WHERE id = ?").bind(app.id).first<{ client_secret_hash: string }>();
    expect(row!.client_secret_hash).toBe(await sha256Hex(app.clientSecret));
    expect(app.clientSecret.length).toBeGreaterThanOrEqual(3 + 43);
  });

  it("answers 401 to a wrong secret or unknown client and leaves the code redeemable", async () => {
    const app = await createPartnerApp("drive");
    const { code } = await connectViaRegister(app);
    const wrong = await exchange(code, { clientId: app.clientId, clientSecret: app.clientSecret + "x" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("cache-control")).toBe("no-store");
    expect(await wrong.json()).toMatchObject({ error: "invalid_client" });
    expect((await exchange(code, { clientId: "ci_unknown", clientSecret: app.clientSecret })).status).toBe(401);
    const ok = await exchange(code, app);
    expect(ok.status).toBe(200);
  });

  it("answers 400 to another app's valid credentials, and the code stays with its app", async () => {
    const app = await createPartnerApp("drive");
    const other = await createPartnerApp("drive");
    const { code } = await connectViaRegister(app);
    const res = await exchange(code, other);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid_grant" });
    expect((await exchange(code, app)).status).toBe(200);
  });

  it("answers 400 to a reused code and revokes only the keys the first exchange issued", async () => {
    const app = await createPartnerApp("drive");
    const otherApp = await createPartnerApp("drive");
    const reg = await connectViaRegister(app);
    const first = (await (await exchange(reg.code, app)).json()) as { driveApiKey: string };
    // The same user connects a second app: its key must survive the first app's replay.
    await reg.browser.fetch(startUrl(otherApp, { next: "login" }));
    const fin = (await (await reg.browser.fetch("/api/integrations/connect/finalize", { method: "POST" })).json()) as { redirectUrl: string };
    const second = (await (await exchange(new URL(fin.redirectUrl).searchParams.get("code")!, otherApp)).json()) as { driveApiKey: string };
    const keys = (await (await reg.browser.fetch("/api/account/keys")).json()) as { keys: { id: string; partnerAppId: string | null }[] };
    const ownKeyCount = keys.keys.filter((k) => k.partnerAppId === null).length;
    expect(ownKeyCount).toBeGreaterThan(0);

    expect(await keyStatus(first.driveApiKey)).toBe(200);
    const replay = await exchange(reg.code, app);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: "invalid_grant" });
    expect(await keyStatus(first.driveApiKey)).toBe(401);
    expect(await keyStatus(second.driveApiKey)).toBe(200);
    const after = (await (await reg.browser.fetch("/api/account/keys")).json()) as { keys: { partnerAppId: string | null }[] };
    expect(after.keys.filter((k) => k.partnerAppId === null).length).toBe(ownKeyCount);
  });

  it("lets exactly one of several parallel redemptions succeed", async () => {
    const app = await createPartnerApp("drive");
    const { code } = await connectViaRegister(app);
    const results = await Promise.all(Array.from({ length: 8 }, () => exchange(code, app)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(7);
  });

  it("rate-limits per client with 429 and Retry-After", async () => {
    const app = await createPartnerApp("drive");
    // Fixed one-minute windows: a run crossing a boundary may need up to twice the limit.
    const { last, sent } = await sendUntilLimited(() => exchange("nope", app), 2 * 60 + 1);
    expect(last!.status).toBe(429);
    expect(sent).toBeGreaterThan(60);
    expect(last!.headers.get("retry-after")).toMatch(/^\d+$/);
    // Another client is not affected.
    const other = await createPartnerApp("drive");
    expect((await exchange("nope", other)).status).toBe(400);
  });

  it("does not let anyone holding the public client_id exhaust the partner's quota", async () => {
    const app = await createPartnerApp("drive");
    const { code } = await connectViaRegister(app);
    for (let i = 0; i < 70; i++) {
      expect((await exchange(code, { clientId: app.clientId, clientSecret: "cs_guess" })).status).toBe(401);
    }
    expect((await exchange(code, app)).status).toBe(200);
  });

  it("enforces PKCE when the partner sent a code_challenge to start", async () => {
    const app = await createPartnerApp("drive");
    const verifier = "v".repeat(20) + crypto.randomUUID().replace(/-/g, "");
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
    const challenge = btoa(String.fromCharCode(...digest)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    const codeFor = async () => {
      const b = new Browser();
      await b.fetch(startUrl(app, { code_challenge: challenge, code_challenge_method: "S256" }));
      const user = await registerAccount("drive");
      const body = (await (await b.postJson("/api/login", { email: user.email, password: user.password })).json()) as { connectRedirect: string };
      return new URL(body.connectRedirect).searchParams.get("code")!;
    };
    const pkce = (code: string, code_verifier?: string) =>
      postJson("/api/integrations/connect/exchange", { code, client_id: app.clientId, client_secret: app.clientSecret, code_verifier });
    expect((await exchange(await codeFor(), app)).status).toBe(400);
    expect((await pkce(await codeFor(), "w".repeat(50))).status).toBe(400);
    expect((await pkce(await codeFor(), verifier)).status).toBe(200);
  });
});

describe("POST /api/integrations/connect/verify", () => {
  it("answers 404 for a profile never linked to the calling app, even if linked to another", async () => {
    const app = await createPartnerApp("drive");
    const other = await createPartnerApp("drive");
    const { profileId } = await connectViaRegister(app);
    const stranger = await registerAccount("drive");
    for (const [pid, a] of [[stranger.profileId, app], [profileId, other], ["pr_missing", app]] as const) {
      const res = await verify(pid, a);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: "not_linked" });
    }
    expect((await verify(profileId, app)).status).toBe(200);
  });

  it("answers 401 to a wrong secret and 400 to bad input", async () => {
    const app = await createPartnerApp("drive");
    const { profileId } = await connectViaRegister(app);
    expect((await verify(profileId, { clientId: app.clientId, clientSecret: "cs_wrong" })).status).toBe(401);
    const bad = await postJson("/api/integrations/connect/verify", { profile_id: profileId, client_id: app.clientId });
    expect(bad.status).toBe(400);
  });

  it("rate-limits per client", async () => {
    const app = await createPartnerApp("drive");
    const { last, sent } = await sendUntilLimited(() => verify("pr_x", app), 2 * 120 + 1);
    expect(last!.status).toBe(429);
    expect(sent).toBeGreaterThan(120);
  });
});

describe("the documented partner flow", () => {
  it("stripe-return refuses another profile's checkout session", async () => {
    const app = await createPartnerApp("drive");
    const a = new Browser();
    await a.fetch(startUrl(app, { plan: "plan_drive_plus" }));
    const ra = (await (await a.postJson("/api/register", { email: uniqueEmail("pa"), password: "paid flow pw 1", displayName: "A", accountType: "drive", planId: "plan_drive_plus" })).json()) as { connectRedirect: string };
    const sessionA = new URL(ra.connectRedirect, BASE).pathname.split("/").pop()!;
    await a.fetch(`/billing/test-checkout/${sessionA}/pay`, { method: "POST" });

    const b = new Browser();
    await b.fetch(startUrl(app, { plan: "plan_drive_plus" }));
    await b.postJson("/api/register", { email: uniqueEmail("pb"), password: "paid flow pw 1", displayName: "B", accountType: "drive", planId: "plan_drive_plus" });
    const res = await b.fetch(`/integrations/connect/stripe-return?session_id=${sessionA}`);
    expect(res.status).toBe(404);
    expect(res.headers.get("location")).toBeNull();
  });
});

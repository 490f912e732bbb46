import { env, exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { authenticate, LOGIN_LIMIT_PER_EMAIL } from "../../src/accounts/service";
import { getDb } from "../../src/db";
import { createSession, resolveSession, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from "../../src/platform/auth";
import { Browser, call, postJson, registerAccount, uniqueEmail } from "../factories";
import { approve, GOOGLE_ENV, provider, rogueKey, useFakeGoogle } from "./fake-google";
import { login, validRegistration as valid } from "./helpers";

useFakeGoogle();

describe("registration secrets", () => {
  it("signs in a same-site browser but gives a cross-site caller no cookie", async () => {
    const same = await postJson("/api/register", valid(), { origin: "http://localhost" });
    expect(same.headers.get("set-cookie")).toMatch(/gh_session=/);
    const cross = await postJson("/api/register", valid(), { origin: "https://partner.example.com" });
    expect(cross.status).toBe(201);
    expect(cross.headers.get("set-cookie")).toBeNull();
  });

  it("stores the password as PBKDF2-SHA256 at 100,000 iterations and the key only as a hash", async () => {
    const a = await registerAccount("studio");
    const profile = await env.DB.prepare("SELECT password_hash FROM profiles WHERE id = ?").bind(a.profileId).first<{ password_hash: string }>();
    expect(profile!.password_hash).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(profile!.password_hash).not.toContain(a.password);
    const keys = await env.DB.prepare("SELECT * FROM api_keys WHERE profile_id = ?").bind(a.profileId).all();
    expect(JSON.stringify(keys.results)).not.toContain(a.key);
    const digest = [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(a.key)))]
      .map((b) => b.toString(16).padStart(2, "0"))
      .join("");
    expect(keys.results.map((k) => k.key_hash)).toContain(digest);
    expect(keys.results[0]).toMatchObject({ last4: a.key.slice(-4), display_prefix: a.key.slice(0, 7) });
  });
});

describe("POST /api/login", () => {
  it("marks the cookie Secure on a non-localhost origin", async () => {
    const a = await registerAccount("drive");
    const res = await exports.default.fetch(
      new Request("https://app.gellhub.test/api/login", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "https://app.gellhub.test" },
        body: JSON.stringify({ email: a.email, password: a.password }),
      }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toMatch(/Secure/);
  });

  it("gives a wrong password and an unknown email the same 401", async () => {
    const a = await registerAccount("studio");
    const wrong = await login(a.email, "not the password");
    const unknown = await login(uniqueEmail("ghost"), "not the password");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [w, u] = [(await wrong.json()) as Record<string, unknown>, (await unknown.json()) as Record<string, unknown>];
    expect(w.error).toBe("invalid_credentials");
    expect({ ...w, requestId: 0 }).toEqual({ ...u, requestId: 0 });
  });

  it("rate-limits attempts per email: attempt N+1 in the window gets 429 with Retry-After, even with the right password", async () => {
    const a = await registerAccount("studio");
    for (let i = 0; i < LOGIN_LIMIT_PER_EMAIL; i++) expect((await login(a.email, "wrong password")).status).toBe(401);
    const blocked = await login(a.email, a.password);
    expect(blocked.status).toBe(429);
    expect(await blocked.json()).toMatchObject({ error: "too_many_attempts" });
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("limits per IP across many emails, and the window ends (no permanent lockout)", async () => {
    const db = getDb(env.DB);
    const ip = `203.0.113.${Math.floor(Math.random() * 250)}`;
    const t0 = Date.UTC(2030, 0, 1);
    let blockedAt = -1;
    for (let i = 0; i < 60; i++) {
      try {
        await authenticate(db, uniqueEmail("spray"), "whatever", ip, t0);
      } catch (err) {
        if ((err as { code?: string }).code === "too_many_attempts") {
          blockedAt = i;
          break;
        }
      }
    }
    expect(blockedAt).toBe(50);
    const a = await registerAccount("studio");
    await expect(authenticate(db, a.email, a.password, ip, t0 + 1000)).rejects.toMatchObject({ code: "too_many_attempts" });
    await expect(authenticate(db, a.email, a.password, ip, t0 + 16 * 60_000)).resolves.toMatchObject({ id: a.profileId });
  });

  it("refuses a login posted from a foreign Origin, or cross-site without Origin", async () => {
    const a = await registerAccount("studio");
    const foreign = await login(a.email, a.password, { origin: "https://evil.example.com" });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: "origin_not_allowed" });
    const crossSite = await postJson("/api/login", { email: a.email, password: a.password }, { "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
  });

  it("rotates the session at login: the cookie sent with the login stops working", async () => {
    const a = await registerAccount("studio");
    const res = await login(a.email, a.password, { cookie: a.cookie });
    const fresh = res.headers.get("set-cookie")!.split(";")[0]!;
    expect(fresh).not.toBe(a.cookie);
    expect((await call("/api/account", { headers: { cookie: a.cookie } })).status).toBe(401);
    expect((await call("/api/account", { headers: { cookie: fresh } })).status).toBe(200);
  });
});

describe("POST /api/logout and session expiry", () => {
  it("refuses a logout from a foreign Origin (and the session survives)", async () => {
    const a = await registerAccount("studio");
    const res = await call("/api/logout", { method: "POST", headers: { cookie: a.cookie, origin: "https://evil.example.com" } });
    expect(res.status).toBe(403);
    expect((await call("/api/account", { headers: { cookie: a.cookie } })).status).toBe(200);
  });

  it("expires a session after the idle timeout and after the absolute lifetime", async () => {
    const db = getDb(env.DB);
    const a = await registerAccount("studio");
    const t0 = Date.UTC(2031, 0, 1);
    const idle = await createSession(db, a.profileId, t0);
    expect(await resolveSession(db, idle, t0 + SESSION_IDLE_MS - 1)).toBe(a.profileId);
    expect(await resolveSession(db, idle, t0 + 2 * SESSION_IDLE_MS)).toBeNull();

    const busy = await createSession(db, a.profileId, t0);
    let t = t0;
    while (t + SESSION_IDLE_MS / 2 < t0 + SESSION_ABSOLUTE_MS) {
      t += SESSION_IDLE_MS / 2;
      expect(await resolveSession(db, busy, t)).toBe(a.profileId);
    }
    expect(await resolveSession(db, busy, t0 + SESSION_ABSOLUTE_MS)).toBeNull();
  });

  it("stores sessions only as hashes", async () => {
    const a = await registerAccount("studio");
    const raw = a.cookie.split("=")[1]!;
    const rows = await env.DB.prepare("SELECT * FROM sessions WHERE profile_id = ?").bind(a.profileId).all();
    expect(rows.results.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows.results)).not.toContain(raw);
  });
});

describe("Google sign-in (OpenID Connect)", () => {
  it("refuses a mismatched state, a missing cookie and a provider error without signing in", async () => {
    vi.spyOn(globalThis, "fetch").mockImplementation(provider);
    const b = new Browser(GOOGLE_ENV);
    const start = await b.fetch("/api/auth/google");
    const claims = { sub: "g-x", email: uniqueEmail("gx"), email_verified: true };
    const bad = await b.fetch(approve(new URL(start.headers.get("location")!), claims, { state: "forged" }));
    expect(bad.status).toBe(400);
    expect(b.cookies.has("gh_session")).toBe(false);
    const fresh = new Browser(GOOGLE_ENV);
    const noCookie = await fresh.fetch(approve(new URL(start.headers.get("location")!), claims));
    expect(noCookie.status).toBe(400);
    const c = new Browser(GOOGLE_ENV);
    await c.fetch("/api/auth/google");
    expect((await c.fetch("/api/auth/google/callback?error=access_denied&state=x")).status).toBe(400);
    expect(c.cookies.has("gh_session")).toBe(false);
  });

  it("rejects ID tokens with a foreign signature, audience or issuer, and unverified emails", async () => {
    vi.spyOn(globalThis, "fetch").mockImplementation(provider);
    const tweaks = [{ key: rogueKey() }, { aud: "someone-else" }, { iss: "https://evil.example.test" }];
    for (const tweak of tweaks) {
      const b = new Browser(GOOGLE_ENV);
      const start = await b.fetch("/api/auth/google");
      const res = await b.fetch(approve(new URL(start.headers.get("location")!), { sub: "g-t", email: uniqueEmail("gt"), email_verified: true }, tweak));
      expect(res.status).toBe(400);
      expect(b.cookies.has("gh_session")).toBe(false);
    }
    const b = new Browser(GOOGLE_ENV);
    const start = await b.fetch("/api/auth/google");
    const res = await b.fetch(approve(new URL(start.headers.get("location")!), { sub: "g-u", email: uniqueEmail("gu"), email_verified: false }));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("not verified");
  });
});

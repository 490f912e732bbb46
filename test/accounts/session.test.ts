import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { authenticate, LOGIN_LIMIT_PER_EMAIL } from "../../src/accounts/service";
import { getDb } from "../../src/db";
import { createSession, resolveSession, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from "../../src/platform/auth";
import { BASE, call, postJson, registerAccount, sessionHeaders, uniqueEmail } from "../factories";

const login = (email: string, password: string, headers: Record<string, string> = {}) =>
  postJson("/api/login", { email, password }, { origin: BASE, ...headers });

describe("POST /api/login", () => {
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

  it("marks the cookie Secure on a non-localhost origin", async () => {
    const a = await registerAccount("drive");
    const res = await (await import("cloudflare:workers")).exports.default.fetch(
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

  it.each([
    ["no body fields", {}],
    ["a non-string password", { email: "a@b.co", password: 12345678 }],
    ["an oversized password", { email: "a@b.co", password: "x".repeat(129) }],
  ])("rejects %s with 400", async (_n, body) => {
    const res = await postJson("/api/login", body, { origin: BASE });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid_request" });
  });
});

describe("POST /api/logout and session expiry", () => {
  it("ends the session on logout", async () => {
    const a = await registerAccount("studio");
    const res = await call("/api/logout", { method: "POST", headers: sessionHeaders(a) });
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toMatch(/gh_session=;/);
    expect((await call("/api/account", { headers: { cookie: a.cookie } })).status).toBe(401);
  });

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

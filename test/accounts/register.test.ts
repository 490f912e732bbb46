import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, postJson, registerAccount, uniqueEmail } from "../factories";

const valid = (extra: Record<string, unknown> = {}) => ({
  email: uniqueEmail("reg"),
  password: "a long enough password",
  displayName: "My Studio",
  accountType: "studio",
  ...extra,
});

async function profileCount(email: string) {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM profiles WHERE email = ?").bind(email.toLowerCase()).first<{ n: number }>();
  return row!.n;
}

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

  it("refuses a duplicate email (any case) with 409 email_taken", async () => {
    const a = await registerAccount("studio");
    const res = await postJson("/api/register", valid({ email: a.email.toUpperCase() }));
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: "email_taken" });
  });

  it("creates one account when the same email registers twice at once", async () => {
    const body = valid();
    const results = await Promise.all([postJson("/api/register", body), postJson("/api/register", body), postJson("/api/register", body)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(await profileCount(body.email)).toBe(1);
  });

  it("refuses a plan of another line with 400 plan_mismatch and writes nothing", async () => {
    const body = valid({ accountType: "studio", planId: "plan_drive_plus" });
    const res = await postJson("/api/register", body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "plan_mismatch" });
    expect(await profileCount(body.email)).toBe(0);
  });

  it("refuses an unknown plan with 400 unknown_plan", async () => {
    const res = await postJson("/api/register", valid({ planId: "plan_nope" }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "unknown_plan" });
  });

  it.each([
    ["a missing email", { email: undefined }],
    ["a malformed email", { email: "not-an-email" }],
    ["a short password", { password: "short" }],
    ["an oversized password", { password: "x".repeat(129) }],
    ["an oversized display name", { displayName: "x".repeat(101) }],
    ["an empty display name", { displayName: "   " }],
    ["an unknown account type", { accountType: "photographer" }],
    ["a wrong type", { accountType: 7 }],
    ["a non-https success URL", { successUrl: "http://evil.example.com/done" }],
    ["a javascript: cancel URL", { cancelUrl: "javascript:alert(1)" }],
    ["an unknown field", { role: "staff" }],
  ])("rejects %s with 400 invalid_request and writes nothing", async (_name, patch) => {
    const body = valid(patch);
    const res = await postJson("/api/register", body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: string; detail: unknown };
    expect(json.error).toBe("invalid_request");
    expect(json.detail).toBeTruthy();
    if (typeof body.email === "string" && body.email.includes("@")) expect(await profileCount(body.email)).toBe(0);
  });

  it("rejects malformed JSON with 400 invalid_json", async () => {
    const res = await call("/api/register", { method: "POST", headers: { "content-type": "application/json" }, body: '{"email":' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid_json" });
  });

  it("rejects a form-encoded body with 415", async () => {
    const res = await call("/api/register", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "email=a@b.co&password=12345678",
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: "unsupported_media_type" });
  });

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

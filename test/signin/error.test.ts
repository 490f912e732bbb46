import { describe, expect, it } from "vitest";
import { BASE, Browser, call, postJson, registerAccount } from "../factories";
import { GOOGLE_ENV } from "./fake-google";
import { profileCount, validRegistration as valid } from "./helpers";

describe("POST /api/register", () => {
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
});

describe("POST /api/login", () => {
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

describe("Google sign-in (OpenID Connect)", () => {
  it("is hidden and answers 404 when not configured", async () => {
    const b = new Browser({});
    expect((await b.fetch("/api/auth/google")).status).toBe(404);
    expect((await b.fetch("/api/auth/google/callback?code=x&state=y")).status).toBe(404);
    expect(await (await b.fetch("/login")).text()).not.toContain("/api/auth/google");
    const configured = new Browser(GOOGLE_ENV);
    expect(await (await configured.fetch("/login")).text()).toContain("/api/auth/google");
  });
});

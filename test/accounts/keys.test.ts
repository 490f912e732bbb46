import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db";
import type { AppEnv } from "../../src/env";
import { requireApiKey, requireSession } from "../../src/platform/auth";
import { ApiError } from "../../src/platform/errors";
import { call, postJson, registerAccount, sessionHeaders } from "../factories";

/** A probe app with the real middleware and DB: one route per product line, one session route. */
function probe() {
  const app = new Hono<AppEnv>();
  app.use("*", async (c, next) => {
    c.set("db", getDb(env.DB));
    await next();
  });
  app.get("/drive", requireApiKey("drive"), (c) => c.json(c.var.auth));
  app.get("/gallery", requireApiKey("gallery"), (c) => c.json(c.var.auth));
  app.get("/session", requireSession(), (c) => c.json(c.var.auth));
  app.onError((err, c) => (err instanceof ApiError ? c.json({ error: err.code }, err.status) : c.json({ error: "internal" }, 500)));
  return (path: string, headers: Record<string, string>) => app.request(path, { headers }, env);
}

describe("x-api-key middleware", () => {
  it("resolves a key to its profile and line", async () => {
    const a = await registerAccount("drive");
    const res = await probe()("/drive", { "x-api-key": a.key });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ profileId: a.profileId, product: "drive", via: "apiKey" });
  });

  it("answers 403 wrong_key_type for a key of another line", async () => {
    const a = await registerAccount("drive");
    const res = await probe()("/gallery", { "x-api-key": a.key });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: "wrong_key_type" });
  });

  it("answers 401 for a missing, unknown or tampered key", async () => {
    const a = await registerAccount("drive");
    const p = probe();
    expect(await (await p("/drive", {})).json()).toEqual({ error: "missing_api_key" });
    expect((await p("/drive", { "x-api-key": "drv_" + "A".repeat(43) })).status).toBe(401);
    const tampered = a.key.slice(0, -1) + (a.key.endsWith("A") ? "B" : "A");
    expect(await (await p("/drive", { "x-api-key": tampered })).json()).toEqual({ error: "invalid_api_key" });
  });

  it("never lets a session cookie authenticate a key route, nor a key a session route", async () => {
    const a = await registerAccount("drive");
    const p = probe();
    expect((await p("/drive", { cookie: a.cookie })).status).toBe(401);
    expect((await p("/session", { "x-api-key": a.key })).status).toBe(401);
    expect((await call("/api/account/keys", { headers: { "x-api-key": a.key } })).status).toBe(401);
  });
});

describe("dashboard key management", () => {
  it("creates a key shown once in full, then listed by prefix and last 4 only", async () => {
    const a = await registerAccount("studio");
    const res = await postJson("/api/account/keys", { productLine: "gallery", label: "Website" }, sessionHeaders(a));
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; key: string; last4: string; displayPrefix: string };
    expect(created.key).toMatch(/^sk_/);
    expect((await call("/api/account", { headers: { "x-api-key": created.key } })).status).toBe(200);

    const list = (await (await call("/api/account/keys", { headers: sessionHeaders(a) })).json()) as { keys: Record<string, unknown>[] };
    expect(list.keys).toHaveLength(2);
    expect(JSON.stringify(list)).not.toContain(created.key);
    expect(list.keys.find((k) => k.id === created.id)).toMatchObject({ label: "Website", last4: created.key.slice(-4) });
  });

  it("holds several keys per line; revoking one leaves the others working", async () => {
    const a = await registerAccount("studio");
    const k2 = (await (await postJson("/api/account/keys", { productLine: "gallery" }, sessionHeaders(a))).json()) as { id: string; key: string };
    const res = await call(`/api/account/keys/${k2.id}`, { method: "DELETE", headers: sessionHeaders(a) });
    expect(res.status).toBe(200);
    expect((await call("/api/account", { headers: { "x-api-key": k2.key } })).status).toBe(401);
    expect((await call("/api/account", { headers: { "x-api-key": a.key } })).status).toBe(200);
  });

  it("rotates a key: the old one stops at once, the new one works", async () => {
    const a = await registerAccount("messaging");
    const list = (await (await call("/api/account/keys", { headers: sessionHeaders(a) })).json()) as { keys: { id: string }[] };
    const res = await call(`/api/account/keys/${list.keys[0]!.id}/rotate`, { method: "POST", headers: sessionHeaders(a) });
    expect(res.status).toBe(200);
    const rotated = (await res.json()) as { key: string; productLine: string };
    expect(rotated.productLine).toBe("messaging");
    expect((await call("/api/account", { headers: { "x-api-key": a.key } })).status).toBe(401);
    expect((await call("/api/account", { headers: { "x-api-key": rotated.key } })).status).toBe(200);
  });

  it("refuses a key for a line the account does not have, until it is enabled", async () => {
    const a = await registerAccount("studio");
    const before = await postJson("/api/account/keys", { productLine: "drive" }, sessionHeaders(a));
    expect(before.status).toBe(409);
    expect(await before.json()).toMatchObject({ error: "product_line_not_enabled" });

    const enable = await postJson("/api/account/product-lines", { productLine: "drive" }, sessionHeaders(a));
    expect(enable.status).toBe(201);
    const { key } = (await enable.json()) as { key: string };
    const account = (await (await call("/api/account", { headers: { "x-api-key": key } })).json()) as { productLines: { productLine: string }[] };
    expect(account.productLines.map((l) => l.productLine)).toEqual(["gallery", "drive"]);
    const again = await postJson("/api/account/product-lines", { productLine: "drive" }, sessionHeaders(a));
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: "product_line_exists" });
  });

  it.each([
    ["an unknown product line", { productLine: "photos" }],
    ["an oversized label", { productLine: "gallery", label: "x".repeat(61) }],
    ["an extra field", { productLine: "gallery", profileId: "pr_x" }],
  ])("rejects %s with 400", async (_n, body) => {
    const a = await registerAccount("studio");
    const res = await postJson("/api/account/keys", body, sessionHeaders(a));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid_request" });
  });

  it("needs a session and a same-site Origin", async () => {
    const a = await registerAccount("studio");
    expect((await postJson("/api/account/keys", { productLine: "gallery" })).status).toBe(401);
    const foreign = await postJson("/api/account/keys", { productLine: "gallery" }, { cookie: a.cookie, origin: "https://evil.example.com" });
    expect(foreign.status).toBe(403);
  });
});

describe("tenant isolation of keys and accounts", () => {
  it("never lets account B list, rotate or revoke account A's keys", async () => {
    const a = await registerAccount("studio");
    const b = await registerAccount("studio");
    const aKeys = (await (await call("/api/account/keys", { headers: sessionHeaders(a) })).json()) as { keys: { id: string }[] };
    const aKeyId = aKeys.keys[0]!.id;

    const bList = (await (await call("/api/account/keys", { headers: sessionHeaders(b) })).json()) as { keys: { id: string }[] };
    expect(bList.keys.map((k) => k.id)).not.toContain(aKeyId);
    const rotate = await call(`/api/account/keys/${aKeyId}/rotate`, { method: "POST", headers: sessionHeaders(b) });
    expect(rotate.status).toBe(404);
    const revoke = await call(`/api/account/keys/${aKeyId}`, { method: "DELETE", headers: sessionHeaders(b) });
    expect(revoke.status).toBe(404);
    expect((await call("/api/account", { headers: { "x-api-key": a.key } })).status).toBe(200);
  });

  it("shows each key and session only its own account", async () => {
    const a = await registerAccount("studio");
    const b = await registerAccount("drive");
    const viaKey = (await (await call("/api/account", { headers: { "x-api-key": b.key } })).json()) as { profile: { id: string } };
    const viaSession = (await (await call("/api/account", { headers: { cookie: a.cookie } })).json()) as { profile: { id: string } };
    expect(viaKey.profile.id).toBe(b.profileId);
    expect(viaSession.profile.id).toBe(a.profileId);
  });
});

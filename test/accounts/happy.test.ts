import { describe, expect, it } from "vitest";
import { call, postJson, registerAccount, sessionHeaders } from "../factories";
import { probe } from "./helpers";

describe("x-api-key middleware", () => {
  it("resolves a key to its profile and line", async () => {
    const a = await registerAccount("drive");
    const res = await probe()("/drive", { "x-api-key": a.key });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ profileId: a.profileId, product: "drive", via: "apiKey" });
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
});

describe("product lines", () => {
  it("enables a second line on an account: its key works there and a second key can be made for it", async () => {
    const a = await registerAccount("drive");
    const enable = await postJson("/api/account/product-lines", { productLine: "messaging" }, sessionHeaders(a));
    expect(enable.status).toBe(201);
    const { key } = (await enable.json()) as { key: string };
    expect(key).toMatch(/^msg_/);
    const status = await call("/api/billing/status", { headers: { "x-api-key": key } });
    expect(await status.json()).toMatchObject({ scope: "messaging", plan: { price: 0 } });
    const more = await postJson("/api/account/keys", { productLine: "messaging", label: "CI" }, sessionHeaders(a));
    expect(more.status).toBe(201);
    const account = (await (await call("/api/account", { headers: { "x-api-key": a.key } })).json()) as { productLines: { productLine: string }[] };
    expect(account.productLines.map((l) => l.productLine)).toEqual(["drive", "messaging"]);
  });
});

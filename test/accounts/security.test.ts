import { describe, expect, it } from "vitest";
import { call, postJson, registerAccount, sessionHeaders } from "../factories";
import { probe } from "./helpers";

describe("x-api-key middleware", () => {
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

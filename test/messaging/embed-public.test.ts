import { describe, expect, it } from "vitest";
import { api, BASE, call, ok } from "../factories";
import { config, enabledEmbed, history, send, SHOP, visitor } from "./embed-helpers";
import { creditsOf, setCredits } from "./helpers";

describe("public embed API", () => {
  it("an allowed origin gets the config and an answer, with its Origin echoed and Vary: Origin; nothing secret in them", async () => {
    const { a, embedId } = await enabledEmbed();
    const cfg = await config(embedId);
    expect(cfg.status).toBe(200);
    expect(cfg.headers.get("access-control-allow-origin")).toBe(SHOP);
    expect(cfg.headers.get("vary")).toMatch(/Origin/);
    expect(cfg.headers.get("access-control-allow-credentials")).toBeNull();
    const body = (await cfg.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["accentColor", "chatTitle", "embedId", "greeting", "launcherIcon", "maxUserMessageChars", "showLauncher"]);
    const before = await creditsOf(a.profileId);
    const res = await send(embedId, visitor(), "What are your opening hours?");
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(SHOP);
    const answer = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(answer).filter((k) => !["role", "content", "status"].includes(k))).toEqual([]);
    expect(answer.role).toBe("assistant");
    expect(await creditsOf(a.profileId)).toBe(before - 1);
    const text = JSON.stringify([body, answer]);
    expect(text).not.toContain(a.key);
    expect(text).not.toContain(a.profileId);
    expect(text).not.toMatch(/credit|conv_|agt_|msg_/i);
  });

  it("the Origin matrix: other host, look-alike, missing, null, wrong scheme-less strings -> 403; own origin and same-origin fetches pass", async () => {
    const { embedId } = await enabledEmbed();
    for (const origin of ["https://other.com", "https://evil-shop.com", "https://shop.com.evil.com", "https://sub.shop.com", "null", "shop.com", "https://shop.com/"]) {
      const r = await config(embedId, { origin });
      expect(r.status, origin).toBe(403);
      expect(((await r.json()) as { error: string }).error).toBe("origin_not_allowed");
      expect(r.headers.get("access-control-allow-origin"), origin).toBeNull();
      expect((await send(embedId, visitor(), "hi", { origin })).status, origin).toBe(403);
    }
    expect((await config(embedId, {})).status).toBe(403);
    expect((await config(embedId, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await config(embedId, { "sec-fetch-site": "same-origin" })).status).toBe(200);
    expect((await config(embedId, { origin: BASE })).status).toBe(200);
    // The embed id in the header works too.
    const viaHeader = await call("/api/messaging/embed/v1/chat", {
      method: "POST",
      headers: { "content-type": "application/json", origin: SHOP, "x-gellhub-embed-id": embedId },
      body: JSON.stringify({ visitorId: visitor(), messages: [{ role: "user", content: "hello" }] }),
    });
    expect(viaHeader.status).toBe(200);
  });

  it("unknown, disabled and rotated embed ids are 404 embed_not_found", async () => {
    const { a, embedId } = await enabledEmbed();
    const unknown = await config("emb_doesnotexist000000000000");
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toBe("embed_not_found");
    await ok(api("PUT", "/api/messaging/v1/embed", a, { rotateEmbedId: true }));
    expect((await config(embedId)).status).toBe(404);
    const b = await enabledEmbed();
    await ok(api("PUT", "/api/messaging/v1/embed", b.a, { embedEnabled: false }));
    expect((await send(b.embedId, visitor(), "hi")).status).toBe(404);
  });

  it("CORS preflight echoes only an allowed origin, never *", async () => {
    const { embedId } = await enabledEmbed(["preflight-shop.com"]);
    const pre = (origin: string) =>
      call(`/api/messaging/embed/v1/chat`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" } });
    const good = await pre("https://preflight-shop.com");
    expect(good.status).toBe(204);
    expect(good.headers.get("access-control-allow-origin")).toBe("https://preflight-shop.com");
    expect(good.headers.get("access-control-allow-methods")).toContain("POST");
    expect(good.headers.get("vary")).toMatch(/Origin/);
    const bad = await pre("https://evil-preflight-shop.com");
    expect(bad.headers.get("access-control-allow-origin")).toBeNull();
    expect(bad.status).toBe(403);
    expect(embedId).toMatch(/^emb_/);
  });

  it("message_too_long, the per-IP rate limit with Retry-After, and a polite answer at zero credits", async () => {
    const { a, embedId } = await enabledEmbed();
    const long = await send(embedId, visitor(), "x".repeat(1001));
    expect(long.status).toBe(400);
    expect(((await long.json()) as { error: string }).error).toBe("message_too_long");
    await setCredits(a.profileId, 0);
    const polite = await send(embedId, visitor(), "hello");
    expect(polite.status).toBe(200);
    expect(((await polite.json()) as { content: string }).content).toMatch(/not available/);
    expect(await creditsOf(a.profileId)).toBe(0);
    const ip = { origin: SHOP, "cf-connecting-ip": "203.0.113.9" };
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await send(embedId, visitor(), "hello", ip)).status);
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    const limited = await send(embedId, visitor(), "hello", ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.headers.get("access-control-allow-origin")).toBe(SHOP);
    // Another IP is not limited.
    expect((await send(embedId, visitor(), "hello", { origin: SHOP, "cf-connecting-ip": "203.0.113.10" })).status).toBe(200);
  });

  it("history restores a visitor's conversation, isolated between visitors and between accounts", async () => {
    const one = await enabledEmbed();
    const two = await enabledEmbed();
    const v1 = visitor();
    const v2 = visitor();
    expect((await send(one.embedId, v1, "What are your opening hours?")).status).toBe(200);
    const h = (await (await history(one.embedId, v1)).json()) as { messages: { role: string; content: string }[] };
    expect(h.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(h.messages[0]!.content).toBe("What are your opening hours?");
    expect(((await (await history(one.embedId, v2)).json()) as { messages: unknown[] }).messages).toEqual([]);
    expect(((await (await history(two.embedId, v1)).json()) as { messages: unknown[] }).messages).toEqual([]);
    expect((await history(one.embedId, v1, { origin: "https://evil-shop.com" })).status).toBe(403);
  });
});

import { describe, expect, it } from "vitest";
import { BASE, call, callWith } from "../factories";
import { config, enabledEmbed, errorOf, history, send, SHOP, visitor } from "./embed-helpers";

const FOREIGN = ["https://other.com", "https://evil-shop.com", "https://shop.com.evil.com", "null"];

/** A raw POST to the embed chat: `body` as given, so it can be malformed. */
const rawChat = (body: string, headers: Record<string, string>) => call("/api/messaging/embed/v1/chat", { method: "POST", headers, body });

describe("the widget API checks the Origin before it reads the input", () => {
  it("a malformed body from a foreign or missing Origin is 403 origin_not_allowed, never 400; from the allowed site it is 400", async () => {
    const { embedId } = await enabledEmbed();
    const bodies = [
      "{not json",
      JSON.stringify({ embedId, visitorId: "short", messages: [] }),
      JSON.stringify({ embedId, messages: "hi" }),
      JSON.stringify({ visitorId: visitor(), messages: [{ role: "user", content: "hi" }] }),
      JSON.stringify({ embedId: "nope", visitorId: visitor(), messages: [{ role: "user", content: "hi" }] }),
      "[]",
    ];
    for (const body of bodies) {
      for (const origin of FOREIGN) {
        const r = await rawChat(body, { "content-type": "application/json", origin });
        expect(r.status, `${origin} ${body}`).toBe(403);
        expect(await errorOf(r)).toBe("origin_not_allowed");
        expect(r.headers.get("access-control-allow-origin")).toBeNull();
      }
      const missing = await rawChat(body, { "content-type": "application/json" });
      expect(missing.status, body).toBe(403);
      const allowed = await rawChat(body, { "content-type": "application/json", origin: SHOP });
      expect([400, 404], body).toContain(allowed.status);
      expect(allowed.headers.get("access-control-allow-origin"), body).toBe(SHOP);
    }
    // A form post (a CORS "simple" request, no preflight) and an oversized body: still 403 first.
    const form = await rawChat(`embedId=${embedId}`, { "content-type": "text/plain", origin: "https://evil-shop.com" });
    expect(form.status).toBe(403);
    const huge = await rawChat(JSON.stringify({ embedId, pad: "x".repeat(200_000) }), { "content-type": "application/json", origin: "https://evil-shop.com" });
    expect(huge.status).toBe(403);
    // The same from the allowed site: 415 and 413, the usual body errors.
    expect((await rawChat(`embedId=${embedId}`, { "content-type": "text/plain", origin: SHOP, "x-gellhub-embed-id": embedId })).status).toBe(415);
    expect((await rawChat(JSON.stringify({ embedId, pad: "x".repeat(200_000) }), { "content-type": "application/json", origin: SHOP })).status).toBe(413);
  });

  it("bad queries from a foreign Origin are 403 too; from the allowed site 400", async () => {
    await enabledEmbed();
    for (const path of ["/api/messaging/embed/v1/config", "/api/messaging/embed/v1/config?embedId=bad id", "/api/messaging/embed/v1/history?embedId=emb_x&visitorId=1"]) {
      const foreign = await call(path, { headers: { origin: "https://evil-shop.com" } });
      expect(foreign.status, path).toBe(403);
      expect(await errorOf(foreign)).toBe("origin_not_allowed");
      expect((await call(path, { headers: { origin: SHOP } })).status, path).toBe(400);
    }
  });

  it("the whole Origin matrix on config, chat and history: allowed, other host, look-alikes, missing, null, scheme and port, own origin", async () => {
    const { embedId } = await enabledEmbed();
    const v = visitor();
    expect((await send(embedId, v, "hi")).status).toBe(200);
    const refused = [
      "https://other.com",
      "https://evil-shop.com",
      "https://shop.com.evil.com",
      "https://sub.shop.com",
      "https://SHOP.com.",
      "null",
      "shop.com",
      "https://shop.com/",
      "https://shop.com:8443",
      "http://shop.com",
    ];
    for (const origin of refused) {
      for (const r of [await config(embedId, { origin }), await send(embedId, visitor(), "hi", { origin }), await history(embedId, v, { origin })]) {
        expect(r.status, origin).toBe(403);
        expect(await errorOf(r)).toBe("origin_not_allowed");
        expect(r.headers.get("access-control-allow-origin"), origin).toBeNull();
        expect(r.headers.get("vary"), origin).toMatch(/Origin/);
      }
    }
    for (const headers of [{}, { "sec-fetch-site": "cross-site" }, { "sec-fetch-site": "same-site" }, { "sec-fetch-site": "none" }] as Record<string, string>[]) {
      expect((await config(embedId, headers)).status, JSON.stringify(headers)).toBe(403);
      expect((await send(embedId, visitor(), "hi", headers)).status, JSON.stringify(headers)).toBe(403);
    }
    for (const headers of [{ origin: SHOP }, { origin: BASE }, { "sec-fetch-site": "same-origin" }] as Record<string, string>[]) {
      expect((await config(embedId, headers)).status, JSON.stringify(headers)).toBe(200);
      expect((await send(embedId, visitor(), "hi", headers)).status, JSON.stringify(headers)).toBe(200);
      expect((await history(embedId, v, headers)).status, JSON.stringify(headers)).toBe(200);
    }
  });

  it("plain http and other ports are allowed only in local dev", async () => {
    const { embedId } = await enabledEmbed(["shop.localhost"]);
    const path = `/api/messaging/embed/v1/config?embedId=${embedId}`;
    for (const origin of ["http://shop.localhost", "http://shop.localhost:5173", "https://shop.localhost:8443"]) {
      expect((await call(path, { headers: { origin } })).status, origin).toBe(403);
      const local = await callWith({ LOCAL_DEV: "true" }, path, { headers: { origin } });
      expect(local.status, origin).toBe(200);
      expect(local.headers.get("access-control-allow-origin")).toBe(origin);
    }
    expect((await callWith({ LOCAL_DEV: "true" }, path, { headers: { origin: "http://evil-shop.localhost" } })).status).toBe(403);
  });
});

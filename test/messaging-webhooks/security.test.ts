import { afterEach, describe, expect, it, vi } from "vitest";
import { api, call, dash, ok, registerAccount } from "../factories";
import { consume, fakeReceiver, insertDelivery, json, RECEIVER, registerMessaging, setHandoff } from "./helpers";

afterEach(() => vi.restoreAllMocks());

describe("messaging webhooks: tenant isolation and auth", () => {
  it("keeps each account's skills and handoff config to itself", async () => {
    const a = await registerMessaging();
    const b = await registerMessaging();
    await ok(api("PUT", "/api/messaging/v1/skills", a, { skillsEnabled: true, skillsWebhookUrl: "https://a-shop.com/skills", skills: [{ key: "booking", label: "Booking", keywords: ["book"] }] }));
    await setHandoff(a, { handoffWebhookUrl: "https://a-saas.com/handoff", handoffWebhookSecret: "a-secret-123" });
    expect(await ok(api("GET", "/api/messaging/v1/skills", b))).toMatchObject({ skillsEnabled: false, skillsWebhookUrl: null, skills: [] });
    expect(await ok(api("GET", "/api/messaging/v1/handoff", b))).toMatchObject({ handoffWebhookUrl: null, handoffWebhookSecretSet: false });
    await setHandoff(b, { handoffWebhookUrl: "https://b-saas.com/handoff" });
    expect(await ok(api("GET", "/api/messaging/v1/handoff", a))).toMatchObject({ handoffWebhookUrl: "https://a-saas.com/handoff", handoffWebhookSecretSet: true });
  });

  it("shows, reads and replays only the account's own deliveries (another's id -> 404, never in its list)", async () => {
    const a = await registerMessaging();
    const b = await registerMessaging();
    await setHandoff(a, { handoffWebhookUrl: `${RECEIVER}/a` });
    await setHandoff(b, { handoffWebhookUrl: `${RECEIVER}/b` });
    const da = await insertDelivery(a.profileId, { status: "dead", attemptCount: 1 });
    const db_ = await insertDelivery(b.profileId, { status: "dead", attemptCount: 1 });
    for (const [path, method] of [[`/api/messaging/v1/deliveries/${da.id}`, "GET"], [`/api/messaging/v1/deliveries/${da.id}/replay`, "POST"]] as const) {
      const res = await api(method, path, b);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toMatchObject({ error: "not_found" });
    }
    const bDash = await dash("GET", `/api/messaging/deliveries/${da.id}`, b);
    expect(bDash.status).toBe(404);
    const listB = await ok<{ deliveries: { id: string }[] }>(api("GET", "/api/messaging/v1/deliveries", b));
    expect(listB.deliveries.map((d) => d.id)).toEqual([db_.id]);
    const listA = await ok<{ deliveries: { id: string }[] }>(dash("GET", "/api/messaging/deliveries", a));
    expect(listA.deliveries.map((d) => d.id)).toEqual([da.id]);
    // A's replay goes through the real WEBHOOKS queue to A's URL only.
    const seen = fakeReceiver(RECEIVER, () => json({ ok: true }));
    const replayed = await ok<{ status: string }>(api("POST", `/api/messaging/v1/deliveries/${da.id}/replay`, a), 202);
    expect(replayed.status).toBe("pending");
    await vi.waitFor(() => expect(seen).toHaveLength(1), { timeout: 10_000, interval: 100 });
    expect(seen[0]).toMatchObject({ url: `${RECEIVER}/a`, headers: { "x-gellhub-delivery": da.id } });
    await vi.waitFor(async () => expect(await ok(api("GET", `/api/messaging/v1/deliveries/${da.id}`, a))).toMatchObject({ status: "delivered", attemptCount: 2 }), { timeout: 5_000, interval: 100 });
  });

  it("a delivery is always sent to its own account's URL with its own secret", async () => {
    const a = await registerMessaging();
    const b = await registerMessaging();
    await setHandoff(a, { handoffWebhookUrl: `${RECEIVER}/a`, handoffWebhookSecret: "secret-of-a-1" });
    await setHandoff(b, { handoffWebhookUrl: `${RECEIVER}/b`, handoffWebhookSecret: "secret-of-b-1" });
    const d = await insertDelivery(a.profileId);
    const seen = fakeReceiver(RECEIVER, () => json({ ok: true }));
    await consume({ deliveryId: d.id, profileId: a.profileId }, 1);
    expect(seen.map((s) => s.url)).toEqual([`${RECEIVER}/a`]);
  });

  it("the msg_ routes need the messaging key, the dashboard twins need the session", async () => {
    const a = await registerMessaging();
    const studio = await registerAccount("studio");
    for (const path of ["/api/messaging/v1/skills", "/api/messaging/v1/handoff", "/api/messaging/v1/deliveries", "/api/messaging/v1/skills/calls"]) {
      expect((await call(path)).status, path).toBe(401);
      expect((await dash("GET", path, a)).status, `${path} with a cookie`).toBe(401);
      expect((await api("GET", path, studio)).status, `${path} with a gallery key`).toBe(403);
    }
    for (const path of ["/api/messaging/skills-config", "/api/messaging/handoff-config", "/api/messaging/deliveries", "/api/messaging/skills-config/calls"]) {
      expect((await call(path)).status, path).toBe(401);
      expect((await api("GET", path, a)).status, `${path} with a key`).toBe(401);
    }
  });

  it("a session without Messaging gets 409 product_line_not_enabled", async () => {
    const studio = await registerAccount("studio");
    const res = await dash("PUT", "/api/messaging/handoff-config", studio, { handoffWebhookUrl: "https://x-saas.com/h" });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: "product_line_not_enabled" });
  });

  it("never answers a secret back, on any read", async () => {
    const a = await registerMessaging();
    await setHandoff(a, { handoffWebhookUrl: "https://a-saas.com/handoff", handoffWebhookSecret: "very-secret-handoff" });
    await ok(api("PUT", "/api/messaging/v1/skills", a, { skillsWebhookSecret: "very-secret-skills" }));
    for (const path of ["/api/messaging/v1/skills", "/api/messaging/v1/handoff", "/api/messaging/v1/deliveries", "/api/messaging/v1/bot"]) {
      const text = await (await api("GET", path, a)).text();
      expect(text, path).not.toContain("very-secret");
    }
  });
});

describe("messaging webhooks: API reference", () => {
  it("documents the skills, handoff and delivery routes with the write-only secret and the ui types", async () => {
    const doc = await ok<{ paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } }>(call("/api/openapi.json"));
    for (const [path, verbs] of [
      ["/api/messaging/v1/skills", ["get", "put"]],
      ["/api/messaging/skills-config", ["get", "put"]],
      ["/api/messaging/v1/skills/calls", ["get"]],
      ["/api/messaging/v1/handoff", ["get", "put"]],
      ["/api/messaging/v1/deliveries", ["get"]],
      ["/api/messaging/v1/deliveries/{id}", ["get"]],
      ["/api/messaging/v1/deliveries/{id}/replay", ["post"]],
    ] as const) {
      for (const verb of verbs) expect(doc.paths[path]?.[verb], `${verb} ${path}`).toBeDefined();
    }
    const schemas = JSON.stringify(doc.components.schemas);
    expect(schemas).toContain("skillsWebhookSecretSet");
    expect(schemas).toContain("handoffWebhookSecretSet");
    for (const t of ["slot_list", "product_cards", "buttons", "iframe"]) expect(schemas).toContain(t);
  });
});

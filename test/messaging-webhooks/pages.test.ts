import { afterEach, describe, expect, it, vi } from "vitest";
import { api, call, ok, sessionHeaders, submitForm } from "../factories";
import { fakeReceiver, insertDelivery, json, RECEIVER, registerMessaging, setHandoff } from "./helpers";

afterEach(() => vi.restoreAllMocks());

const page = (a: { cookie: string }, path: string) => call(path, { headers: sessionHeaders(a) });

describe("dashboard: dynamic skills page", () => {
  it("saves the form (skills one per line) and the API reads the same config; the secret is never rendered", async () => {
    const a = await registerMessaging();
    const res = await submitForm(a, "/dashboard/messaging/skills", {
      skillsEnabled: "on",
      skillsWebhookUrl: "https://yourstore.com/api/gellhub/skills",
      skillsWebhookSecret: "your-hmac-secret",
      skills: "booking | Booking | book, appointment, schedule\r\n\r\ncatalog | Products | product, price\n",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/dashboard/messaging/skills?saved=1");
    expect(await ok(api("GET", "/api/messaging/v1/skills", a))).toMatchObject({
      skillsEnabled: true,
      skillsWebhookSecretSet: true,
      skills: [
        { key: "booking", label: "Booking", keywords: ["book", "appointment", "schedule"] },
        { key: "catalog", label: "Products", keywords: ["product", "price"] },
      ],
    });
    const html = await (await page(a, "/dashboard/messaging/skills")).text();
    expect(html).toContain("booking | Booking | book, appointment, schedule");
    expect(html).toContain("A secret is set");
    expect(html).not.toContain("your-hmac-secret");
    // Saving without typing a secret keeps it; the remove box clears it.
    await submitForm(a, "/dashboard/messaging/skills", { skillsEnabled: "on", skillsWebhookUrl: "https://yourstore.com/api/gellhub/skills", skills: "booking | Booking | book" });
    expect(await ok(api("GET", "/api/messaging/v1/skills", a))).toMatchObject({ skillsWebhookSecretSet: true });
    await submitForm(a, "/dashboard/messaging/skills", { skillsWebhookUrl: "https://yourstore.com/api/gellhub/skills", skills: "booking | Booking | book", skillsWebhookSecretRemove: "on" });
    expect(await ok(api("GET", "/api/messaging/v1/skills", a))).toMatchObject({ skillsWebhookSecretSet: false, skillsEnabled: false });
  });

  it("re-renders a refused save with 400, the reason and what was typed", async () => {
    const a = await registerMessaging();
    const res = await submitForm(a, "/dashboard/messaging/skills", { skillsWebhookUrl: "https://169.254.169.254/x", skills: "Bad Key | B | x" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain("Bad Key | B | x");
    expect(await ok(api("GET", "/api/messaging/v1/skills", a))).toMatchObject({ updatedAt: null });
  });

  it("sends a signed test call and shows the validated answer and the call log", async () => {
    const a = await registerMessaging();
    await ok(api("PUT", "/api/messaging/v1/skills", a, { skillsWebhookUrl: `${RECEIVER}/skills`, skills: [{ key: "booking", label: "Booking", keywords: ["book"] }] }));
    fakeReceiver(RECEIVER, (n) => (n === 1 ? json({ version: 1, message: "Available times tomorrow:", ui: { type: "slot_list", items: [{ id: "10:00", title: "10:00" }] } }) : new Response("x", { status: 500 })));
    const res = await submitForm(a, "/dashboard/messaging/skills/test", { skill: "booking", message: "book tomorrow" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("valid answer");
    expect(html).toContain("slot_list");
    const failed = await (await submitForm(a, "/dashboard/messaging/skills/test", { skill: "booking", message: "book again" })).text();
    expect(failed).toContain("failed: http_error");
    expect(failed.match(/data-call-outcome="/g)).toHaveLength(2);
  });
});

describe("dashboard: human handoff page", () => {
  it("saves the webhook, queues a test event through the real queue and shows it delivered with its attempt", async () => {
    const a = await registerMessaging();
    const seen = fakeReceiver(RECEIVER, () => json({ ok: true }));
    expect((await submitForm(a, "/dashboard/messaging/handoff", { handoffWebhookUrl: `${RECEIVER}/handoff`, handoffWebhookSecret: "handoff-secret-1" })).status).toBe(303);
    expect(await ok(api("GET", "/api/messaging/v1/handoff", a))).toMatchObject({ handoffWebhookUrl: `${RECEIVER}/handoff`, handoffWebhookSecretSet: true });
    const res = await submitForm(a, "/dashboard/messaging/handoff/test");
    expect(res.status).toBe(303);
    await vi.waitFor(() => expect(seen).toHaveLength(1), { timeout: 10_000, interval: 100 });
    expect(JSON.parse(seen[0]!.body)).toMatchObject({ event: "handoff.requested", conversationRef: "test:dashboard", profileId: a.profileId });
    await vi.waitFor(async () => expect(await (await page(a, "/dashboard/messaging/handoff")).text()).toContain('data-status="delivered"'), { timeout: 5_000, interval: 100 });
    const html = await (await page(a, "/dashboard/messaging/handoff")).text();
    expect(html).toContain('data-attempt="1"');
    expect(html).not.toContain("handoff-secret-1");
  });

  it("replays a dead delivery from its button; another account's delivery is a 404", async () => {
    const a = await registerMessaging();
    const b = await registerMessaging();
    const seen = fakeReceiver(RECEIVER, () => json({ ok: true }));
    await setHandoff(a, { handoffWebhookUrl: `${RECEIVER}/a` });
    await setHandoff(b, { handoffWebhookUrl: `${RECEIVER}/b` });
    const d = await insertDelivery(a.profileId, { status: "dead", attemptCount: 10 });
    const html = await (await page(a, "/dashboard/messaging/handoff")).text();
    expect(html).toContain(`action="/dashboard/messaging/handoff/deliveries/${d.id}/replay"`);
    expect((await submitForm(b, `/dashboard/messaging/handoff/deliveries/${d.id}/replay`)).status).toBe(404);
    const res = await submitForm(a, `/dashboard/messaging/handoff/deliveries/${d.id}/replay`);
    expect(res.status).toBe(303);
    await vi.waitFor(() => expect(seen.map((s) => s.url)).toEqual([`${RECEIVER}/a`]), { timeout: 10_000, interval: 100 });
  });

  it("refuses a disallowed URL with 400 and keeps what was typed", async () => {
    const a = await registerMessaging();
    const res = await submitForm(a, "/dashboard/messaging/handoff", { handoffWebhookUrl: "http://localhost:4010/hook" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('value="http://localhost:4010/hook"');
  });

  it("both pages need a session, and link from the Messaging page", async () => {
    for (const path of ["/dashboard/messaging/skills", "/dashboard/messaging/handoff"]) {
      const res = await call(path, { redirect: "manual" });
      expect(res.status, path).toBe(303);
      expect(res.headers.get("location"), path).toMatch(/^\/login/);
    }
    const a = await registerMessaging();
    const html = await (await page(a, "/dashboard/messaging")).text();
    expect(html).toContain('href="/dashboard/messaging/skills"');
    expect(html).toContain('href="/dashboard/messaging/handoff"');
  });
});

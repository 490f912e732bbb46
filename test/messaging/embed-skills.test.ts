import { afterEach, describe, expect, it, vi } from "vitest";
import { api, ok } from "../factories";
import { fakeReceiver, json, RECEIVER } from "../messaging-webhooks/helpers";
import { enabledEmbed, history, send, SHOP, visitor } from "./embed-helpers";
import { creditsOf, readSse } from "./helpers";

afterEach(() => vi.restoreAllMocks());

const UI = {
  slot_list: { type: "slot_list", items: [{ id: "10:00", title: "10:00", subtitle: "30 min" }] },
  product_cards: { type: "product_cards", items: [{ title: "Gift card", price: "€25.00", imageUrl: "https://img.example.com/g.png", actionUrl: "https://shop.example.com/g" }] },
  buttons: { type: "buttons", items: [{ label: "Yes", action: "message", message: "Yes please" }, { label: "Map", action: "url", url: "https://maps.example.com/x" }] },
  iframe: { type: "iframe", url: "https://forms.example.com/booking", height: 320 },
} as const;

describe("skill answers through the widget", () => {
  it("each ui type reaches the visitor (JSON and streamed) without the skill key or any charge, and history keeps it", async () => {
    const { a, embedId } = await enabledEmbed();
    await ok(
      api("PUT", "/api/messaging/v1/skills", a, {
        skillsEnabled: true,
        skillsWebhookUrl: `${RECEIVER}/skills`,
        skills: [{ key: "booking", label: "Booking", keywords: ["book"] }],
      }),
    );
    const types = Object.keys(UI) as (keyof typeof UI)[];
    const seen = fakeReceiver(RECEIVER, (n) => json({ version: 1, message: `Answer ${n}`, ui: UI[types[(n - 1) % types.length]!] }));
    const before = await creditsOf(a.profileId);
    const v = visitor();
    for (const [i, type] of types.entries()) {
      const stream = i % 2 === 1;
      const res = await send(embedId, v, "I want to book", { origin: SHOP }, stream ? { stream: true } : {});
      expect(res.status).toBe(200);
      const answer = stream ? (await readSse(res)).at(-1)!.data : await res.json();
      expect(answer, type).toEqual({ role: "assistant", content: `Answer ${i + 1}`, ui: UI[type], status: "open" });
    }
    expect(seen).toHaveLength(4);
    expect(JSON.parse(seen[0]!.body)).toMatchObject({ conversationRef: `web:${embedId}:${v}`, visitorId: v, channel: "web" });
    expect(await creditsOf(a.profileId)).toBe(before);
    const h = (await (await history(embedId, v)).json()) as { messages: { role: string; ui?: unknown }[] };
    expect(h.messages.filter((m) => m.role === "assistant").map((m) => m.ui)).toEqual(types.map((t) => UI[t]));
  });
});

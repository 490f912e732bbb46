import { describe, expect, it } from "vitest";
import { api, BASE, call, dash, ok, registerAccount } from "../factories";
import { createAgent, registerMessaging, type Embed } from "./helpers";

const put = (a: { key: string }, body: unknown) => api("PUT", "/api/messaging/v1/embed", a, body);

async function errorOf(res: Response) {
  return { status: res.status, body: (await res.json()) as { error: string } };
}

describe("embed settings", () => {
  it("GET answers defaults with an emb_ id, share link and the guide's two snippets verbatim", async () => {
    const a = await registerMessaging();
    await createAgent(a, { botDisplayName: "Store assistant" });
    const e = await ok<Embed>(api("GET", "/api/messaging/v1/embed", a));
    expect(e.embedEnabled).toBe(false);
    expect(e.embedPublicId).toMatch(/^emb_[0-9A-Za-z]{24}$/);
    expect(e.embedShareLink).toBe(`${BASE}/chat/${e.embedPublicId}`);
    expect(e.chatTitle).toBe("Store assistant");
    expect(e.embedCodeFloating).toBe(
      `<script src="${BASE}/embed/gellhub-chat.js" data-embed-id="${e.embedPublicId}" data-chat-title="Store assistant" data-launcher-icon="💬" data-launcher="true" async ></script>`,
    );
    expect(e.embedCodeButton).toBe(
      `<script src="${BASE}/embed/gellhub-chat.js" data-embed-id="${e.embedPublicId}" data-chat-title="Store assistant" data-launcher="false" async ></script> <button type="button" onclick="window.GellHubChat && GellHubChat.open()">Chat</button>`,
    );
    // The same id on the next read, and the dashboard twin agrees.
    expect((await ok<Embed>(api("GET", "/api/messaging/v1/embed", a))).embedPublicId).toBe(e.embedPublicId);
    expect((await ok<Embed>(dash("GET", "/api/messaging/embed-config", a))).embedPublicId).toBe(e.embedPublicId);
  });

  it("PUT with the guide's body saves; hostnames are lower-cased and IDNs become punycode; /v1/bot reports the real values", async () => {
    const a = await registerMessaging();
    const e = await ok<Embed>(
      put(a, {
        embedEnabled: true,
        embedAllowedOrigins: ["Shop.Example.com", "bücher.de", "shop.example.com"],
        embedAccentColor: "#0D9488",
        embedLauncherIcon: "🛍️",
        embedShowLauncher: false,
        embedGreeting: "Hello there",
        chatTitle: 'Tom & "Jerry"',
        rotateEmbedId: false,
      }),
    );
    expect(e).toMatchObject({
      embedEnabled: true,
      embedAllowedOrigins: ["shop.example.com", "xn--bcher-kva.de"],
      embedAccentColor: "#0d9488",
      embedLauncherIcon: "🛍️",
      embedShowLauncher: false,
      embedGreeting: "Hello there",
      chatTitle: 'Tom & "Jerry"',
    });
    expect(e.embedCodeFloating).toContain('data-chat-title="Tom &amp; &quot;Jerry&quot;"');
    const bot = await ok<Embed>(api("GET", "/api/messaging/v1/bot", a));
    expect(bot).toMatchObject({ embedEnabled: true, embedPublicId: e.embedPublicId, embedShareLink: e.embedShareLink, embedCodeFloating: e.embedCodeFloating });
    // The dashboard edits the same settings.
    const d = await ok<Embed>(dash("PUT", "/api/messaging/embed-config", a, { embedGreeting: "From the dashboard" }));
    expect(d).toMatchObject({ embedGreeting: "From the dashboard", embedAllowedOrigins: ["shop.example.com", "xn--bcher-kva.de"], embedPublicId: e.embedPublicId });
  });

  it("validation: hostnames only, at most 20, origins_required, hex accent, emoji or https icon, greeting cap", async () => {
    const a = await registerMessaging();
    for (const bad of ["https://shop.com", "shop.com:443", "shop.com/path", "*.shop.com", "shop com", "", "-bad.com", "a..b"]) {
      const r = await errorOf(await put(a, { embedAllowedOrigins: [bad] }));
      expect(r, bad).toMatchObject({ status: 400, body: { error: "invalid_request" } });
    }
    const many = Array.from({ length: 21 }, (_, i) => `s${i}.example.com`);
    expect((await errorOf(await put(a, { embedAllowedOrigins: many }))).status).toBe(400);
    expect((await ok<Embed>(put(a, { embedAllowedOrigins: many.slice(0, 20) }))).embedAllowedOrigins).toHaveLength(20);
    const b = await registerMessaging();
    expect(await errorOf(await put(b, { embedEnabled: true }))).toMatchObject({ status: 400, body: { error: "origins_required" } });
    expect(await errorOf(await put(b, { embedEnabled: true, embedAllowedOrigins: [] }))).toMatchObject({ status: 400, body: { error: "origins_required" } });
    for (const bad of ["0d9488", "#12345g", "red", "#1234"]) expect((await put(b, { embedAccentColor: bad })).status, bad).toBe(400);
    for (const bad of ["ab", "💬💬", "http://x.com/i.png", "javascript:alert(1)", "<img>"]) expect((await put(b, { embedLauncherIcon: bad })).status, bad).toBe(400);
    for (const good of ["💬", "👍🏽", "🇩🇪", "https://cdn.example.com/i.png"]) expect((await ok<Embed>(put(b, { embedLauncherIcon: good }))).embedLauncherIcon).toBe(good);
    expect((await put(b, { embedGreeting: "x".repeat(301) })).status).toBe(400);
    expect((await put(b, { embedEnabled: "yes" })).status).toBe(400);
  });

  it("rotateEmbedId issues a new id and the old one is gone", async () => {
    const a = await registerMessaging();
    const first = await ok<Embed>(put(a, { embedEnabled: true, embedAllowedOrigins: ["shop.com"] }));
    const second = await ok<Embed>(put(a, { rotateEmbedId: true }));
    expect(second.embedPublicId).toMatch(/^emb_/);
    expect(second.embedPublicId).not.toBe(first.embedPublicId);
    expect(second.embedCodeFloating).toContain(second.embedPublicId);
    expect((await ok<Embed>(api("GET", "/api/messaging/v1/embed", a))).embedPublicId).toBe(second.embedPublicId);
  });

  it("needs a messaging key or session; other lines are refused", async () => {
    expect((await call("/api/messaging/v1/embed")).status).toBe(401);
    const studio = await registerAccount("studio");
    expect((await api("GET", "/api/messaging/v1/embed", studio)).status).toBe(403);
  });
});


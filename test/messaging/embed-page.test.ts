import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, call, ok } from "../factories";
import { createAgent, registerMessaging } from "./helpers";

async function enabled(body: Record<string, unknown> = {}) {
  const a = await registerMessaging();
  await createAgent(a, { botDisplayName: "Store assistant" });
  const e = await ok<{ embedPublicId: string }>(
    api("PUT", "/api/messaging/v1/embed", a, { embedEnabled: true, embedAllowedOrigins: ["shop.com", "xn--bcher-kva.de"], ...body }),
  );
  return { a, embedId: e.embedPublicId };
}

describe("the /chat/emb_… page", () => {
  it("renders the chat with the greeting escaped and frame-ancestors built from the allowlist", async () => {
    const { embedId } = await enabled({ embedGreeting: "<b>Hi</b> & welcome", embedAccentColor: "#112233" });
    const res = await call(`/chat/${embedId}?frame=1`);
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toMatch(/frame-ancestors 'self' https:\/\/shop\.com .*https:\/\/xn--bcher-kva\.de/);
    expect(csp).not.toContain("frame-ancestors *");
    expect(csp).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain("&lt;b&gt;Hi&lt;/b&gt; &amp; welcome");
    expect(html).not.toContain("<b>Hi</b>");
    expect(html).toContain("Store assistant");
    expect(html).toMatch(/<script src="\/embed\/chat-frame\.[0-9a-f]{16}\.js" defer>/);
    expect(html).toContain('id="gh-close"');
    expect(html).toContain('aria-live="polite"');
  });

  it("unknown, malformed and disabled embeds get a friendly 404 page", async () => {
    for (const path of ["/chat/emb_unknown0000000000000000", "/chat/not-an-id"]) {
      const r = await call(path);
      expect(r.status, path).toBe(404);
      expect(await r.text()).toContain("This chat is not available");
    }
    const { a, embedId } = await enabled();
    await ok(api("PUT", "/api/messaging/v1/embed", a, { embedEnabled: false }));
    expect((await call(`/chat/${embedId}`)).status).toBe(404);
  });

  it("the loader is cached briefly and revalidated by ETag; the frame script the page names is content-hashed and immutable", async () => {
    const asset = (path: string, headers: Record<string, string> = {}) => env.ASSETS.fetch(new Request(`http://localhost${path}`, { headers }));
    const loader = await asset("/embed/gellhub-chat.js");
    expect(loader.status).toBe(200);
    expect(loader.headers.get("content-type")).toMatch(/javascript/);
    expect(loader.headers.get("cache-control")).toBe("public, max-age=300, stale-while-revalidate=86400");
    const etag = loader.headers.get("etag");
    expect(etag).toBeTruthy();
    expect(await loader.text()).toContain("GellHubChat");
    const again = await asset("/embed/gellhub-chat.js", { "if-none-match": etag! });
    expect(again.status).toBe(304);

    const { embedId } = await enabled();
    const html = await (await call(`/chat/${embedId}`)).text();
    const src = /<script src="([^"]+)"/.exec(html)![1]!;
    const frame = await asset(src);
    expect(frame.status).toBe(200);
    expect(frame.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const body = new Uint8Array(await frame.arrayBuffer());
    const digest = Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", body)), (b) => b.toString(16).padStart(2, "0")).join("");
    expect(src).toBe(`/embed/chat-frame.${digest.slice(0, 16)}.js`);
  });
});

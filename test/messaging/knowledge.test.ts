import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import { api, call, ok, registerAccount } from "../factories";
import { addSource, chat, createAgent, creditsOf, registerMessaging, setCredits, type ChatAnswer, type Source } from "./helpers";

/** A public web page served by a fetch spy (the Worker fetches URL sources server-side). */
function fakeSite(pages: Record<string, () => Response>) {
  const real = globalThis.fetch;
  const hits: string[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = new Request(input, init).url;
    const page = pages[url];
    if (!page) return real(input, init);
    hits.push(url);
    return page();
  });
  return hits;
}

const html = (body: string) => () => new Response(`<html><head><title>FAQ</title><style>.x{}</style></head><body>${body}<script>steal()</script></body></html>`, { headers: { "content-type": "text/html; charset=utf-8" } });

afterEach(() => vi.restoreAllMocks());

describe("knowledge sources", () => {
  it("fetches a URL source once, reduces HTML to text, answers from it, and refreshes it", async () => {
    const a = await registerMessaging();
    const agent = await createAgent(a);
    let version = "Returns are accepted within 30 days of purchase.";
    const hits = fakeSite({ "https://shop.example.com/faq": () => html(`<h1>Help</h1><p>${version}</p>`)() });
    const src = await addSource(a, agent.id, { type: "url", url: "https://shop.example.com/faq" });
    expect(src).toMatchObject({ type: "url", status: "ready", title: "FAQ", failureReason: null });
    expect(hits).toHaveLength(1);
    const answer = await ok<ChatAnswer>(chat(a, "What is your returns policy?"));
    expect(answer.content).toContain("30 days");
    expect(answer.content).not.toContain("steal");
    version = "Returns are accepted within 60 days of purchase.";
    const refreshed = await ok<Source>(api("POST", `/api/messaging/v1/agents/${agent.id}/sources/${src.id}/refresh`, a));
    expect(refreshed.status).toBe("ready");
    expect((await ok<ChatAnswer>(chat(a, "What is your returns policy?"))).content).toContain("60 days");
  });

  it("records a failed URL source with its reason (redirects are not followed)", async () => {
    const a = await registerMessaging();
    const agent = await createAgent(a);
    fakeSite({
      "https://shop.example.com/moved": () => new Response(null, { status: 301, headers: { location: "http://169.254.169.254/" } }),
      "https://shop.example.com/gone": () => new Response("no", { status: 404 }),
    });
    const moved = await addSource(a, agent.id, { type: "url", url: "https://shop.example.com/moved" });
    expect(moved.status).toBe("failed");
    expect(moved.failureReason).toMatch(/redirect/);
    const gone = await addSource(a, agent.id, { type: "url", url: "https://shop.example.com/gone" });
    expect(gone).toMatchObject({ status: "failed", failureReason: expect.stringContaining("404") });
  });

  it("indexes file sources by type: markdown, CSV rows and HTML", async () => {
    const a = await registerMessaging();
    const agent = await createAgent(a);
    await addSource(a, agent.id, { type: "file", fileName: "faq.md", content: "# Parking\n\nFree parking is available behind the store." });
    const csv = await addSource(a, agent.id, { type: "file", fileName: "prices.csv", content: "product,price\nEspresso,2.50 EUR\nCappuccino,3.20 EUR\n" });
    expect(csv.chunkCount).toBeGreaterThan(0);
    expect((await ok<ChatAnswer>(chat(a, "Where can I park?"))).content).toContain("Free parking");
    expect((await ok<ChatAnswer>(chat(a, "What does a cappuccino cost?"))).content).toContain("3.20 EUR");
    const list = await ok<{ sources: Source[] }>(api("GET", `/api/messaging/v1/agents/${agent.id}/sources`, a));
    expect(list.sources.map((s) => s.type)).toEqual(["file", "file"]);
  });

  it("offers a person in the don't-know answer when handoff is on", async () => {
    const a = await registerMessaging();
    await createAgent(a, { humanHandoffEnabled: true, humanHandoffMessage: "Our team can help you.", humanHandoffUrl: "https://shop.example.com/contact" });
    const answer = await ok<ChatAnswer>(chat(a, "Can you repair my bicycle?"));
    expect(answer.content).toMatch(/don't know/);
    expect(answer.content).toContain("Our team can help you.");
    expect(answer.content).toContain("https://shop.example.com/contact");
  });
});

describe("file sources uploaded as multipart", () => {
  const upload = (a: { key: string }, agentId: string, file: File) => {
    const form = new FormData();
    form.append("file", file);
    return call(`/api/messaging/v1/agents/${agentId}/sources/upload`, { method: "POST", headers: { "x-api-key": a.key }, body: form });
  };

  it("indexes an uploaded .md file and answers from it", async () => {
    const a = await registerMessaging();
    const agent = await createAgent(a);
    const src = await ok<Source>(upload(a, agent.id, new File(["# Shipping\nWe ship worldwide within 3 business days."], "shipping.md", { type: "text/markdown" })), 201);
    expect(src).toMatchObject({ type: "file", status: "ready" });
    expect((await ok<ChatAnswer>(chat(a, "How fast do you ship worldwide?"))).content).toContain("3 business days");
  });

  it("refuses a file over 1 MiB with 413 while it streams in, and a body without a file with 400", async () => {
    const a = await registerMessaging();
    const agent = await createAgent(a);
    const big = await upload(a, agent.id, new File(["x".repeat(2 * 1024 * 1024)], "big.txt", { type: "text/plain" }));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: "payload_too_large" });
    const none = await call(`/api/messaging/v1/agents/${agent.id}/sources/upload`, { method: "POST", headers: { "x-api-key": a.key, "content-type": "multipart/form-data; boundary=q" }, body: "x" });
    expect(none.status).toBe(400);
    expect((await ok<{ sources: unknown[] }>(api("GET", `/api/messaging/v1/agents/${agent.id}/sources`, a))).sources).toEqual([]);
  });
});

describe("free-plan credits", () => {
  it("the cron tops free accounts up to 100 once a month, with a ledger row, and leaves paid plans alone", async () => {
    const a = await registerMessaging();
    const paid = await registerAccount("messaging", { planId: "plan_msg_growth" });
    await setCredits(a.profileId, 7);
    await setCredits(paid.profileId, 0);
    await env.DB.prepare("UPDATE subscriptions SET status = 'active' WHERE profile_id = ?").bind(paid.profileId).run();
    const run = (at: number) => worker.scheduled({ scheduledTime: at, cron: "*/15 * * * *", noRetry() {} } as ScheduledController, env);
    const now = Date.UTC(2027, 0, 15);
    await run(now);
    expect(await creditsOf(a.profileId)).toBe(100);
    expect(await creditsOf(paid.profileId)).toBe(0);
    await setCredits(a.profileId, 40);
    await run(now + 3600_000);
    expect(await creditsOf(a.profileId)).toBe(40);
    await run(Date.UTC(2027, 1, 1, 0, 15));
    expect(await creditsOf(a.profileId)).toBe(100);
    const ledger = await env.DB.prepare("SELECT delta FROM credit_ledger WHERE profile_id = ? AND reason = 'free_topup' ORDER BY created_at").bind(a.profileId).all();
    expect(ledger.results).toEqual([{ delta: 93 }, { delta: 60 }]);
  });
});

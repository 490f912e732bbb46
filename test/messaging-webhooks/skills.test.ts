import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { callSkill, loadSkillsConfig } from "../../src/messaging/skills";
import { skillAnswerSchema, skillUiSchema } from "../../src/messaging/skills-ui";
import { api, dash, ok } from "../factories";
import { db, expectedSignature, fakeReceiver, json, RECEIVER, registerMessaging } from "./helpers";

afterEach(() => vi.restoreAllMocks());

// The guide's dashboard example, verbatim.
const GUIDE_CONFIG = {
  skillsEnabled: true,
  skillsWebhookUrl: "https://yourstore.com/api/gellhub/skills",
  skillsWebhookSecret: "your-hmac-secret",
  skills: [
    { key: "booking", label: "Booking", keywords: ["book", "appointment", "schedule"] },
    { key: "catalog", label: "Products", keywords: ["product", "price", "catalog"] },
  ],
};

const put = (a: { key: string }, body: unknown) => api("PUT", "/api/messaging/v1/skills", a, body);
const errorOf = async (res: Promise<Response>) => {
  const r = await res;
  return { status: r.status, ...((await r.json()) as { error: string }) };
};

describe("skills config", () => {
  it("saves the guide's example through the session route and reads it back on both; the secret is write-only", async () => {
    const a = await registerMessaging();
    const saved = await ok<Record<string, unknown>>(dash("PUT", "/api/messaging/skills-config", a, GUIDE_CONFIG));
    const { skillsWebhookSecret: _, ...expected } = GUIDE_CONFIG;
    expect(saved).toMatchObject({ ...expected, skillsWebhookSecretSet: true });
    expect(JSON.stringify(saved)).not.toContain("your-hmac-secret");
    const viaKey = await ok(api("GET", "/api/messaging/v1/skills", a));
    expect(viaKey).toEqual(saved);
    expect(await ok(dash("GET", "/api/messaging/skills-config", a))).toEqual(saved);
    const row = await env.DB.prepare("SELECT skills_secret_sealed AS s FROM messaging_integrations WHERE profile_id = ?").bind(a.profileId).first<{ s: string }>();
    expect(row!.s).toMatch(/^v1\./);
    expect(row!.s).not.toContain("your-hmac-secret");
  });

  it("takes the guide's msg-key example, keeps omitted fields, and removes the secret with null", async () => {
    const a = await registerMessaging();
    await ok(put(a, GUIDE_CONFIG));
    const partial = await ok<Record<string, unknown>>(
      put(a, { skillsEnabled: true, skillsWebhookUrl: "https://yourstore.com/api/gellhub/skills", skills: [{ key: "booking", label: "Booking", keywords: ["book", "appointment"] }] }),
    );
    expect(partial).toMatchObject({ skillsWebhookSecretSet: true, skills: [{ key: "booking", keywords: ["book", "appointment"] }] });
    expect(await ok(put(a, { skillsWebhookSecret: null }))).toMatchObject({ skillsWebhookSecretSet: false, skillsEnabled: true });
    expect(await ok(put(a, { skillsEnabled: false }))).toMatchObject({ skillsEnabled: false, skills: [{ key: "booking" }] });
  });

  it("answers disabled defaults before anything is saved", async () => {
    const a = await registerMessaging();
    expect(await ok(api("GET", "/api/messaging/v1/skills", a))).toEqual({ skillsEnabled: false, skillsWebhookUrl: null, skillsWebhookSecretSet: false, skills: [], updatedAt: null });
  });

  it.each([
    ["a key that is not a slug", { skills: [{ key: "Book Now", label: "B", keywords: ["x"] }] }, "invalid_request"],
    ["duplicate keys", { skills: [{ key: "a", label: "A", keywords: ["x"] }, { key: "a", label: "B", keywords: ["y"] }] }, "invalid_request"],
    ["21 skills", { skills: Array.from({ length: 21 }, (_, i) => ({ key: `s${i}`, label: "S", keywords: ["x"] })) }, "invalid_request"],
    ["21 keywords", { skills: [{ key: "a", label: "A", keywords: Array.from({ length: 21 }, (_, i) => `k${i}`) }] }, "invalid_request"],
    ["no keyword", { skills: [{ key: "a", label: "A", keywords: [] }] }, "invalid_request"],
    ["a keyword with a newline", { skills: [{ key: "a", label: "A", keywords: ["a\nb"] }] }, "invalid_request"],
    ["an unknown field", { skillsEnabled: false, model: "gpt" }, "invalid_request"],
    ["a short secret", { skillsWebhookSecret: "short" }, "invalid_request"],
    ["an http URL", { skillsWebhookUrl: "http://yourstore.com/hook" }, "url_not_allowed"],
    ["a private IP URL", { skillsWebhookUrl: "https://10.1.2.3/hook" }, "url_not_allowed"],
    ["a localhost URL outside local dev", { skillsWebhookUrl: "http://localhost:4010/hook" }, "url_not_allowed"],
    ["enabling without a URL", { skillsEnabled: true, skills: [{ key: "a", label: "A", keywords: ["x"] }] }, "webhook_url_required"],
  ])("refuses %s with 400 and saves nothing", async (_name, body, code) => {
    const a = await registerMessaging();
    const e = await errorOf(put(a, body));
    expect(e).toMatchObject({ status: 400, error: code });
    expect(await ok(api("GET", "/api/messaging/v1/skills", a))).toMatchObject({ updatedAt: null });
  });
});

const SLOTS = { type: "slot_list", items: [{ id: "10:00", title: "10:00", subtitle: "30 min" }, { id: "11:30", title: "11:30", subtitle: "Available" }] };
const VALID_UI = [
  SLOTS,
  { type: "product_cards", items: [{ title: "Mug", price: "€12.90", imageUrl: "https://cdn.shop.com/mug.jpg", actionUrl: "https://shop.com/mug" }, { title: "Plain" }] },
  { type: "buttons", items: [{ label: "Talk to sales", action: "message", message: "I want sales" }, { label: "Yes", action: "message" }, { label: "Docs", action: "url", url: "https://shop.com/docs" }] },
  { type: "iframe", url: "https://booking.shop.com/form", height: 480 },
  { type: "iframe", url: "https://booking.shop.com/form" },
];
const INVALID_UI = [
  ["unknown type", { type: "html", html: "<b>x</b>" }],
  ["empty slot list", { type: "slot_list", items: [] }],
  ["21 slots", { type: "slot_list", items: Array.from({ length: 21 }, (_, i) => ({ id: `${i}`, title: `${i}` })) }],
  ["a slot without title", { type: "slot_list", items: [{ id: "1" }] }],
  ["a 200-char slot title", { type: "slot_list", items: [{ id: "1", title: "x".repeat(200) }] }],
  ["a javascript: action URL", { type: "product_cards", items: [{ title: "x", actionUrl: "javascript:alert(1)" }] }],
  ["an http image", { type: "product_cards", items: [{ title: "x", imageUrl: "http://cdn.shop.com/a.jpg" }] }],
  ["a numeric price", { type: "product_cards", items: [{ title: "x", price: 12.9 }] }],
  ["11 cards", { type: "product_cards", items: Array.from({ length: 11 }, () => ({ title: "x" })) }],
  ["a url button without url", { type: "buttons", items: [{ label: "Go", action: "url" }] }],
  ["an unknown button action", { type: "buttons", items: [{ label: "Go", action: "submit" }] }],
  ["a data: iframe", { type: "iframe", url: "data:text/html,<script>1</script>" }],
  ["an http iframe", { type: "iframe", url: "http://booking.shop.com" }],
  ["a 5000 px iframe", { type: "iframe", url: "https://booking.shop.com", height: 5000 }],
] as const;

describe("skill ui schema", () => {
  it.each(VALID_UI.map((u) => [u.type, u] as const))("accepts a valid %s", (_t, ui) => {
    expect(skillUiSchema.safeParse(ui).success).toBe(true);
  });

  it.each(INVALID_UI)("refuses %s", (_name, ui) => {
    expect(skillUiSchema.safeParse(ui).success).toBe(false);
  });

  it("drops unknown keys so only the documented fields reach the widget", () => {
    const parsed = skillUiSchema.parse({ type: "slot_list", onclick: "x", items: [{ id: "1", title: "1", html: "<img>" }] });
    expect(parsed).toEqual({ type: "slot_list", items: [{ id: "1", title: "1" }] });
  });

  it("needs a message in the answer", () => {
    expect(skillAnswerSchema.safeParse({ version: 1, ui: SLOTS }).success).toBe(false);
    expect(skillAnswerSchema.safeParse({ version: 2, message: "x" }).success).toBe(false);
    expect(skillAnswerSchema.safeParse({ version: 1, message: "Available times tomorrow:", ui: SLOTS }).success).toBe(true);
  });
});

async function skillsAccount(secret: string | null = "your-hmac-secret") {
  const a = await registerMessaging();
  await ok(put(a, { ...GUIDE_CONFIG, skillsWebhookUrl: `${RECEIVER}/api/gellhub/skills`, skillsWebhookSecret: secret }));
  return { a, config: await loadSkillsConfig(db(), a.profileId) };
}

const callInput = (profileId: string, config: Awaited<ReturnType<typeof loadSkillsConfig>>) => ({
  profileId,
  config,
  skill: config.skills[0]!,
  conversationRef: "web:emb_x:visitor-1",
  visitorId: "visitor-1",
  channel: "web",
  message: "What times are available tomorrow?",
  messages: [{ role: "user", content: "What times are available tomorrow?" }],
});

interface Call {
  outcome: string;
  httpStatus: number | null;
  error: string | null;
  skill: string;
}
const calls = (a: { key: string }, q = "") => ok<{ calls: Call[] }>(api("GET", `/api/messaging/v1/skills/calls${q}`, a)).then((r) => r.calls);

describe("callSkill", () => {
  it("POSTs the guide's body with the guide's headers, signed, and returns the validated message and ui", async () => {
    const { a, config } = await skillsAccount();
    const seen = fakeReceiver(RECEIVER, () => json({ version: 1, message: "Available times tomorrow:", ui: SLOTS }));
    const r = await callSkill(env, db(), callInput(a.profileId, config));
    expect(r).toEqual({ ok: true, message: "Available times tomorrow:", ui: SLOTS });
    const req = seen[0]!;
    expect(JSON.parse(req.body)).toEqual({
      version: 1,
      skill: "booking",
      profileId: a.profileId,
      conversationRef: "web:emb_x:visitor-1",
      visitorId: "visitor-1",
      channel: "web",
      message: "What times are available tomorrow?",
      messages: [{ role: "user", content: "What times are available tomorrow?" }],
    });
    expect(req.headers["x-gellhub-skill"]).toBe("booking");
    expect(req.headers["x-gellhub-delivery"]).toMatch(/^skc_/);
    expect(req.headers["x-gellhub-signature"]).toBe(await expectedSignature("your-hmac-secret", req.headers["x-gellhub-timestamp"]!, req.body));
    expect(await calls(a)).toMatchObject([{ outcome: "ok", httpStatus: 200, skill: "booking" }]);
  });

  it("without a secret sends no signature", async () => {
    const { a, config } = await skillsAccount(null);
    const seen = fakeReceiver(RECEIVER, () => json({ message: "Hi" }));
    expect(await callSkill(env, db(), callInput(a.profileId, config))).toEqual({ ok: true, message: "Hi" });
    expect(seen[0]!.headers).not.toHaveProperty("x-gellhub-signature");
  });

  it.each([
    ["an invalid ui", () => json({ version: 1, message: "x", ui: { type: "iframe", url: "javascript:alert(1)" } }), "invalid_answer", 200],
    ["not JSON", () => new Response("<html>oops</html>"), "invalid_answer", 200],
    ["a 500", () => new Response("boom", { status: 500 }), "http_error", 500],
    ["a redirect", () => new Response(null, { status: 302, headers: { location: "https://elsewhere.example.com" } }), "redirect", 302],
    ["a network error", () => Promise.reject(new TypeError("connection refused")), "network_error", null],
  ] as const)("fails on %s and logs it where the merchant sees it", async (_name, answer, outcome, status) => {
    const { a, config } = await skillsAccount();
    fakeReceiver(RECEIVER, answer);
    expect(await callSkill(env, db(), callInput(a.profileId, config))).toEqual({ ok: false, reason: outcome });
    expect(await calls(a, "?failed=true")).toMatchObject([{ outcome, httpStatus: status, error: expect.any(String) }]);
  });

  it("gives up after 5 s (the turn then falls back to the engine)", async () => {
    const { a, config } = await skillsAccount();
    vi.useFakeTimers();
    try {
      vi.spyOn(globalThis, "fetch").mockImplementation((_i, init) => new Promise((_, reject) => init!.signal!.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")))));
      const pending = callSkill(env, db(), callInput(a.profileId, config));
      await vi.advanceTimersByTimeAsync(5_100);
      expect(await pending).toEqual({ ok: false, reason: "timeout" });
    } finally {
      vi.useRealTimers();
    }
    expect(await calls(a)).toMatchObject([{ outcome: "timeout" }]);
  });

  it("re-checks the URL at call time and never requests a refused one", async () => {
    const { a, config } = await skillsAccount();
    const spy = vi.spyOn(globalThis, "fetch");
    expect(await callSkill(env, db(), callInput(a.profileId, { ...config, skillsWebhookUrl: "https://metadata.google.internal/x" }))).toEqual({ ok: false, reason: "url_refused" });
    expect(spy).not.toHaveBeenCalled();
  });
});

import { afterEach, describe, expect, it, vi } from "vitest";
import { callWith, jsonInit, keyHeaders, ok } from "../factories";
import { addSource, createAgent, creditsOf, OPENING_HOURS, readSse, registerMessaging, type ChatAnswer } from "./helpers";

const UPSTREAM = "https://llm.fake.test/v1";
const ENGINE = { AI_BASE_URL: UPSTREAM, AI_API_KEY: "sk-fake-upstream", AI_MODEL: "fake-model" };

/** A small OpenAI-compatible chat-completions server speaking the streaming wire format. */
function fakeUpstream(pieces: string[] | { status: number }) {
  const seen: { url: string; auth: string | null; body: { model: string; stream: boolean; messages: { role: string; content: string }[] } }[] = [];
  const real = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input, init);
    if (!req.url.startsWith(UPSTREAM)) return real(input, init);
    seen.push({ url: req.url, auth: req.headers.get("authorization"), body: await req.json() });
    if (!Array.isArray(pieces)) return new Response(JSON.stringify({ error: { message: "upstream down", type: "server_error" } }), { status: pieces.status, headers: { "content-type": "application/json" } });
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: "chatcmpl-1", object: "chat.completion.chunk", created: 1_700_000_000, model: "fake-model", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const body = [chunk({ role: "assistant", content: "" }), ...pieces.map((p) => chunk({ content: p })), chunk({}, "stop"), "data: [DONE]\n\n"].join("");
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  });
  return seen;
}

const turn = (a: { key: string }, content: string, extra: Record<string, unknown> = {}) =>
  callWith(ENGINE, "/api/messaging/v1/chat", jsonInit({ messages: [{ role: "user", content }], ...extra }, keyHeaders(a)));

afterEach(() => vi.restoreAllMocks());

describe("OpenAI-compatible engine (AI_BASE_URL)", () => {
  it("sends the agent's persona, instructions and retrieved knowledge, and returns the model's answer", async () => {
    const a = await registerMessaging();
    const agent = await createAgent(a, { botDisplayName: "Ada", systemInstructions: "Always answer in one sentence." });
    await addSource(a, agent.id, OPENING_HOURS);
    const seen = fakeUpstream(["We open ", "at 9am."]);
    const answer = await ok<ChatAnswer>(turn(a, "When are you open?"));
    expect(answer).toMatchObject({ role: "assistant", content: "We open at 9am.", creditsCharged: 1, agentId: agent.id });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe(`${UPSTREAM}/chat/completions`);
    expect(seen[0]!.auth).toBe("Bearer sk-fake-upstream");
    expect(seen[0]!.body).toMatchObject({ model: "fake-model", stream: true });
    const system = seen[0]!.body.messages.find((m) => m.role === "system")!.content;
    expect(system).toContain("Ada");
    expect(system).toContain("Always answer in one sentence.");
    expect(system).toContain("We are open 9am to 5pm, Monday to Friday.");
    expect(seen[0]!.body.messages.at(-1)).toEqual({ role: "user", content: "When are you open?" });
  });

  it("streams the model's pieces as delta events, then done", async () => {
    const a = await registerMessaging();
    await createAgent(a);
    fakeUpstream(["Hel", "lo ", "there!"]);
    const res = await turn(a, "Hello", { stream: true });
    expect(res.status).toBe(200);
    const events = await readSse(res);
    expect(events.filter((e) => e.event === "delta").map((e) => (e.data as { content: string }).content)).toEqual(["Hel", "lo ", "there!"]);
    expect(events.at(-1)).toMatchObject({ event: "done", data: { content: "Hello there!", creditsCharged: 1 } });
  });

  it("charges nothing and stores nothing when the upstream fails (502 engine_error)", async () => {
    const a = await registerMessaging();
    await createAgent(a);
    const before = await creditsOf(a.profileId);
    fakeUpstream({ status: 500 });
    const res = await turn(a, "Hello", { conversationRef: "fails" });
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ error: "engine_error" });
    expect(await creditsOf(a.profileId)).toBe(before);
    const list = await ok<{ conversations: unknown[] }>(callWith(ENGINE, "/api/messaging/v1/conversations", { headers: keyHeaders(a) }));
    expect(list.conversations).toEqual([]);
  });
});

describe("turn order", () => {
  it("runs parallel turns of one conversation one after another: each sees every earlier turn", async () => {
    const a = await registerMessaging();
    await createAgent(a);
    const seen = fakeUpstream(["ok"]);
    const ref = "whatsapp:+15550000002:order";
    await Promise.all(["one", "two", "three", "four"].map((m) => ok<ChatAnswer>(turn(a, m, { conversationRef: ref }))));
    // Interleaved turns would have read the same history; queued turns read 0, 2, 4, 6 earlier messages.
    expect(seen.map((r) => r.body.messages.filter((m) => m.role !== "system").length)).toEqual([1, 3, 5, 7]);
  });
});

describe("streaming edge cases", () => {
  it("answers SSE to Accept: text/event-stream, and ends a failed streamed turn with an error event and no charge", async () => {
    const a = await registerMessaging();
    await createAgent(a);
    const before = await creditsOf(a.profileId);
    fakeUpstream({ status: 500 });
    const res = await callWith(ENGINE, "/api/messaging/v1/chat", jsonInit({ messages: [{ role: "user", content: "Hello" }] }, keyHeaders(a, { accept: "text/event-stream" })));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = await readSse(res);
    expect(events.at(-1)).toMatchObject({ event: "error", data: { error: "engine_error" } });
    expect(events.some((e) => e.event === "done")).toBe(false);
    expect(await creditsOf(a.profileId)).toBe(before);
  });
});

describe("Workers AI engine (AI binding)", () => {
  it("streams the binding's SSE answer with the persona and knowledge in the system prompt", async () => {
    const { pickEngine } = await import("../../src/messaging/engine");
    const calls: { model: string; inputs: { messages: { role: string; content: string }[]; stream?: boolean } }[] = [];
    const sse = ['data: {"response":"We open "}\n\n', 'data: {"response":"at 9am."}\n\n', "data: [DONE]\n\n"].join("");
    const AI = {
      async run(model: string, inputs: (typeof calls)[number]["inputs"]) {
        calls.push({ model, inputs });
        return new Response(sse).body!;
      },
    } as unknown as Ai;
    const engine = pickEngine({ AI }, {});
    expect(engine.name).toBe("workers-ai");
    let text = "";
    for await (const piece of engine.stream({
      agent: { botDisplayName: "Ada", botRoleSummary: "", systemInstructions: "Be brief.", humanHandoffEnabled: false, humanHandoffUrl: null, humanHandoffMessage: null },
      knowledge: [{ sourceId: "src_1", kind: "qa", title: "What are your opening hours?", text: "9 to 5", answer: "9 to 5", coverage: 1 }],
      messages: [{ role: "user", content: "When are you open?" }],
    })) text += piece;
    expect(text).toBe("We open at 9am.");
    expect(calls[0]!.model).toBe("@cf/meta/llama-3.1-8b-instruct");
    expect(calls[0]!.inputs.stream).toBe(true);
    expect(calls[0]!.inputs.messages[0]!.content).toContain("Be brief.");
    expect(calls[0]!.inputs.messages.at(-1)).toEqual({ role: "user", content: "When are you open?" });
  });

  it("prefers AI_BASE_URL over the binding, and the built-in engine without either", async () => {
    const { pickEngine } = await import("../../src/messaging/engine");
    const AI = {} as Ai;
    expect(pickEngine({ AI }, { AI_BASE_URL: UPSTREAM }).name).toBe("openai-compatible");
    expect(pickEngine({}, {}).name).toBe("builtin");
  });
});

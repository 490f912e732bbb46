import { describe, expect, it } from "vitest";
import { api, ok } from "../factories";
import { HANDOFF_AGENT, listByStatus, release, reply } from "../messaging-inbox/helpers";
import { history, send, SHOP, visitor } from "./embed-helpers";
import { createAgent, creditsOf, registerMessaging } from "./helpers";

async function handoffEmbed() {
  const a = await registerMessaging();
  await createAgent(a, HANDOFF_AGENT);
  const e = await ok<{ embedPublicId: string }>(api("PUT", "/api/messaging/v1/embed", a, { embedEnabled: true, embedAllowedOrigins: ["shop.com"] }));
  return { a, embedId: e.embedPublicId };
}

const json = async (r: Response) => (await r.json()) as Record<string, unknown>;

describe("handoff and staff replies through the widget", () => {
  it("asking for a person answers the handoff (public fields only, no charge); a staff reply shows in history with its author; the bot then stays silent until release", async () => {
    const { a, embedId } = await handoffEmbed();
    const v = visitor();
    const before = await creditsOf(a.profileId);
    const handoff = await json(await send(embedId, v, "I need to speak with someone on your team"));
    expect(handoff).toEqual({
      role: "assistant",
      content: `${HANDOFF_AGENT.humanHandoffMessage}\n${HANDOFF_AGENT.humanHandoffUrl}`,
      handoff: { requested: true, url: HANDOFF_AGENT.humanHandoffUrl },
      status: "handoff_requested",
    });
    expect(await creditsOf(a.profileId)).toBe(before);
    expect((await json(await history(embedId, v))).status).toBe("handoff_requested");

    const [conv] = await listByStatus(a, "handoff_requested");
    expect((await reply(a, conv!.id, { content: "Hi, Anna here. How can I help?", authorName: "Anna" })).status).toBe(201);
    const h = (await json(await history(embedId, v))) as { status: string; messages: { role: string; content: string; authorName?: string }[] };
    expect(h.status).toBe("human");
    expect(h.messages.at(-1)).toMatchObject({ role: "staff", content: "Hi, Anna here. How can I help?", authorName: "Anna" });

    // In human mode the visitor's message is stored and nothing answers (nothing charged either), streamed or not.
    expect(await json(await send(embedId, v, "Thanks Anna, it is about my order"))).toEqual({ role: "assistant", content: "", status: "human" });
    expect(await creditsOf(a.profileId)).toBe(before);
    // Another visitor of the same widget sees none of it.
    expect((await json(await history(embedId, visitor()))).messages).toEqual([]);

    expect((await release(a, conv!.id)).status).toBe(200);
    const after = await json(await send(embedId, v, "When are you open?", { origin: SHOP }));
    expect(after.status).toBe("open");
    expect(String(after.content).length).toBeGreaterThan(0);
    expect(Object.keys(after).filter((k) => !["role", "content", "status"].includes(k))).toEqual([]);
  });
});

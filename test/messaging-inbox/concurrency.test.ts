import { describe, expect, it } from "vitest";
import { ok } from "../factories";
import { chat, creditsOf } from "../messaging/helpers";
import { handoffAccount, reply, say, transcript, type Answer } from "./helpers";

describe("inbox concurrency", () => {
  it("a staff reply sent while visitor messages arrive splits them cleanly: answered before it, silent after it, credits exact", async () => {
    const { a } = await handoffAccount();
    const first = await say(a, "Hello", "web:race");
    const before = await creditsOf(a.profileId);
    const visitor = Array.from({ length: 6 }, (_, i) => chat(a, `question ${i}`, { conversationRef: "web:race" }).then((r) => r.json() as Promise<Answer>));
    const staff = reply(a, first.conversationId, { content: "Staff here", authorName: "Lee" });
    const answers = await Promise.all(visitor);
    expect((await staff).status).toBe(201);
    const charged = answers.filter((x) => x.creditsCharged === 1).length;
    expect(answers.filter((x) => x.creditsCharged === 0 && x.content === "" && x.status === "human").length).toBe(6 - charged);
    expect(await creditsOf(a.profileId)).toBe(before - charged);
    // In the history, no bot message follows the staff reply, and every earlier question has its answer.
    const t = await transcript(a, first.conversationId);
    const roles = t.messages.map((m) => m.role);
    const staffAt = roles.indexOf("staff");
    expect(roles.slice(staffAt + 1).every((r) => r === "user")).toBe(true);
    expect(roles.slice(0, staffAt).filter((r) => r === "assistant").length).toBe(1 + charged);
    expect(t.messageCount).toBe(t.messages.length);
    await ok(reply(a, first.conversationId, { content: "second reply" }), 201);
    expect((await transcript(a, first.conversationId)).status).toBe("human");
  });
});

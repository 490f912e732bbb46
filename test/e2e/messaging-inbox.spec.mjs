import assert from "node:assert/strict";
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { apiCall, baseUrl, loginAs, registerViaApi, withPage } from "./harness.mjs";

/** A merchant: a Messaging account whose agent knows the opening hours and hands off to a person. */
async function merchant() {
  const user = await registerViaApi("messaging");
  const call = (method, path, body) => apiCall(user, method, path, body);
  const agent = await call("POST", "/api/messaging/v1/agents", {
    name: "Front desk",
    botDisplayName: "Mia",
    humanHandoffEnabled: true,
    humanHandoffMessage: "A person from our team will reply here shortly.",
  });
  assert.equal(agent.status, 201);
  await call("POST", `/api/messaging/v1/agents/${agent.body.id}/sources`, { type: "qa", question: "What are your opening hours?", answer: "We are open 9am to 5pm, Monday to Friday." });
  const chat = (content, ref) => call("POST", "/api/messaging/v1/chat", { channel: "web", conversationRef: ref, messages: [{ role: "user", content }] });
  return { user, call, chat, agentId: agent.body.id };
}

// ---- A partner's receiver written from the guide (node:http + node:crypto only) ----
const SECRET = "your-hmac-secret";
const received = { skills: [], handoff: [] };
let handoffFailuresLeft = 0;
let receiver;
let receiverPort;

function verified(req, body) {
  const ts = req.headers["x-gellhub-timestamp"];
  const sig = req.headers["x-gellhub-signature"] ?? "";
  const expected = createHmac("sha256", SECRET).update(`${ts}.${body}`).digest("hex");
  return sig.length === expected.length && timingSafeEqual(Buffer.from(sig), Buffer.from(expected)) && Math.abs(Date.now() / 1000 - Number(ts)) < 300;
}

before(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const entry = { path: req.url, headers: req.headers, body, json: JSON.parse(body || "{}"), signed: verified(req, body) };
      if (req.url === "/api/gellhub/skills") {
        received.skills.push(entry);
        res.writeHead(entry.signed ? 200 : 401, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            version: 1,
            message: "Available times tomorrow:",
            ui: {
              type: "slot_list",
              items: [
                { id: "10:00", title: "10:00", subtitle: "30 min" },
                { id: "11:30", title: "11:30", subtitle: "Available" },
              ],
            },
          }),
        );
      } else if (req.url === "/api/gellhub/handoff") {
        received.handoff.push(entry);
        if (handoffFailuresLeft > 0) {
          handoffFailuresLeft--;
          res.writeHead(503, { "content-type": "text/plain" });
          res.end("try later");
        } else {
          res.writeHead(entry.signed ? 200 : 401, { "content-type": "application/json" });
          res.end(JSON.stringify({ ok: true }));
        }
      } else {
        res.writeHead(404);
        res.end();
      }
    });
  });
  await new Promise((r) => receiver.listen(0, "127.0.0.1", r));
  receiverPort = receiver.address().port;
});
after(() => receiver?.close());

const waitFor = async (what, check, timeoutMs = 45_000) => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
};

test("in Chromium, a merchant opens the inbox, sees a handoff request first, replies, and releases it to the bot", async () => {
  const m = await merchant();
  await m.chat("Hello there", "web:visitor-other");
  const asked = await m.chat("Can I talk to a real person?", "web:visitor-anna");
  assert.equal(asked.status, 200);
  assert.equal(asked.body.status, "handoff_requested");
  await m.chat("Anyone?", "web:visitor-later"); // newer activity, but not a handoff request
  await withPage(
    async (page) => {
      await loginAs(page, m.user.email, m.user.password);
      await page.goto(`${baseUrl()}/dashboard/messaging`);
      await page.getByRole("link", { name: "Open the inbox" }).click();
      await page.getByRole("heading", { name: "Inbox" }).waitFor();
      const table = page.getByRole("table", { name: "Inbox conversations" });
      const rows = table.locator("tbody tr");
      assert.equal(await rows.count(), 3);
      assert.equal(await rows.first().getAttribute("data-status"), "handoff_requested");
      assert.match(await rows.first().textContent(), /Handoff requested/);

      await page.getByRole("navigation", { name: "Filter by status" }).getByRole("link", { name: "Handoff requested" }).click();
      await page.waitForURL(/status=handoff_requested/);
      assert.equal(await rows.count(), 1);
      await table.getByRole("link", { name: "web:visitor-anna" }).click();
      const transcript = page.getByRole("region", { name: "Transcript" });
      await transcript.getByText("Can I talk to a real person?").waitFor();

      const reply = page.getByRole("form", { name: "Reply" });
      await reply.getByLabel("Reply").fill("Hi, this is Sam from the shop. How can I help?");
      await reply.getByLabel("Your name (shown to the visitor)").fill("Sam");
      await reply.getByRole("button", { name: "Send reply" }).click();
      await page.getByTestId("conversation-status").getByText("With a person").waitFor();
      await transcript.locator('.msg.staff').getByText("Hi, this is Sam from the shop. How can I help?").waitFor();
      assert.match(await transcript.locator(".msg.staff small").first().textContent(), /Sam \(staff\)/);

      // The visitor writes: stored, no bot answer, no credit.
      const silent = await m.chat("Great, I have a question about my order", "web:visitor-anna");
      assert.equal(silent.body.content, "");
      assert.equal(silent.body.status, "human");
      assert.equal(silent.body.creditsCharged, 0);
      // No click: the inbox refreshes itself while nobody is typing.
      await transcript.getByText("Great, I have a question about my order").waitFor({ timeout: 25_000 });

      await page.getByRole("button", { name: "Hand back to the bot" }).click();
      await page.getByTestId("conversation-status").getByText("Bot").waitFor();
      const back = await m.chat("What are your opening hours?", "web:visitor-anna");
      assert.equal(back.body.content, "We are open 9am to 5pm, Monday to Friday.");
      assert.equal(back.body.creditsCharged, 1);
    },
    { name: "messaging-inbox" },
  );
});

test("a receiver written from the guide gets a signed skill call and answers a slot_list: the chat carries it, 0 credits, balance unchanged", async () => {
  const m = await merchant();
  const saved = await m.call("PUT", "/api/messaging/v1/skills", {
    skillsEnabled: true,
    skillsWebhookUrl: `http://127.0.0.1:${receiverPort}/api/gellhub/skills`,
    skillsWebhookSecret: SECRET,
    skills: [{ key: "booking", label: "Booking", keywords: ["book", "appointment"] }],
  });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  const before = (await m.call("GET", "/api/messaging/v1/bot")).body.credits;
  const answer = await m.chat("book an appointment tomorrow", "web:emb_demo:visitor-1");
  assert.equal(answer.status, 200);
  assert.equal(answer.body.content, "Available times tomorrow:");
  assert.equal(answer.body.creditsCharged, 0);
  assert.equal(answer.body.skill, "booking");
  assert.deepEqual(answer.body.ui, {
    type: "slot_list",
    items: [
      { id: "10:00", title: "10:00", subtitle: "30 min" },
      { id: "11:30", title: "11:30", subtitle: "Available" },
    ],
  });
  assert.equal((await m.call("GET", "/api/messaging/v1/bot")).body.credits, before);
  const call = received.skills.at(-1);
  assert.ok(call.signed, "the skill call's X-GellHub-Signature verifies with the shared secret");
  assert.equal(call.headers["x-gellhub-skill"], "booking");
  assert.ok(call.headers["x-gellhub-delivery"]);
  assert.equal(call.json.version, 1);
  assert.equal(call.json.skill, "booking");
  assert.equal(call.json.message, "book an appointment tomorrow");
  assert.equal(call.json.conversationRef, "web:emb_demo:visitor-1");
});

test("the same receiver gets a signed handoff.requested after 3 failed attempts with one X-GellHub-Delivery, and the log shows every attempt", async () => {
  const m = await merchant();
  const saved = await m.call("PUT", "/api/messaging/v1/handoff", { handoffWebhookUrl: `http://127.0.0.1:${receiverPort}/api/gellhub/handoff`, handoffWebhookSecret: SECRET });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  handoffFailuresLeft = 3;
  const start = received.handoff.length;
  const answer = await m.chat("I need to speak with someone on your team", "web:emb_demo:visitor-2");
  assert.equal(answer.body.creditsCharged, 0);
  assert.deepEqual(answer.body.handoff, { requested: true });
  assert.equal(answer.body.content, "A person from our team will reply here shortly.");

  const attempts = await waitFor("four handoff attempts", () => (received.handoff.length - start >= 4 ? received.handoff.slice(start) : null));
  assert.equal(attempts.length, 4);
  assert.equal(new Set(attempts.map((a) => a.headers["x-gellhub-delivery"])).size, 1, "one delivery id on every attempt");
  for (const a of attempts) {
    assert.ok(a.signed, "every attempt is signed afresh");
    assert.equal(a.headers["x-gellhub-event"], "handoff.requested");
  }
  const body = attempts.at(-1).json;
  assert.equal(body.version, 1);
  assert.equal(body.event, "handoff.requested");
  assert.match(body.profileId, /\S/);
  assert.equal(body.conversationRef, "web:emb_demo:visitor-2");
  assert.match(body.requestedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(body.conversationId, answer.body.conversationId);
  assert.equal(body.agentId, m.agentId);
  assert.equal(body.message, "I need to speak with someone on your team");
  assert.equal(body.channel, "web");

  const log = await waitFor("the delivery log", async () => {
    const res = await m.call("GET", "/api/messaging/v1/deliveries");
    const d = res.body.deliveries?.[0];
    return d && d.status === "delivered" && d.attempts.length === 4 ? d : null;
  });
  assert.equal(log.id, attempts[0].headers["x-gellhub-delivery"]);
  assert.deepEqual(
    log.attempts.map((a) => a.httpStatus),
    [503, 503, 503, 200],
  );
});

test("after a staff reply through the API the next visitor message gets no bot answer; after release it does", async () => {
  const m = await merchant();
  const first = await m.chat("Hello", "whatsapp:+15551234567:thread-1");
  const id = first.body.conversationId;
  const reply = await m.call("POST", `/api/messaging/v1/conversations/${id}/messages`, { content: "Hi, Sam here.", authorName: "Sam" });
  assert.equal(reply.status, 201);
  assert.equal(reply.body.conversation.status, "human");
  const silent = await m.chat("What are your opening hours?", "whatsapp:+15551234567:thread-1");
  assert.equal(silent.body.content, "");
  assert.equal(silent.body.creditsCharged, 0);
  const released = await m.call("POST", `/api/messaging/v1/conversations/${id}/release`);
  assert.equal(released.body.status, "open");
  const back = await m.chat("What are your opening hours?", "whatsapp:+15551234567:thread-1");
  assert.equal(back.body.content, "We are open 9am to 5pm, Monday to Friday.");
  const t = await m.call("GET", `/api/messaging/v1/conversations/${id}`);
  assert.deepEqual(
    t.body.messages.map((x) => x.role),
    ["user", "assistant", "staff", "user", "user", "assistant"],
  );
});

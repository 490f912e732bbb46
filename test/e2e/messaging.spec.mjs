import assert from "node:assert/strict";
import { test } from "node:test";
import { apiCall, baseUrl, loginAs, registerViaApi, withPage } from "./harness.mjs";

test("a Messaging user creates an agent, adds a Q&A source and gets that answer streamed in the playground", async () => {
  const user = await registerViaApi("messaging");
  await withPage(
    async (page) => {
      await loginAs(page, user.email, user.password);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Messaging" }).click();
      await page.getByRole("heading", { name: "Messaging", exact: true }).waitFor();
      assert.equal(await page.getByTestId("credits").textContent(), "100");

      const create = page.getByRole("form", { name: "Create agent" });
      await create.getByLabel("Name", { exact: true }).fill("Front desk");
      await create.getByLabel("Display name (what visitors see)").fill("Mia");
      await create.getByRole("button", { name: "Create agent" }).click();
      await page.getByRole("heading", { name: "Knowledge of Front desk" }).waitFor();
      assert.equal(await page.getByRole("table", { name: "Agents" }).getByText("default").count(), 1);

      const qa = page.getByRole("form", { name: "Add Q&A" });
      await qa.getByLabel("Question").fill("What are your opening hours?");
      await qa.getByLabel("Answer").fill("We are open 9am to 5pm, Monday to Friday.");
      await qa.getByRole("button", { name: "Add Q&A" }).click();
      await page.getByRole("table", { name: "Knowledge sources" }).getByText("What are your opening hours?").waitFor();
      await page.getByRole("table", { name: "Knowledge sources" }).getByText("ready").waitFor();

      const playground = page.getByRole("region", { name: "Playground" });
      await playground.getByLabel("Message").fill("When are you open?");
      await playground.getByRole("button", { name: "Send" }).click();
      const answer = playground.locator('.msg.assistant[data-done="1"]');
      await answer.waitFor({ timeout: 15_000 });
      assert.equal(await answer.textContent(), "We are open 9am to 5pm, Monday to Friday.");
      await playground.getByText("1 credit charged").waitFor();

      await playground.getByLabel("Message").fill("Do you sell bicycles?");
      await playground.getByRole("button", { name: "Send" }).click();
      await playground.locator('.msg.assistant[data-done="1"]').nth(1).waitFor({ timeout: 15_000 });
      assert.match(await playground.locator(".msg.assistant").nth(1).textContent(), /don't know/);

      await page.reload();
      await page.getByRole("table", { name: "Conversations" }).getByText("playground", { exact: true }).first().waitFor();
      assert.equal(await page.getByTestId("credits").textContent(), "98");
    },
    { name: "messaging" },
  );
});

test("the guide's Messaging examples run verbatim against the dev server with a registration key", async () => {
  const user = await registerViaApi("messaging");
  const call = (method, path, body) => apiCall(user, method, path, body);
  const created = await call("POST", "/api/messaging/v1/agents", {
    name: "Sales bot",
    botDisplayName: "Store assistant",
    botRoleSummary: "Help with products and prices",
    systemInstructions: "Be friendly and concise.",
    humanHandoffEnabled: false,
    isDefault: true,
  });
  assert.equal(created.status, 201);
  const patched = await call("PATCH", `/api/messaging/v1/agents/${created.body.id}`, { botDisplayName: "Updated name", systemInstructions: "New instructions…", isDefault: true });
  assert.equal(patched.status, 200);
  const chat = await call("POST", "/api/messaging/v1/chat", {
    channel: "api",
    agentId: "optional-agent-cuid",
    conversationRef: "whatsapp:+15551234567:thread-1",
    messages: [{ role: "user", content: "Hello" }],
  });
  assert.equal(chat.status, 200);
  assert.equal(chat.body.role, "assistant");
  assert.equal(chat.body.creditsCharged, 1);
  assert.match(chat.body.content, /Updated name/);
  const bot = await call("GET", "/api/messaging/v1/bot");
  assert.equal(bot.status, 200);
  assert.equal(bot.body.defaultAgent.id, created.body.id);
  assert.equal(bot.body.credits, 99);
});

test("the demo messaging account answers from its seeded knowledge", async () => {
  const res = await fetch(`${baseUrl()}/api/messaging/v1/chat`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": "msg_demoMessagingKey_LOCAL_ONLY_00000000000000" },
    body: JSON.stringify({ channel: "api", conversationRef: "whatsapp:+15551234567:thread-1", messages: [{ role: "user", content: "Can I return an item?" }] }),
  });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.match(body.content, /30 days/);
  assert.equal(body.creditsCharged, 1);
});

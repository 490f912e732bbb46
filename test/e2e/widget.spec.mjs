import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { baseUrl, loginAs, registerViaApi, withPage } from "./harness.mjs";

// A merchant site on its own host (Chromium resolves *.localhost to this machine).
let site;
let sitePort;
const pages = new Map();
before(async () => {
  site = createServer((req, res) => {
    const html = pages.get(new URL(req.url, "http://x").pathname);
    res.writeHead(html ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    res.end(html ?? "not found");
  });
  await new Promise((r) => site.listen(0, "127.0.0.1", r));
  sitePort = site.address().port;
});
after(() => site?.close());

async function merchant(agentFields = {}) {
  const user = await registerViaApi("messaging");
  const h = { "x-api-key": user.key, "content-type": "application/json" };
  const agent = await (
    await fetch(`${baseUrl()}/api/messaging/v1/agents`, { method: "POST", headers: h, body: JSON.stringify({ name: "Front desk", botDisplayName: "Mia", ...agentFields }) })
  ).json();
  await fetch(`${baseUrl()}/api/messaging/v1/agents/${agent.id}/sources`, {
    method: "POST",
    headers: h,
    body: JSON.stringify({ type: "qa", question: "What are your opening hours?", answer: "We are open 9am to 5pm, Monday to Friday." }),
  });
  const res = await fetch(`${baseUrl()}/api/messaging/v1/embed`, { method: "PUT", headers: h, body: JSON.stringify({ embedEnabled: true, embedAllowedOrigins: ["shop.localhost"] }) });
  assert.equal(res.status, 200);
  return { ...(await res.json()), key: user.key };
}

// The guide's snippets verbatim but for the base URL: taken from the API's own answer.
const withBase = (snippet) => snippet.replaceAll("https://gellhub.com", baseUrl());

test("the guide's floating snippet on an allowed site: launcher, a question answered, and the conversation back after a reload", async () => {
  const embed = await merchant();
  pages.set("/floating", `<!doctype html><html><body><h1>Shop</h1>${withBase(embed.embedCodeFloating)}</body></html>`);
  await withPage(
    async (page) => {
      await page.goto(`http://shop.localhost:${sitePort}/floating`);
      const launcher = page.getByRole("button", { name: /Open chat/ });
      await launcher.click();
      const chat = page.frameLocator('iframe[data-gellhub-chat="frame"]');
      await chat.getByText("Hi! How can we help?").waitFor();
      await chat.getByLabel("Your message").fill("What are your opening hours?");
      await chat.getByRole("button", { name: "Send" }).click();
      await chat.getByText("We are open 9am to 5pm, Monday to Friday.").waitFor({ timeout: 15_000 });
      await page.reload();
      await page.getByRole("button", { name: /Open chat/ }).click();
      await page.frameLocator('iframe[data-gellhub-chat="frame"]').getByText("We are open 9am to 5pm, Monday to Friday.").waitFor();
    },
    { name: "widget-floating" },
  );
});

test("the custom-button snippet opens the chat from the page's own button", async () => {
  const embed = await merchant();
  pages.set("/button", `<!doctype html><html><body>${withBase(embed.embedCodeButton)}</body></html>`);
  await withPage(
    async (page) => {
      await page.goto(`http://shop.localhost:${sitePort}/button`);
      await page.waitForFunction(() => Boolean(window.GellHubChat));
      assert.equal(await page.getByRole("button", { name: /Open chat/ }).count(), 0);
      await page.getByRole("button", { name: "Chat", exact: true }).click();
      await page.frameLocator('iframe[data-gellhub-chat="frame"]').getByText("Hi! How can we help?").waitFor();
    },
    { name: "widget-button" },
  );
});

test("the same snippet on a host that is not allowed gets no working chat", async () => {
  const embed = await merchant();
  pages.set("/other", `<!doctype html><html><body>${withBase(embed.embedCodeFloating)}</body></html>`);
  await withPage(
    async (page) => {
      await page.goto(`http://other.localhost:${sitePort}/other`);
      await page.waitForFunction(() => Boolean(window.GellHubChat));
      // The API refuses this Origin...
      const api = await fetch(`${baseUrl()}/api/messaging/embed/v1/config?embedId=${embed.embedPublicId}`, { headers: { origin: `http://other.localhost:${sitePort}` } });
      assert.equal(api.status, 403);
      await page.waitForTimeout(500);
      assert.equal(await page.getByRole("button", { name: /Open chat/ }).count(), 0);
      // ...and the chat page refuses to be framed here (frame-ancestors).
      await page.evaluate(() => window.GellHubChat.open());
      await page.waitForTimeout(1500);
      assert.equal(await page.frameLocator('iframe[data-gellhub-chat="frame"]').getByText("Hi! How can we help?").count(), 0);
    },
    { name: "widget-other-host" },
  );
});

test("the dashboard's Website widget section: the preview follows the greeting as it is typed, and Save keeps it", async () => {
  const user = await registerViaApi("messaging");
  await withPage(
    async (page) => {
      await loginAs(page, user.email, user.password);
      await page.goto("/dashboard/messaging");
      const section = page.getByRole("region", { name: "Website widget" });
      const preview = section.getByTestId("preview-greeting");
      await section.getByLabel("Greeting").fill("Welcome to our shop!");
      await preview.getByText("Welcome to our shop!").waitFor();
      await section.getByLabel("Allowed domains, one per line (e.g. shop.example.com)").fill("shop.example.com");
      await Promise.all([page.waitForURL(/\/dashboard\/messaging/), section.getByRole("button", { name: "Save widget settings" }).click()]);
      await page.getByRole("region", { name: "Website widget" }).getByTestId("preview-greeting").getByText("Welcome to our shop!").waitFor();
      const saved = await (await fetch(`${baseUrl()}/api/messaging/v1/embed`, { headers: { "x-api-key": user.key } })).json();
      assert.equal(saved.embedGreeting, "Welcome to our shop!");
      assert.deepEqual(saved.embedAllowedOrigins, ["shop.example.com"]);
    },
    { name: "widget-dashboard" },
  );
});

/** The merchant page with the floating snippet, opened, and the chat frame's locator and Frame. */
async function openChat(page, embed, path) {
  pages.set(path, `<!doctype html><html><body><h1>Shop</h1>${withBase(embed.embedCodeFloating)}</body></html>`);
  await page.goto(`http://shop.localhost:${sitePort}${path}`);
  await page.getByRole("button", { name: /Open chat/ }).click();
  const chat = page.frameLocator('iframe[data-gellhub-chat="frame"]');
  await chat.getByLabel("Your message").waitFor();
  const frame = page.frames().find((f) => /\/chat\/emb_/.test(f.url()));
  return { chat, frame };
}

async function ask(chat, text) {
  await chat.getByLabel("Your message").fill(text);
  await chat.getByLabel("Your message").press("Enter");
}

test("answers stream in behind a typing indicator; right-to-left text; Esc closes and focus returns to the launcher; full screen on a phone", async () => {
  const embed = await merchant();
  await withPage(
    async (page, context) => {
      // Hold the answer back a moment so the typing indicator can be seen.
      await context.route("**/api/messaging/embed/v1/chat", async (route) => {
        await new Promise((r) => setTimeout(r, 1200));
        await route.continue();
      });
      const { chat, frame } = await openChat(page, embed, "/stream");
      // Record every text the answer bubble shows while it grows (each mutation record, even when batched).
      await frame.evaluate(() => {
        window.__texts = [];
        new MutationObserver((records) => {
          for (const r of records) {
            if (!r.target.classList?.contains("gh-assistant") || r.target.classList.contains("gh-typing")) continue;
            for (const n of r.addedNodes) if (n.nodeType === Node.TEXT_NODE) window.__texts.push(n.data);
          }
        }).observe(document.getElementById("gh-log"), { subtree: true, childList: true });
      });
      await ask(chat, "What are your opening hours?");
      await chat.getByLabel("Typing").waitFor();
      await chat.getByText("We are open 9am to 5pm, Monday to Friday.").waitFor({ timeout: 15_000 });
      assert.equal(await chat.getByLabel("Typing").count(), 0);
      const texts = await frame.evaluate(() => window.__texts);
      assert.ok(texts.length > 2, `the answer grew in steps: ${JSON.stringify(texts)}`);
      assert.ok(texts.every((t, i) => i === 0 || (t.length > texts[i - 1].length && t.startsWith(texts[i - 1]))), JSON.stringify(texts));
      assert.equal(texts.at(-1), "We are open 9am to 5pm, Monday to Friday.");

      await ask(chat, "مرحبا، متى تفتحون؟");
      const rtl = chat.locator(".gh-user", { hasText: "مرحبا" });
      await rtl.waitFor();
      assert.equal(await rtl.evaluate((e) => e.matches(":dir(rtl)")), true);
      assert.equal(await chat.locator(".gh-user").first().evaluate((e) => e.matches(":dir(ltr)")), true);

      await chat.getByLabel("Your message").press("Escape");
      await page.locator('iframe[data-gellhub-chat="frame"]').waitFor({ state: "hidden" });
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-gellhub-chat")), "launcher");
      assert.equal(await page.getByRole("button", { name: /Open chat/ }).getAttribute("aria-expanded"), "false");

      await page.setViewportSize({ width: 375, height: 700 });
      await page.keyboard.press("Enter");
      const box = await page.locator('iframe[data-gellhub-chat="frame"]').boundingBox();
      assert.deepEqual([box.x, box.y, box.width, box.height], [0, 0, 375, 700]);
    },
    { name: "widget-stream" },
  );
});

// The skill answers of the guide's four ui types, as the embed chat returns them (streamed `done`).
const UI_ANSWERS = {
  book: { content: "Here are the free times:", ui: { type: "slot_list", items: [{ id: "10:00", title: "10:00", subtitle: "30 min" }, { id: "11:30", title: "11:30", subtitle: "Available" }] } },
  "11:30": {
    content: "11:30 it is. Shall I book it?",
    ui: { type: "buttons", items: [{ label: "Yes please", action: "message", message: "Confirm 11:30" }, { label: "See the map", action: "url", url: "https://maps.example.com/shop" }] },
  },
  "Confirm 11:30": {
    content: "Booked! You might also like:",
    ui: {
      type: "product_cards",
      items: [
        { title: "Gift card", price: "€25.00", imageUrl: "https://img.example.com/gift.png", actionUrl: "https://shop.example.com/gift" },
        { title: '<img src=x onerror="window.__pwned=1">' },
      ],
    },
  },
  form: { content: "Please fill in the form:", ui: { type: "iframe", url: "https://forms.example.com/booking", height: 300 } },
};
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

test("every skill ui type renders from an answer and from history, and slot and message buttons send the visitor's next message", async () => {
  const embed = await merchant();
  await withPage(
    async (page, context) => {
      const sent = [];
      // The skill answers are put in place of the embed chat's (the real pipeline is covered by the API tests).
      await context.route("**/api/messaging/embed/v1/chat", async (route) => {
        const body = route.request().postDataJSON();
        const text = body.messages.at(-1).content;
        sent.push(text);
        const answer = { role: "assistant", ...(UI_ANSWERS[text] ?? { content: "?" }) };
        await route.fulfill({ status: 200, headers: { "content-type": "text/event-stream" }, body: `event: done\ndata: ${JSON.stringify(answer)}\n\n` });
      });
      await context.route("https://img.example.com/**", (route) => route.fulfill({ status: 200, contentType: "image/png", body: PNG }));
      await context.route("https://forms.example.com/**", (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><p>Booking form</p>" }));
      const { chat, frame } = await openChat(page, embed, "/ui");

      await ask(chat, "book");
      const slots = chat.getByRole("group", { name: "Choose an option" });
      await slots.getByRole("button", { name: /10:00/ }).waitFor();
      assert.equal(await slots.getByText("30 min").count(), 1);
      await slots.getByRole("button", { name: /11:30/ }).click();
      await chat.getByText("11:30 it is. Shall I book it?").waitFor();
      assert.equal(sent.at(-1), "11:30");
      assert.equal(await slots.getByRole("button", { name: /10:00/ }).isDisabled(), true);
      assert.equal(await chat.locator(".gh-user", { hasText: "11:30" }).count(), 1);

      const options = chat.getByRole("group", { name: "Options" });
      const map = options.getByRole("link", { name: "See the map" });
      assert.equal(await map.getAttribute("href"), "https://maps.example.com/shop");
      assert.equal(await map.getAttribute("target"), "_blank");
      assert.match(await map.getAttribute("rel"), /noopener/);
      await options.getByRole("button", { name: "Yes please" }).click();
      await chat.getByText("Booked! You might also like:").waitFor();
      assert.equal(sent.at(-1), "Confirm 11:30");

      const products = chat.getByRole("group", { name: "Products" });
      const card = products.getByRole("link", { name: /Gift card/ });
      assert.equal(await card.getAttribute("href"), "https://shop.example.com/gift");
      assert.equal(await card.getAttribute("target"), "_blank");
      assert.match(await card.getAttribute("rel"), /noopener/);
      assert.equal(await products.getByText("€25.00").count(), 1);
      await card.locator("img").evaluate((img) => (img.complete && img.naturalWidth > 0) || new Promise((r) => (img.onload = r)));
      // Markup in a title stays text.
      await products.getByText('<img src=x onerror="window.__pwned=1">').waitFor();
      assert.equal(await frame.evaluate(() => window.__pwned), undefined);

      await ask(chat, "form");
      const inner = chat.locator('iframe[title="Form"]');
      await inner.waitFor();
      assert.equal(await inner.getAttribute("src"), "https://forms.example.com/booking");
      assert.equal(await inner.getAttribute("height"), "300");
      const sandbox = (await inner.getAttribute("sandbox")).split(" ");
      assert.ok(sandbox.includes("allow-scripts") && sandbox.includes("allow-forms"));
      assert.ok(!sandbox.includes("allow-top-navigation"));
      await chat.frameLocator('iframe[title="Form"]').getByText("Booking form").waitFor();

      // The same ui from history (a reload), with a staff reply among the messages.
      await context.route("**/api/messaging/embed/v1/history?*", (route) =>
        route.fulfill({
          status: 200,
          contentType: "application/json",
          body: JSON.stringify({
            status: "human",
            messages: [
              { id: "m1", role: "user", content: "book", createdAt: new Date().toISOString() },
              { id: "m2", role: "assistant", content: "Here are the free times:", createdAt: new Date().toISOString(), ui: UI_ANSWERS.book.ui },
              { id: "m3", role: "staff", content: "Hi, Anna here.", authorName: "Anna", createdAt: new Date().toISOString() },
            ],
          }),
        }),
      );
      await page.reload();
      await page.getByRole("button", { name: /Open chat/ }).click();
      const again = page.frameLocator('iframe[data-gellhub-chat="frame"]');
      await again.getByRole("group", { name: "Choose an option" }).getByRole("button", { name: /11:30/ }).waitFor();
      const staff = again.locator(".gh-staff");
      await staff.getByText("Hi, Anna here.").waitFor();
      assert.equal(await staff.locator(".gh-author").textContent(), "Anna");
    },
    { name: "widget-ui" },
  );
});

test("a handoff reaches the page (on('handoff')), and a staff reply sent through the API appears in the open chat without a reload (on('message'))", async () => {
  const embed = await merchant({ humanHandoffEnabled: true, humanHandoffMessage: "A person from our team will reply here shortly." });
  await withPage(
    async (page) => {
      pages.set("/handoff", `<!doctype html><html><body>${withBase(embed.embedCodeFloating)}</body></html>`);
      await page.goto(`http://shop.localhost:${sitePort}/handoff`);
      await page.waitForFunction(() => Boolean(window.GellHubChat));
      await page.evaluate(() => {
        window.__events = [];
        window.GellHubChat.on("handoff", (d) => window.__events.push(["handoff", d]));
        window.GellHubChat.on("message", (d) => window.__events.push(["message", d]));
      });
      await page.getByRole("button", { name: /Open chat/ }).click();
      const chat = page.frameLocator('iframe[data-gellhub-chat="frame"]');
      await ask(chat, "I need to speak with someone on your team");
      await chat.getByText("A person from our team will reply here shortly.").waitFor({ timeout: 15_000 });
      await page.waitForFunction(() => window.__events.some(([e]) => e === "handoff"));
      const [, handoff] = (await page.evaluate(() => window.__events)).find(([e]) => e === "handoff");
      assert.equal(handoff.type, "gellhub:handoff");
      assert.equal(handoff.embedId, embed.embedPublicId);

      const h = { "x-api-key": embed.key, "content-type": "application/json" };
      const list = await (await fetch(`${baseUrl()}/api/messaging/v1/conversations?status=handoff_requested`, { headers: h })).json();
      assert.equal(list.conversations.length, 1);
      const posted = await fetch(`${baseUrl()}/api/messaging/v1/conversations/${list.conversations[0].id}/messages`, {
        method: "POST",
        headers: h,
        body: JSON.stringify({ content: "Hi, Anna here. How can I help?", authorName: "Anna" }),
      });
      assert.equal(posted.status, 201);
      const staff = chat.locator(".gh-staff");
      await staff.getByText("Hi, Anna here. How can I help?").waitFor({ timeout: 10_000 });
      assert.equal(await staff.locator(".gh-author").textContent(), "Anna");
      await page.waitForFunction(() => window.__events.some(([e, d]) => e === "message" && d.role === "staff"));
      // Shown once, even as the polling goes on.
      await page.waitForTimeout(3500);
      assert.equal(await staff.count(), 1);
      assert.equal(await chat.getByText("I need to speak with someone on your team").count(), 1);
    },
    { name: "widget-handoff" },
  );
});

test("the demo shop's chat link (printed by npm run dev) answers from the seeded agent", async () => {
  await withPage(
    async (page) => {
      await page.goto("/chat/emb_demoCornerShop");
      await page.getByText("Hi! Ask me about opening hours, delivery or returns.").waitFor();
      await page.getByLabel("Your message").fill("What are your opening hours?");
      await page.getByRole("button", { name: "Send" }).click();
      await page.getByText("We are open 9am to 5pm, Monday to Friday.").waitFor({ timeout: 15_000 });
    },
    { name: "widget-demo" },
  );
});

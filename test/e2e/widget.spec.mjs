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
      // Record every text the answer bubble shows while it grows.
      await frame.evaluate(() => {
        window.__texts = [];
        new MutationObserver(() => {
          const b = [...document.querySelectorAll(".gh-assistant:not(.gh-typing)")].at(-1);
          if (b && b.textContent !== window.__texts.at(-1)) window.__texts.push(b.textContent);
        }).observe(document.getElementById("gh-log"), { subtree: true, childList: true, characterData: true });
      });
      await ask(chat, "What are your opening hours?");
      await chat.getByLabel("Typing").waitFor();
      await chat.getByText("We are open 9am to 5pm, Monday to Friday.").waitFor({ timeout: 15_000 });
      assert.equal(await chat.getByLabel("Typing").count(), 0);
      const texts = await frame.evaluate(() => window.__texts.slice(1));
      assert.ok(texts.length > 2, `the answer grew in steps: ${JSON.stringify(texts)}`);
      assert.ok(texts.every((t, i) => i === 0 || t.length >= texts[i - 1].length));

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

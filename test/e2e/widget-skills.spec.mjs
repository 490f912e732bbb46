import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { baseUrl, registerViaApi, withPage } from "./harness.mjs";

// The whole path of issue 12 in the widget: skills configured through the API, a skill receiver
// written from the guide on a local port answering each ui type, the chat frame rendering them.
const UI = {
  booking: { message: "Available times tomorrow:", ui: { type: "slot_list", items: [{ id: "10:00", title: "10:00", subtitle: "30 min" }, { id: "11:30", title: "11:30" }] } },
  gifts: { message: "Our gift ideas:", ui: { type: "product_cards", items: [{ title: "Gift card", price: "€25.00", actionUrl: "https://shop.example.com/gift" }] } },
  help: {
    message: "How can we help?",
    ui: { type: "buttons", items: [{ label: "Opening hours", action: "message", message: "What are your opening hours?" }, { label: "Call us", action: "url", url: "https://shop.example.com/call" }] },
  },
  form: { message: "Please fill in the form:", ui: { type: "iframe", url: "https://forms.example.com/booking", height: 320 } },
};
const calls = [];
const servers = [];
const pages = new Map();
let sitePort;
let receiverPort;

async function listen(handler) {
  const server = createServer(handler);
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  servers.push(server);
  return server.address().port;
}

before(async () => {
  sitePort = await listen((req, res) => {
    const html = pages.get(new URL(req.url, "http://x").pathname);
    res.writeHead(html ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    res.end(html ?? "not found");
  });
  receiverPort = await listen((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const json = JSON.parse(body);
      calls.push(json);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ version: 1, ...UI[json.skill] }));
    });
  });
});
after(() => servers.forEach((s) => s.close()));

test("skills answered by a local receiver render in the widget: slots, product cards, buttons and a sandboxed form", async () => {
  const user = await registerViaApi("messaging");
  const h = { "x-api-key": user.key, "content-type": "application/json" };
  const put = async (path, body) => {
    const res = await fetch(`${baseUrl()}${path}`, { method: path.endsWith("agents") ? "POST" : "PUT", headers: h, body: JSON.stringify(body) });
    assert.ok(res.ok, `${path}: ${res.status} ${await res.clone().text()}`);
    return res.json();
  };
  await put("/api/messaging/v1/agents", { name: "Front desk" });
  await put("/api/messaging/v1/skills", {
    skillsEnabled: true,
    skillsWebhookUrl: `http://127.0.0.1:${receiverPort}/skills`,
    skills: Object.keys(UI).map((key) => ({ key, label: key, keywords: [{ booking: "appointment", gifts: "gift", help: "help", form: "form" }[key]] })),
  });
  const embed = await put("/api/messaging/v1/embed", { embedEnabled: true, embedAllowedOrigins: ["shop.localhost"] });
  pages.set("/skills", `<!doctype html><html><body>${embed.embedCodeFloating.replaceAll("https://gellhub.com", baseUrl())}</body></html>`);

  await withPage(
    async (page, context) => {
      await context.route("https://forms.example.com/**", (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><p>Booking form</p>" }));
      await page.goto(`http://shop.localhost:${sitePort}/skills`);
      await page.getByRole("button", { name: /Open chat/ }).click();
      const chat = page.frameLocator('iframe[data-gellhub-chat="frame"]');
      const ask = async (text) => {
        // The frame takes one message at a time: wait for the previous answer (Send enabled again).
        await chat.locator("#gh-form button:enabled").waitFor();
        await chat.getByLabel("Your message").fill(text);
        await chat.getByLabel("Your message").press("Enter");
      };

      await ask("Can I book an appointment tomorrow?");
      await chat.getByText("Available times tomorrow:").waitFor({ timeout: 15_000 });
      assert.equal(calls.at(-1).conversationRef, `web:${embed.embedPublicId}:${calls.at(-1).visitorId}`);
      assert.equal(calls.at(-1).channel, "web");
      await chat.getByRole("group", { name: "Choose an option" }).getByRole("button", { name: /10:00/ }).click();
      await chat.locator(".gh-user", { hasText: /^10:00$/ }).waitFor();

      await ask("Do you sell a gift card?");
      const card = chat.getByRole("group", { name: "Products" }).getByRole("link", { name: /Gift card/ });
      assert.equal(await card.getAttribute("target"), "_blank");
      assert.match(await card.getAttribute("rel"), /noopener/);

      await ask("I need help");
      const options = chat.getByRole("group", { name: "Options" });
      assert.equal(await options.getByRole("link", { name: "Call us" }).getAttribute("href"), "https://shop.example.com/call");
      await options.getByRole("button", { name: "Opening hours" }).click();
      await chat.locator(".gh-user", { hasText: "What are your opening hours?" }).waitFor();

      await ask("Send me the form");
      const form = chat.locator('iframe[title="Form"]');
      await form.waitFor();
      assert.match(await form.getAttribute("sandbox"), /allow-scripts/);
      await chat.frameLocator('iframe[title="Form"]').getByText("Booking form").waitFor();

      // A reload brings all of it back from history.
      await page.reload();
      await page.getByRole("button", { name: /Open chat/ }).click();
      await chat.getByRole("group", { name: "Products" }).getByRole("link", { name: /Gift card/ }).waitFor();
      await chat.locator('iframe[title="Form"]').waitFor();
    },
    { name: "widget-skills" },
  );
});

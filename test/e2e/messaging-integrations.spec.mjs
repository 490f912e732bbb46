import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { apiJson, loginAs, registerViaApi, withPage } from "./harness.mjs";

// The Dynamic skills and Human handoff dashboard pages in Chromium, against `npm run dev`'s
// server (LOCAL_DEV: a receiver on 127.0.0.1 is allowed), with a receiver written from the guide.
const SECRET = "dashboard-secret-42";
const received = [];
/** What the handoff endpoint answers next (a queue of statuses; 200 when empty). */
const handoffScript = [];
let server;
let port;

const signed = (req, body) => createHmac("sha256", SECRET).update(`${req.headers["x-gellhub-timestamp"]}.${body}`).digest("hex") === req.headers["x-gellhub-signature"];

before(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ path: req.url, headers: req.headers, json: JSON.parse(body || "{}"), signed: signed(req, body) });
      if (req.url === "/skills") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ version: 1, message: "Available times tomorrow:", ui: { type: "slot_list", items: [{ id: "10:00", title: "10:00", subtitle: "30 min" }] } }));
        return;
      }
      const status = handoffScript.shift() ?? 200;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(status === 200 ? '{"ok":true}' : '{"error":"try later"}');
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  port = server.address().port;
});
after(() => server.close());

test("skills page: save the webhook and skills, send a signed test call, see the slot_list and the call log", async () => {
  const user = await registerViaApi("messaging");
  await withPage(
    async (page) => {
      await loginAs(page, user.email, user.password);
      await page.goto("/dashboard/messaging");
      await page.getByRole("link", { name: "Dynamic skills" }).click();
      await page.waitForURL(/\/dashboard\/messaging\/skills$/);
      await page.getByLabel("Skills enabled").check();
      await page.getByLabel("Webhook URL (https)").fill(`http://127.0.0.1:${port}/skills`);
      await page.getByLabel(/Signing secret/).fill(SECRET);
      await page.getByLabel(/Skills, one per line/).fill("booking | Booking | book, appointment\ncatalog | Products | product, price");
      await page.getByRole("button", { name: "Save skills" }).click();
      await page.getByRole("status").getByText("Saved.").waitFor();
      assert.ok(await page.getByPlaceholder("A secret is set: leave empty to keep it").isVisible());

      const config = await apiJson(user, "GET", "/api/messaging/v1/skills");
      assert.deepEqual(config.skills.map((s) => s.key), ["booking", "catalog"]);
      assert.equal(config.skillsWebhookSecretSet, true);

      await page.getByLabel("Visitor message").fill("Can I book an appointment tomorrow?");
      await page.getByRole("button", { name: "Send a signed test call" }).click();
      const result = page.getByTestId("skill-test-result");
      await result.getByText("valid answer").waitFor();
      assert.match(await result.textContent(), /"type": "slot_list"/);
      const call = received.filter((r) => r.path === "/skills").at(-1);
      assert.ok(call.signed, "the test call is signed with the saved secret");
      assert.equal(call.headers["x-gellhub-skill"], "booking");
      assert.equal(call.json.message, "Can I book an appointment tomorrow?");
      const row = page.getByRole("table", { name: "Skill calls" }).locator("tbody tr").first();
      assert.match(await row.textContent(), /booking.*ok.*200/s);
    },
    { name: "skills-page" },
  );
});

test("handoff page: a test event that fails 3 times is delivered, every attempt shows, replay sends it again; 410 pauses until saved", async () => {
  const user = await registerViaApi("messaging");
  await withPage(
    async (page) => {
      await loginAs(page, user.email, user.password);
      await page.goto("/dashboard/messaging/handoff");
      await page.getByLabel("Webhook URL (https)").fill(`http://127.0.0.1:${port}/handoff`);
      await page.getByLabel(/Signing secret/).fill(SECRET);
      await page.getByRole("button", { name: "Save webhook" }).click();
      await page.getByRole("status").getByText("Saved.").waitFor();

      handoffScript.push(503, 500, 503);
      const before = received.length;
      await page.getByRole("button", { name: "Send a test event" }).click();
      await page.getByText("Test event queued").waitFor();
      // The page reloads itself while the delivery is in flight (Refresh header): wait for the outcome.
      const row = page.locator("tr[data-delivery-id]").first();
      await page.locator('tr[data-delivery-id][data-status="delivered"]').waitFor({ timeout: 45_000 });
      const hits = received.slice(before).filter((r) => r.path === "/handoff");
      assert.equal(hits.length, 4);
      assert.equal(new Set(hits.map((h) => h.headers["x-gellhub-delivery"])).size, 1);
      assert.ok(hits.every((h) => h.signed && h.headers["x-gellhub-event"] === "handoff.requested"));
      const id = await row.getAttribute("data-delivery-id");
      assert.equal(id, hits[0].headers["x-gellhub-delivery"]);

      await row.getByText("4 attempts").click();
      const attempts = page.getByRole("table", { name: `Attempts of ${id}` }).locator("tbody tr");
      assert.equal(await attempts.count(), 4);
      assert.deepEqual(
        await attempts.evaluateAll((trs) => trs.map((tr) => [tr.children[2].textContent, tr.children[4].textContent])),
        [["503", "retry"], ["500", "retry"], ["503", "retry"], ["200", "delivered"]],
      );

      await row.getByRole("button", { name: "Replay" }).click();
      await page.getByText("Delivery queued again.").waitFor();
      await page.locator(`tr[data-delivery-id="${id}"][data-status="delivered"]`).waitFor({ timeout: 20_000 });
      await page.locator(`tr[data-delivery-id="${id}"]`).getByText("5 attempts").waitFor();
      assert.equal(received.slice(before).filter((r) => r.path === "/handoff" && r.headers["x-gellhub-delivery"] === id).length, 5);

      handoffScript.push(410);
      await page.getByRole("button", { name: "Send a test event" }).click();
      await page.getByTestId("handoff-disabled").waitFor({ timeout: 20_000 });
      await page.locator('tr[data-status="disabled"]').first().waitFor();
      await page.getByRole("button", { name: "Save webhook" }).click();
      await page.getByRole("status").getByText("Saved.").waitFor();
      assert.equal(await page.getByTestId("handoff-disabled").count(), 0);
    },
    { name: "handoff-page" },
  );
});

import assert from "node:assert/strict";
import { test } from "node:test";
import { baseUrl, DEMO_PASSWORD, loginAs, registerViaApi, withPage } from "./harness.mjs";

const PARTNER = "https://partner.example.test";
const CALLBACK = `${PARTNER}/api/gellhub/callback`;

/** The partner's server side, as documented: exchange and verify with fetch. */
const partnerPost = (path, body) =>
  fetch(`${baseUrl()}${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

let shared = null;

test("a developer creates an app in the Developer Console, sees the secret once and rotates it", async () => {
  const dev = await registerViaApi("studio");
  await withPage(
    async (page) => {
      await loginAs(page, dev.email, dev.password);
      await page.getByRole("link", { name: "Developer Console" }).click();
      await page.getByRole("heading", { name: "Developer Console" }).waitFor();
      await page.getByLabel("App name").fill("Browser Partner");
      await page.getByLabel("Drive").check();
      await page.getByLabel(/Redirect URIs/).fill(CALLBACK);
      await page.getByRole("button", { name: "Create app" }).click();

      const box = page.getByTestId("client-secret");
      await box.waitFor();
      assert.match(await box.getAttribute("class"), /alert secret/);
      const secret = (await page.getByTestId("client-secret-value").textContent()).trim();
      const clientId = (await page.getByTestId("client-id").textContent()).trim();
      assert.match(secret, /^cs_/);
      assert.match(clientId, /^ci_/);

      // The list shows the client id only.
      await page.getByRole("link", { name: "← Developer Console" }).click();
      await page.getByRole("table", { name: "Applications" }).getByText(clientId).waitFor();
      assert.ok(!(await page.content()).includes(secret));

      // Rotate: a new secret once; the old one stops working at once.
      await page.getByRole("link", { name: "Browser Partner" }).click();
      await page.getByRole("button", { name: "Rotate secret" }).click();
      const rotated = (await page.getByTestId("client-secret-value").textContent()).trim();
      assert.notEqual(rotated, secret);
      const old = await partnerPost("/api/integrations/connect/verify", { profile_id: "pr_x", client_id: clientId, client_secret: secret });
      assert.equal(old.status, 401);
      const fresh = await partnerPost("/api/integrations/connect/verify", { profile_id: "pr_x", client_id: clientId, client_secret: rotated });
      assert.equal(fresh.status, 404);
      shared = { clientId, secret: rotated, dev };
    },
    { name: "console-create" },
  );
});

test("an end user connects through the browser and the partner exchanges the code; the Console shows the funnel", async () => {
  assert.ok(shared, "needs the app from the previous test");
  const { clientId, secret, dev } = shared;
  await withPage(
    async (page) => {
      let landed = null;
      await page.route(`${PARTNER}/**`, (route) => {
        landed = new URL(route.request().url());
        return route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Partner callback</h1>" });
      });
      const state = `st-${Date.now()}`;
      const start =
        `${baseUrl()}/api/integrations/connect/start?client_id=${encodeURIComponent(clientId)}` +
        `&return_url=${encodeURIComponent(CALLBACK)}&state=${encodeURIComponent(state)}&plan=plan_drive_free`;
      await page.goto(start);
      await page.waitForURL(/\/register$/);
      const banner = page.getByTestId("connect-banner");
      await banner.waitFor();
      assert.match(await banner.textContent(), /Browser Partner/);
      assert.equal(await page.getByLabel("Plan").inputValue(), "plan_drive_free");
      const email = `connect-${Date.now()}@example.com`;
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill("connect password 1");
      await page.getByLabel("Studio, shop or display name").fill("Connected Shop");
      await page.getByRole("button", { name: "Create account" }).click();
      await page.getByRole("heading", { name: "Partner callback" }).waitFor();
      assert.equal(landed.origin + landed.pathname, CALLBACK);
      assert.equal(landed.searchParams.get("state"), state);

      const r = await partnerPost("/api/integrations/connect/exchange", { code: landed.searchParams.get("code"), client_id: clientId, client_secret: secret });
      assert.equal(r.status, 200);
      const account = await r.json();
      assert.equal(account.email, email);
      assert.match(account.driveApiKey, /^drv_/);
      const bill = await fetch(`${baseUrl()}/api/billing/status`, { headers: { "x-api-key": account.driveApiKey } });
      assert.equal(bill.status, 200);
      const v = await partnerPost("/api/integrations/connect/verify", { profile_id: account.profileId, client_id: clientId, client_secret: secret });
      assert.equal(v.status, 200);
      assert.equal((await v.json()).linked, true);
    },
    { name: "connect-flow" },
  );
  await withPage(
    async (page) => {
      await loginAs(page, dev.email, dev.password);
      await page.goto("/dashboard/console");
      await page.getByRole("link", { name: "Browser Partner" }).click();
      await page.getByTestId("funnel-chart").waitFor();
      assert.equal((await page.locator('[data-metric="exchanges"]').textContent()).trim(), "1");
      assert.equal((await page.locator('[data-metric="registrations"]').textContent()).trim(), "1");
    },
    { name: "console-analytics" },
  );
});

test("a paid plan goes through checkout and stripe-return, then lands on the partner callback", async (t) => {
  assert.ok(shared, "needs the app from the first test");
  const { clientId, secret } = shared;
  await withPage(
    async (page) => {
      let landed = null;
      await page.route(`${PARTNER}/**`, (route) => {
        landed = new URL(route.request().url());
        return route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Partner callback</h1>" });
      });
      await page.goto(
        `${baseUrl()}/api/integrations/connect/start?client_id=${encodeURIComponent(clientId)}` +
          `&return_url=${encodeURIComponent(CALLBACK)}&state=paid&plan=plan_drive_plus`,
      );
      assert.equal(await page.getByLabel("Plan").inputValue(), "plan_drive_plus");
      await page.getByLabel("Email").fill(`paid-${Date.now()}@example.com`);
      await page.getByLabel("Password").fill("connect password 1");
      await page.getByLabel("Studio, shop or display name").fill("Paying Shop");
      await Promise.all([page.waitForURL(/\/billing\/test-checkout\//), page.getByRole("button", { name: "Create account" }).click()]);
      await page.getByRole("button", { name: "Pay with test card" }).click();
      await page.getByRole("heading", { name: "Partner callback" }).waitFor();
      assert.equal(landed.searchParams.get("state"), "paid");
      const r = await partnerPost("/api/integrations/connect/exchange", { code: landed.searchParams.get("code"), client_id: clientId, client_secret: secret });
      assert.equal(r.status, 200);
      const account = await r.json();
      assert.equal(account.plan.id, "plan_drive_plus");
      const bill = await (await fetch(`${baseUrl()}/api/billing/status`, { headers: { "x-api-key": account.driveApiKey } })).json();
      assert.equal(bill.stripeStatus, "active");
    },
    { name: "connect-paid" },
  );
});

test("staff suspend and reactivate an app from admin Partner apps", async () => {
  assert.ok(shared, "needs the app from the first test");
  const { clientId, secret } = shared;
  await withPage(
    async (page) => {
      await loginAs(page, "admin@demo.gellhub.dev", DEMO_PASSWORD);
      await page.getByRole("link", { name: "Partner apps" }).click();
      const row = page.locator("tr", { hasText: clientId });
      await row.waitFor();
      await row.getByRole("button", { name: /Suspend/ }).click();
      await page.locator("tr", { hasText: clientId }).getByText("suspended").waitFor();
      const v = await partnerPost("/api/integrations/connect/verify", { profile_id: "pr_x", client_id: clientId, client_secret: secret });
      assert.equal(v.status, 403);
      assert.equal((await v.json()).error, "app_suspended");
      await page.locator("tr", { hasText: clientId }).getByRole("button", { name: /Reactivate/ }).click();
      await page.locator("tr", { hasText: clientId }).getByText("active", { exact: true }).waitFor();
      const again = await partnerPost("/api/integrations/connect/verify", { profile_id: "pr_x", client_id: clientId, client_secret: secret });
      assert.equal(again.status, 404);
    },
    { name: "admin-suspend" },
  );
});

test("a regular user cannot open admin Partner apps", async () => {
  const user = await registerViaApi("drive");
  await withPage(async (page) => {
    await loginAs(page, user.email, user.password);
    assert.equal(await page.getByRole("link", { name: "Partner apps" }).count(), 0);
    const res = await page.goto("/admin/apps");
    assert.equal(res.status(), 403);
  });
});

import assert from "node:assert/strict";
import { test } from "node:test";
import { baseUrl, DEMO_PASSWORD, loginAs, withPage } from "./harness.mjs";

test("a visitor sees live plans, registers, and gets a key shown once", async () => {
  await withPage(
    async (page) => {
      await page.goto("/");
      await page.getByRole("heading", { name: "Drive" }).waitFor();
      assert.ok(await page.locator('[data-plan-id="plan_drive_plus"]').isVisible());

      await page.getByRole("link", { name: "Create account" }).first().click();
      const email = `browser-${Date.now()}@example.com`;
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill("browser password 1");
      await page.getByLabel("Studio, shop or display name").fill("Browser Studio");
      await page.getByLabel("Drive (files)").check();
      await page.getByRole("button", { name: "Create account" }).click();

      const secret = page.getByTestId("new-key");
      await secret.waitFor();
      const key = (await secret.locator("code").textContent()).trim();
      assert.match(key, /^drv_[A-Za-z0-9_-]{40,}$/);

      // The key works against the API, and the dashboard never shows it again.
      const res = await fetch(`${baseUrl()}/api/account`, { headers: { "x-api-key": key } });
      assert.equal(res.status, 200);
      assert.equal((await res.json()).profile.email, email);
      await page.goto("/dashboard");
      assert.equal(await page.getByTestId("new-key").count(), 0);
      assert.ok(!(await page.content()).includes(key));
    },
    { name: "register" },
  );
});

test("a user logs in, creates a key, rotates it, and logs out", async () => {
  await withPage(
    async (page) => {
      await loginAs(page, "studio@demo.gellhub.dev", DEMO_PASSWORD);
      await page.getByRole("heading", { name: "Dashboard" }).waitFor();

      await page.getByLabel("Label").fill("Website");
      await page.getByRole("button", { name: "Create key" }).click();
      const key = (await page.getByTestId("new-key").locator("code").textContent()).trim();
      assert.match(key, /^sk_/);
      const row = page.locator("tr", { hasText: "Website" });
      await row.waitFor();

      await row.getByRole("button", { name: /Rotate key/ }).click();
      const rotated = (await page.getByTestId("new-key").locator("code").textContent()).trim();
      assert.notEqual(rotated, key);
      const old = await fetch(`${baseUrl()}/api/account`, { headers: { "x-api-key": key } });
      assert.equal(old.status, 401);
      const fresh = await fetch(`${baseUrl()}/api/account`, { headers: { "x-api-key": rotated } });
      assert.equal(fresh.status, 200);

      await page.getByRole("button", { name: "Log out" }).click();
      await page.waitForURL(`${baseUrl()}/`);
      await page.goto("/dashboard");
      await page.waitForURL(/\/login/);
    },
    { name: "login-keys" },
  );
});

test("a wrong password shows an error on the login form", async () => {
  await withPage(async (page) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill("drive@demo.gellhub.dev");
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("alert").waitFor();
    assert.match(await page.getByRole("alert").textContent(), /incorrect/);
  });
});

test("the API reference renders the OpenAPI document offline, as a self-hosted page", async () => {
  await withPage(
    async (page) => {
      const external = [];
      const problems = [];
      page.on("request", (r) => {
        if (!r.url().startsWith(baseUrl()) && !r.url().startsWith("data:") && !r.url().startsWith("blob:")) external.push(r.url());
      });
      // A request our CSP blocks never leaves the browser, so it shows up only as a console error.
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
      page.on("response", (r) => {
        if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
      });
      await page.goto("/docs");
      await page.getByText("GellHub API").first().waitFor({ timeout: 20_000 });
      await page.getByText("/api/public/plans").first().waitFor();
      // Scalar's hosted features keep polling their servers: a self-hosted page goes quiet.
      await page.waitForLoadState("networkidle", { timeout: 8000 }).catch(() => problems.push("the page never stopped making requests"));
      for (const control of ["Ask AI", "Share", "Deploy", "Configure"]) {
        assert.equal(await page.getByRole("button", { name: control, exact: true }).count(), 0, `${control} is shown`);
        assert.equal(await page.getByRole("link", { name: control, exact: true }).count(), 0, `${control} link is shown`);
      }
      const icon = await page.request.get("/favicon.ico");
      assert.equal(icon.status(), 200);
      assert.match(icon.headers()["content-type"] ?? "", /^image\//);
      assert.deepEqual(external, []);
      assert.deepEqual(problems, []);
    },
    { name: "docs" },
  );
});

import assert from "node:assert/strict";
import { test } from "node:test";
import { baseUrl, loginAs, registerViaApi, withPage } from "./harness.mjs";

test("a user picks a paid plan in the dashboard, pays in the local test checkout, and sees the new storage limit", async () => {
  const account = await registerViaApi("studio");
  await withPage(
    async (page) => {
      await loginAs(page, account.email, account.password);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Billing" }).click();
      await page.waitForURL(/\/dashboard\/billing$/);
      await page.getByTestId("local-test-mode").waitFor();
      const gallery = page.getByTestId("billing-gallery");
      assert.equal((await gallery.getByTestId("plan-name").textContent()).trim(), "Free");
      assert.match(await gallery.getByTestId("plan-limit").textContent(), /storage limit 3 GB/);
      assert.ok(await page.getByText("No invoices yet.").isVisible());

      await gallery.getByLabel("Client Gallery plan").selectOption("plan_cg_pro");
      await gallery.getByRole("button", { name: "Checkout" }).click();
      await page.waitForURL(/\/billing\/test-checkout\/cs_local_/);
      assert.ok(await page.getByText("Local test mode.").isVisible());
      assert.ok(await page.getByText("Pro", { exact: true }).isVisible());

      await page.getByRole("button", { name: "Pay with test card" }).click();
      await page.waitForURL(/\/dashboard\/billing\?checkout=success&session_id=cs_local_/);
      await page.getByTestId("billing-notice").waitFor();
      assert.match(await page.getByTestId("billing-notice").textContent(), /Payment confirmed/);
      assert.equal((await gallery.getByTestId("plan-name").textContent()).trim(), "Pro");
      assert.equal((await gallery.getByTestId("plan-status").textContent()).trim(), "active");
      assert.match(await gallery.getByTestId("plan-limit").textContent(), /storage limit 100 GB/);
      const invoice = page.getByRole("table", { name: "Invoices" }).locator("tbody tr").first();
      assert.match(await invoice.textContent(), /\$15\.00/);
      assert.equal(await invoice.getByRole("link", { name: "PDF" }).count(), 1);

      // The partner eligibility check agrees.
      const res = await fetch(`${baseUrl()}/api/billing/status`, { headers: { "x-api-key": account.key } });
      const j = await res.json();
      assert.equal(j.plan.id, "plan_cg_pro");
      assert.equal(j.stripeStatus, "active");
    },
    { name: "billing-checkout" },
  );
});

test("cancelling the local test checkout leaves the plan unchanged", async () => {
  const account = await registerViaApi("drive");
  await withPage(
    async (page) => {
      await loginAs(page, account.email, account.password);
      await page.goto("/dashboard/billing");
      const drive = page.getByTestId("billing-drive");
      await drive.getByLabel("Drive plan").selectOption("plan_drive_pro");
      await drive.getByRole("button", { name: "Checkout" }).click();
      await page.waitForURL(/\/billing\/test-checkout\//);
      await page.getByRole("button", { name: "Cancel and go back" }).click();
      await page.waitForURL(/\/dashboard\/billing\?checkout=canceled/);
      assert.match(await page.getByTestId("billing-notice").textContent(), /Checkout canceled/);
      assert.equal((await drive.getByTestId("plan-name").textContent()).trim(), "Free");
    },
    { name: "billing-cancel" },
  );
});

import assert from "node:assert/strict";
import { test } from "node:test";
import { apiJson as v1, baseUrl, loginAs, registerViaApi, withPage } from "./harness.mjs";

test("a studio shares a gallery by email; the invitee registers from the mailed link and finds it under Shared with me", async () => {
  const studio = await registerViaApi("studio");
  const gallery = await v1(studio, "POST", "/api/v1/galleries", { gallery: { name: "Harbour portraits", description: "May" } });
  await v1(studio, "POST", "/api/v1/galleries", { gallery: { name: "Private proofs", description: "not shared" } });
  const invitee = `invitee-${Date.now().toString(36)}@example.com`;

  // The studio shares from the gallery page.
  await withPage(
    async (page) => {
      await loginAs(page, studio.email, studio.password);
      await page.goto(`/dashboard/galleries/${gallery.id}`);
      const form = page.getByRole("form", { name: "Share by email" });
      await form.getByLabel("Email").fill(invitee);
      await Promise.all([page.waitForURL(new RegExp(`/dashboard/galleries/${gallery.id}$`)), form.getByRole("button", { name: "Share by email" }).click()]);
      await page.getByRole("table", { name: "Effective access" }).getByText(invitee).waitFor();
      // The outbox shows the message and that nothing left the machine.
      await page.goto("/dashboard/emails");
      const row = page.getByRole("table", { name: "Sent emails" }).locator("tr", { hasText: invitee });
      await row.getByText("Not sent (no email transport configured)").waitFor();
      // The local mailbox shows it too, with its HTML in a sandboxed frame.
      await page.goto("/dev/mailbox");
      await page.getByRole("heading", { name: "Local mailbox" }).waitFor();
      const card = page.locator("article", { hasText: invitee }).first();
      await card.getByRole("heading", { name: /Harbour portraits/ }).waitFor();
      const frame = card.frameLocator("iframe");
      await frame.getByRole("link", { name: "Open the gallery" }).waitFor();
    },
    { name: "share-email-studio" },
  );

  // The mail as /dev/mailbox.json answers it: newest first, with the link.
  const res = await fetch(`${baseUrl()}/dev/mailbox.json`);
  assert.equal(res.status, 200);
  const messages = await res.json();
  const mail = messages.find((m) => m.to === invitee);
  assert.ok(mail, "the share email is in the mailbox");
  assert.deepEqual(Object.keys(mail).sort(), ["createdAt", "html", "id", "status", "subject", "text", "to"]);
  assert.match(mail.subject, /Harbour portraits/);
  const link = /https?:\/\/[^\s]+\/share\/[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
  assert.ok(link, "the text part carries the link");
  const path = new URL(link).pathname;

  // A fresh browser opens the link, registers with that email, accepts and lands on the gallery.
  await withPage(
    async (page) => {
      await page.goto(path);
      await page.getByRole("heading", { name: /shared “Harbour portraits” with you/ }).waitFor();
      const form = page.getByRole("form", { name: "Create account and accept" });
      assert.equal(await form.getByLabel("Email").inputValue(), invitee);
      await form.getByLabel("Your name").fill("Ivy Invitee");
      await form.getByLabel("Password").fill("correct horse battery");
      await Promise.all([page.waitForURL(new RegExp(`/dashboard/galleries/${gallery.id}$`)), form.getByRole("button", { name: "Create account and accept" }).click()]);
      await page.getByRole("heading", { name: "Harbour portraits" }).waitFor();
      assert.equal(await page.getByRole("form", { name: "Share by email" }).count(), 0, "read access: no sharing");

      await page.goto("/dashboard/shared");
      const shared = page.getByRole("table", { name: "Shared galleries" });
      await shared.getByRole("link", { name: "Harbour portraits" }).waitFor();
      assert.equal(await shared.getByText("Private proofs").count(), 0);

      // The link was single use.
      const again = await page.goto(path);
      assert.equal(again.status(), 410);
    },
    { name: "share-email-invitee" },
  );
});

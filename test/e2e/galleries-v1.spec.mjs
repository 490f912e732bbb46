import assert from "node:assert/strict";
import { test } from "node:test";
import { apiJson as v1, baseUrl, loginAs, registerViaApi, withPage } from "./harness.mjs";

async function uploadViaProxy(studio, collectionId, name) {
  const form = new FormData();
  form.append("collectionId", collectionId);
  form.append("file", new File([new Uint8Array(64).fill(9)], name, { type: "image/jpeg" }));
  const res = await fetch(`${baseUrl()}/api/upload`, { method: "POST", headers: { "x-api-key": studio.key }, body: form });
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${await res.text()}`);
  return res.json();
}

test("a studio organises a v1 gallery in folders, invites a member, builds a team and grants it rights", async () => {
  const studio = await registerViaApi("studio");
  const gallery = await v1(studio, "POST", "/api/v1/galleries", { gallery: { name: "Lake wedding", description: "June" } });
  await uploadViaProxy(studio, gallery.id, "kiss.jpg");
  await withPage(
    async (page) => {
      await loginAs(page, studio.email, studio.password);

      // Members & Teams: a member, a key shown once, a team with the member.
      await page.getByRole("link", { name: "Members & Teams" }).click();
      await page.getByRole("heading", { name: "Members & Teams" }).waitFor();
      const invite = page.getByRole("form", { name: "Invite member" });
      await invite.getByLabel("Member email").fill("pia@example.com");
      await invite.getByLabel("Member name").fill("Pia");
      await invite.getByRole("button", { name: "Invite" }).click();
      await page.getByRole("table", { name: "Members" }).getByText("pia@example.com").waitFor();
      await page.getByRole("button", { name: "New key for pia@example.com" }).click();
      const key = (await page.getByTestId("member-key").textContent()).trim();
      assert.match(key, /^mk_/);
      const team = page.getByRole("form", { name: "Create team" });
      await team.getByLabel("Team name").fill("Retouch");
      await team.getByRole("button", { name: "Create team" }).click();
      const row = page.getByRole("table", { name: "Teams" }).locator("tr", { hasText: "Retouch" });
      await row.getByLabel("Pia").check();
      await row.getByRole("button", { name: "Save members of Retouch" }).click();
      const field = page.getByRole("form", { name: "Create field" });
      await field.getByLabel("Field name").fill("Guests");
      await field.getByLabel("Field type").selectOption("number");
      await field.getByRole("button", { name: "Add field" }).click();
      await page.getByRole("table", { name: "Metadata fields" }).getByText("Guests").waitFor();

      // From the Client Gallery page to the gallery's folders, rights and metadata.
      await page.goto(`/dashboard/gallery?collection=${gallery.id}`);
      await page.getByRole("link", { name: "Folders, teams & metadata" }).click();
      await page.getByRole("heading", { name: "Lake wedding" }).waitFor();
      const create = page.getByRole("form", { name: "Create folder" });
      await create.getByLabel("New folder name").fill("Ceremony");
      await create.getByRole("button", { name: "Create folder" }).click();
      await page.locator('[data-folder="Ceremony"]').waitFor();
      await page.getByLabel("Move kiss.jpg into").selectOption("Ceremony");
      await page.getByRole("table", { name: "Assets" }).getByRole("button", { name: "Move" }).click();
      await page.getByRole("table", { name: "Assets" }).getByText("/Ceremony").waitFor();

      // Drag the asset onto another folder, then a folder into a folder.
      await create.getByLabel("New folder name").fill("Picks");
      await create.getByRole("button", { name: "Create folder" }).click();
      await page.locator('[data-folder="Picks"]').waitFor();
      await page.locator("tr[data-asset-id] td").nth(3).dragTo(page.locator('[data-folder="Picks"]'));
      await page.getByRole("table", { name: "Assets" }).getByText("/Picks").waitFor();
      await page.locator('[data-folder="Ceremony"]').dragTo(page.locator('[data-folder="Picks"]'));
      await page.locator('[data-folder="Picks/Ceremony"]').waitFor();

      const grant = page.getByRole("form", { name: "Grant access" });
      await grant.getByLabel("Team").selectOption({ label: "Retouch" });
      await grant.getByLabel("Access").selectOption("write");
      await grant.getByRole("button", { name: "Grant" }).click();
      await page.getByRole("table", { name: "Team rights" }).getByText("Retouch").waitFor();
      const effective = page.getByRole("table", { name: "Effective access" }).locator("tr", { hasText: "Pia" });
      assert.match(await effective.textContent(), /write/);

      await page.getByRole("form", { name: "Metadata" }).getByLabel(/Guests/).fill("120");
      await page.getByRole("button", { name: "Save metadata" }).click();
      await page.getByRole("form", { name: "Metadata" }).getByLabel(/Guests/).waitFor();
      assert.equal(await page.getByRole("form", { name: "Metadata" }).getByLabel(/Guests/).inputValue(), "120");

      // The member's key now acts with write access on this gallery, and sees only it.
      const list = await v1({ key }, "GET", "/api/v1/galleries");
      assert.deepEqual(list.galleries.map((g) => g.id), [gallery.id]);
      const assets = await v1({ key }, "GET", `/api/v1/galleries/${gallery.id}/assets`);
      assert.equal(assets.assets[0].dirname, "Picks");
    },
    { name: "galleries-v1" },
  );
});

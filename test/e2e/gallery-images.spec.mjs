import assert from "node:assert/strict";
import { test } from "node:test";
import { apiJson, baseUrl, loginAs, registerViaApi, withPage } from "./harness.mjs";
import { png } from "./images.mjs";

test("an image uploaded in the dashboard shows as its 400 px thumbnail; a broken image and a PDF show the generic icon", async () => {
  const studio = await registerViaApi("studio");
  const col = await apiJson(studio, "POST", "/api/collections", { name: "Thumbnails shoot" });
  // 1600 x 1200 with a diagonal gradient: the thumbnail must be 400 x 300.
  const photo = png(1600, 1200, (x, y) => [(x * 255) / 1600, (y * 255) / 1200, 120]);
  await withPage(
    async (page) => {
      await loginAs(page, studio.email, studio.password);
      await page.goto(`/dashboard/gallery?collection=${col.id}`);
      await page.getByTestId("collection").waitFor();
      await page.locator("#file-input").setInputFiles([
        { name: "sunset.png", mimeType: "image/png", buffer: photo },
        { name: "broken.jpg", mimeType: "image/jpeg", buffer: Buffer.from("not really a jpeg") },
        { name: "contract.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%%EOF\n") },
      ]);
      await page.waitForFunction(() => document.querySelectorAll("[data-testid=file-grid] .thumb").length === 3, null, { timeout: 30_000 });

      const tile = page.locator('[data-testid=file-grid] .thumb[data-file-name="sunset.png"]');
      assert.equal(await tile.getAttribute("data-has-thumbnail"), "true");
      const img = tile.locator("img");
      assert.equal(await img.getAttribute("loading"), "lazy");
      assert.match(await img.getAttribute("src"), /\/api\/media\?t=/);
      await img.scrollIntoViewIfNeeded();
      await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle(), { timeout: 15_000 });
      // It is the thumbnail, not the 1600 px original scaled down by the browser.
      const natural = await img.evaluate((el) => [el.naturalWidth, el.naturalHeight]);
      assert.deepEqual(natural, [400, 300]);

      // The tile opens the web size: a JPEG, never upscaled past the original.
      const href = await tile.getByRole("link", { name: "Open sunset.png" }).getAttribute("href");
      const web = await fetch(href);
      assert.equal(web.status, 200);
      assert.equal(web.headers.get("content-type"), "image/jpeg");

      for (const name of ["broken.jpg", "contract.pdf"]) {
        const other = page.locator(`[data-testid=file-grid] .thumb[data-file-name="${name}"]`);
        assert.equal(await other.getAttribute("data-has-thumbnail"), "false");
        assert.equal(await other.locator("img").count(), 0);
        assert.ok(await other.getByTestId("file-icon").isVisible());
      }
      assert.equal(await page.locator('.thumb[data-file-name="contract.pdf"] .ext').textContent(), "pdf");
    },
    { name: "gallery-images" },
  );

  // The API lists the same: thumbnailUrl and webUrl for the image only.
  const list = await (await fetch(`${baseUrl()}/api/collections/${col.id}/files`, { headers: { "x-api-key": studio.key } })).json();
  const byName = Object.fromEntries(list.files.map((f) => [f.name, f]));
  assert.ok(byName["sunset.png"].thumbnailUrl && byName["sunset.png"].webUrl);
  assert.equal(byName["broken.jpg"].thumbnailUrl, undefined);
  assert.equal(byName["contract.pdf"].webUrl, undefined);
});

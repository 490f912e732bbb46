// The v1 gallery page's "Upload large files" control in Chromium: tus-js-client bundled for the
// browser, a progress bar per file, pause and resume, resume after a reload, then the upload is
// injected into the gallery and shows in its assets.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { apiJson as v1, baseUrl, loginAs, registerViaApi, withPage } from "./harness.mjs";

const MiB = 1024 * 1024;


function fileOf(name, size, seed) {
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = (i * 7 + seed + (i >> 10)) & 0xff;
  const path = join(mkdtempSync(join(tmpdir(), "tus-b-")), name);
  writeFileSync(path, data);
  return { path, data };
}

/** Upload-Offset of each PATCH the page sends, in order. */
function watchPatches(page) {
  const offsets = [];
  page.on("request", (req) => {
    if (req.method() === "PATCH" && req.url().includes("/api/v1/uploads/")) offsets.push(Number(req.headers()["upload-offset"]));
  });
  return offsets;
}

/** Uploads at ~4 MiB/s (Chromium's network emulation), so pausing and reloading happen mid-upload on any machine. */
async function throttle(page, context) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 4 * MiB });
  return cdp;
}

/** Signs the studio in on the gallery's page with uploads throttled; returns the offsets of the PATCHes it sends. */
async function openGalleryPage(page, context, studio, gallery) {
  const offsets = watchPatches(page);
  await loginAs(page, studio.email, studio.password);
  await page.goto(`/dashboard/galleries/${gallery.id}`);
  await throttle(page, context);
  return offsets;
}

const percentOf = async (item) => Number((await item.locator("[data-role=percent]").textContent()).replace("%", ""));

test("a large file uploads with a progress bar, pauses and resumes, and lands in the chosen folder", async () => {
  const studio = await registerViaApi("studio");
  const gallery = await v1(studio, "POST", "/api/v1/galleries", { gallery: { name: "Big files", description: "RAW" } });
  const { path, data } = fileOf("ceremony.mov", 30 * MiB, 3);
  await withPage(
    async (page, context) => {
      const offsets = await openGalleryPage(page, context, studio, gallery);
      const card = page.getByTestId("large-upload");
      await card.getByRole("heading", { name: "Upload large files" }).waitFor();
      await card.getByLabel("Folder").fill("video/raw");
      await card.getByLabel("Large files").setInputFiles(path);
      const item = card.locator("li.tus-item", { hasText: "ceremony.mov" });
      await item.getByRole("progressbar", { name: "Upload progress of ceremony.mov" }).waitFor();
      await page.waitForFunction(() => Number(document.querySelector("[data-role=percent]")?.textContent?.replace("%", "")) > 0);
      await item.getByRole("button", { name: "Pause ceremony.mov" }).click();
      assert.equal(await item.getAttribute("data-state"), "paused");
      const pausedAt = await percentOf(item);
      await page.waitForTimeout(1500);
      assert.equal(await percentOf(item), pausedAt, "no progress while paused");
      await item.getByRole("button", { name: "Resume ceremony.mov" }).click();
      // Done: injected, then the page reloads with the asset in its table.
      // (the row exists only on the reloaded page, the item list only before it)
      await page.getByRole("table", { name: "Assets" }).locator("tr[data-asset-id]", { hasText: "ceremony.mov" }).waitFor({ timeout: 90_000 });
      assert.ok(offsets.length >= 2, `PATCHes sent: ${offsets}`);
      assert.ok(offsets.every((o) => o < data.length));
    },
    { name: "tus-browser-pause" },
  );
  const assets = await v1(studio, "GET", `/api/v1/galleries/${gallery.id}/assets?limit=100`);
  const asset = assets.assets.find((a) => a.name === "ceremony.mov");
  assert.ok(asset, JSON.stringify(assets));
  assert.equal(asset.dirname, "video/raw");
  assert.equal(asset.size, data.length);
  const back = Buffer.from(await (await fetch(asset.url)).arrayBuffer());
  assert.ok(back.equals(data), "the bytes served are the bytes picked");
});

test("after a reload the same file resumes from the server's offset instead of starting over", async () => {
  const studio = await registerViaApi("studio");
  const gallery = await v1(studio, "POST", "/api/v1/galleries", { gallery: { name: "Reload", description: "" } });
  const { path, data } = fileOf("long-take.mp4", 30 * MiB, 9);
  await withPage(
    async (page, context) => {
      const offsets = await openGalleryPage(page, context, studio, gallery);
      let card = page.getByTestId("large-upload");
      await card.getByLabel("Large files").setInputFiles(path);
      // Wait until the first 8 MiB chunk was confirmed (its PATCH answered), then reload.
      await page.waitForResponse((res) => res.request().method() === "PATCH" && res.status() === 204, { timeout: 60_000 });
      await page.reload();
      const before = offsets.length;
      card = page.getByTestId("large-upload");
      await card.getByLabel("Large files").setInputFiles(path);
      const item = card.locator("li.tus-item", { hasText: "long-take.mp4" });
      await item.getByText("Resuming an earlier upload").waitFor();
      await page.getByRole("table", { name: "Assets" }).locator("tr[data-asset-id]", { hasText: "long-take.mp4" }).waitFor({ timeout: 90_000 });
      assert.equal(offsets[0], 0, `the first upload started at 0: ${offsets}`);
      assert.ok(offsets[before] >= 8 * MiB, `first PATCH after the reload at ${offsets[before]} (${offsets})`);
    },
    { name: "tus-browser-reload" },
  );
  const assets = await v1(studio, "GET", `/api/v1/galleries/${gallery.id}/assets?limit=100`);
  const asset = assets.assets.find((a) => a.name === "long-take.mp4");
  assert.ok(asset);
  const back = Buffer.from(await (await fetch(asset.url)).arrayBuffer());
  assert.ok(back.equals(data));
});

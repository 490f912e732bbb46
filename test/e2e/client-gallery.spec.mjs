import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { apiJson, baseUrl, loginAs, registerViaApi, withPage } from "./harness.mjs";
import { png } from "./images.mjs";

/** A gradient PNG per seed, so each file has its own bytes and really decodes. */
const gradient = (w, h, seed) => png(w, h, (x, y) => [(x * 4 + seed * 60) & 255, (y * 4) & 255, (seed * 90) & 255]);

const apiCall = (key, method, path, body) => apiJson({ key }, method, path, body);

/** presign -> PUT -> complete through the public API, like an integrator's upload. */
async function upload(key, collectionId, name, bytes) {
  const p = await apiCall(key, "POST", "/api/upload/presign", { collectionId, fileName: name, contentType: "image/png", sizeBytes: bytes.length });
  const put = await fetch(p.uploadUrl, { method: "PUT", headers: p.headers, body: bytes });
  assert.equal(put.status, 200);
  return apiCall(key, "POST", "/api/upload/complete", { storageKey: p.storageKey });
}

test("a client opens a password-protected shared gallery, favorites two images and downloads exactly those as a ZIP; after expiry it says so", async () => {
  const studio = await registerViaApi("studio");
  const col = await apiCall(studio.key, "POST", "/api/collections", { name: "Garden party", clientName: "Ana", date: "2026-05-20" });
  const originals = { "aperitif.png": gradient(64, 48, 1), "toast.png": gradient(48, 64, 2), "dance.png": gradient(80, 40, 3) };
  for (const [name, bytes] of Object.entries(originals)) await upload(studio.key, col.id, name, bytes);

  // The owner shares it with a password from the collection's dashboard page.
  const shareUrl = await withPage(
    async (page) => {
      page.setDefaultTimeout(45_000);
      await loginAs(page, studio.email, studio.password);
      await page.goto(`/dashboard/gallery?collection=${col.id}`);
      const form = page.getByRole("form", { name: "Share settings" });
      await form.getByLabel(/^Password/).fill("garden-2026");
      await form.getByLabel("Downloads").selectOption("original");
      await form.getByRole("button", { name: "Save sharing" }).click();
      await page.waitForURL(/#share$/);
      const url = await page.getByLabel("Share link").inputValue();
      assert.match(url, /\/g\/[A-Za-z0-9_-]{22}$/);
      assert.equal(await page.locator("#share .pill", { hasText: "Password" }).count(), 1);
      return url;
    },
    { name: "client-gallery-owner-share" },
  );

  const downloadDir = mkdtempSync(join(tmpdir(), "gellhub-zip-"));
  await withPage(
    async (page) => {
      page.setDefaultTimeout(45_000);
      // A fresh browser: asked for the password first.
      await page.goto(shareUrl);
      await page.getByRole("form", { name: "Enter the gallery password" }).waitFor();
      assert.equal(await page.locator("[data-testid=gallery-grid]").count(), 0);
      await page.getByRole("textbox", { name: "Password" }).fill("garden-2026");
      await page.getByRole("button", { name: "View gallery" }).click();

      // The thumbnail grid: lazy images that decode.
      await page.getByRole("heading", { name: "Garden party" }).waitFor();
      const imgs = page.locator("[data-testid=gallery-grid] img");
      assert.equal(await imgs.count(), 3);
      for (const img of await imgs.all()) {
        assert.equal(await img.getAttribute("loading"), "lazy");
        await img.scrollIntoViewIfNeeded();
        await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle());
      }

      // The viewer: opens on a tile, moves with the keyboard, closes with Escape.
      await page.getByRole("button", { name: "Open aperitif.png" }).click();
      const viewer = page.getByRole("dialog", { name: "Viewer" });
      await viewer.waitFor();
      await page.waitForFunction(() => document.querySelector("#stage img")?.naturalWidth > 0);
      assert.match(await page.locator("#caption").textContent(), /aperitif\.png · 1 \/ 3/);
      await page.keyboard.press("ArrowRight");
      assert.match(await page.locator("#caption").textContent(), /toast\.png · 2 \/ 3/);
      await page.keyboard.press("Escape");
      await viewer.waitFor({ state: "hidden" });

      // Favorites under an email: the first heart asks for it (the form and the favorites download wait until then).
      const emailForm = page.getByRole("form", { name: "Your email", includeHidden: true });
      assert.equal(await emailForm.isVisible(), false);
      assert.equal(await page.locator("#download-favorites").isVisible(), false);
      await page.getByRole("button", { name: "Favorite aperitif.png" }).click();
      await emailForm.waitFor();
      await emailForm.getByLabel(/email/).fill("ana@example.com");
      await emailForm.getByRole("button", { name: "Save" }).click();
      await page.waitForFunction(() => document.querySelector('[aria-label="Favorite aperitif.png"]').getAttribute("aria-pressed") === "true");
      await page.getByRole("button", { name: "Favorite dance.png" }).click();
      await page.waitForFunction(() => document.querySelector('[aria-label="Favorite dance.png"]').getAttribute("aria-pressed") === "true");
      assert.equal(await page.locator("#fav-count").textContent(), "2");

      // The ZIP of favorites: exactly those two files, byte for byte.
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download favorites" }).click()]);
      assert.equal(download.suggestedFilename(), "Garden party - favorites.zip");
      const zipPath = join(downloadDir, "favorites.zip");
      await download.saveAs(zipPath);
      const check = spawnSync(
        "python3",
        ["-c", "import zipfile,sys,json; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(json.dumps({n: z.read(n).hex() for n in z.namelist()}))", zipPath],
        { encoding: "utf8" },
      );
      assert.equal(check.status, 0, check.stderr);
      const entries = JSON.parse(check.stdout);
      assert.deepEqual(Object.keys(entries).sort(), ["aperitif.png", "dance.png"]);
      for (const name of Object.keys(entries)) assert.equal(entries[name], originals[name].toString("hex"), `${name} is byte-identical`);
      assert.ok(readFileSync(zipPath).length > originals["aperitif.png"].length + originals["dance.png"].length);
    },
    { name: "client-gallery-visitor" },
  );

  // The owner sees the client's favorites and activity, then sets an expiry date in the past.
  await withPage(
    async (page) => {
      page.setDefaultTimeout(45_000);
      await loginAs(page, studio.email, studio.password);
      await page.goto(`/dashboard/gallery?collection=${col.id}`);
      const favs = page.locator('[data-testid=client-favorites][data-email="ana@example.com"]');
      assert.equal(await favs.locator("textarea").inputValue(), "aperitif.png, dance.png");
      assert.ok((await page.getByTestId("share-activity").textContent()).includes("ZIP of 2 favorites"));
      const form = page.getByRole("form", { name: "Share settings" });
      const yesterday = new Date(Date.now() - 2 * 86400_000).toISOString().slice(0, 10);
      await form.getByLabel(/Expires after/).fill(yesterday);
      await form.getByRole("button", { name: "Save sharing" }).click();
      await page.waitForURL(/#share$/);
      await page.locator("#share .pill", { hasText: "Expired" }).waitFor();
    },
    { name: "client-gallery-owner-expire" },
  );

  await withPage(
    async (page) => {
      page.setDefaultTimeout(45_000);
      const res = await page.goto(shareUrl);
      assert.equal(res.status(), 410);
      await page.getByRole("heading", { name: "This gallery has expired" }).waitFor();
    },
    { name: "client-gallery-expired" },
  );
});

test("on a phone the grid is three columns and the viewer swipes", async () => {
  const studio = await registerViaApi("studio");
  const col = await apiCall(studio.key, "POST", "/api/collections", { name: "Phone check" });
  for (let i = 0; i < 4; i++) await upload(studio.key, col.id, `p${i}.png`, gradient(40, 40, i + 4));
  const link = await apiCall(studio.key, "POST", `/api/collections/${col.id}/share`, {});
  await withPage(async (page) => {
    page.setDefaultTimeout(45_000);
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(link.url);
    const boxes = await page.locator("ul.grid li").evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
    assert.equal(boxes[0], boxes[2]);
    assert.ok(boxes[3] > boxes[0]);
    await page.getByRole("button", { name: "Open p0.png" }).click();
    await page.evaluate(() => {
      const stage = document.getElementById("stage");
      const t = (x) => new Touch({ identifier: 1, target: stage, clientX: x, clientY: 300 });
      stage.dispatchEvent(new TouchEvent("touchstart", { touches: [t(300)], changedTouches: [t(300)] }));
      stage.dispatchEvent(new TouchEvent("touchend", { touches: [], changedTouches: [t(100)] }));
    });
    assert.match(await page.locator("#caption").textContent(), /p1\.png · 2 \/ 4/);
  }, { name: "client-gallery-phone" });
});

test("the demo studio's two galleries are shared: one open, one behind the password demo", async () => {
  await withPage(async (page) => {
    page.setDefaultTimeout(90_000);
    // The demo photos are generated in the background after the server's first answer: wait for them.
    for (let i = 0; i < 60 && (await page.goto("/g/demo-portraits")).status() === 404; i++) await page.waitForTimeout(3000);
    await page.goto("/g/demo-wedding");
    await page.locator("[data-testid=gallery-grid] img").first().waitFor();
    assert.equal(await page.locator("[data-testid=gallery-grid] img").count(), 12);
    const locked = await page.goto("/g/demo-portraits");
    assert.equal(locked.status(), 401);
    await page.getByRole("textbox", { name: "Password" }).fill("demo");
    await page.getByRole("button", { name: "View gallery" }).click();
    await page.locator("[data-testid=gallery-grid] img").first().waitFor();
    assert.equal(await page.locator("[data-testid=gallery-grid] img").count(), 12);
  }, { name: "client-gallery-demo" });
});

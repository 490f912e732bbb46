import assert from "node:assert/strict";
import { test } from "node:test";
import { baseUrl, loginAs, registerViaApi, withPage } from "./harness.mjs";
import { png } from "./images.mjs";

test("a studio uploads several files from the Gallery page and sees them in the grid", async () => {
  const studio = await registerViaApi("studio");
  await withPage(
    async (page) => {
      await loginAs(page, studio.email, studio.password);
      await page.getByRole("link", { name: "Gallery" }).click();
      await page.waitForURL(/\/dashboard\/gallery/);
      await page.getByRole("heading", { name: "Client Gallery" }).waitFor();

      // A category, then a collection in it, through the page's forms.
      await page.getByLabel("New category name").fill("Weddings");
      await page.getByRole("button", { name: "Add" }).click();
      const create = page.getByRole("form", { name: "Create collection" });
      await create.getByLabel("Name").fill("Smith wedding");
      await create.getByLabel("Client").fill("Jane Smith");
      await create.getByLabel("Category").selectOption({ label: "Weddings" });
      await create.getByRole("button", { name: "Create collection" }).click();
      await page.getByTestId("collection").waitFor();
      assert.equal(await page.getByRole("heading", { name: "Smith wedding" }).count(), 1);

      // Two files through the file picker, one by drag and drop.
      const files = [
        { name: "ceremony.png", mimeType: "image/png", buffer: png(40, 30, [200, 30, 30]) },
        { name: "rings.png", mimeType: "image/png", buffer: png(30, 40, [30, 160, 60]) },
      ];
      await page.locator("#file-input").setInputFiles(files);
      const dropped = png(50, 50, [20, 40, 220]).toString("base64");
      await page.evaluate((b64) => {
        const bin = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
        const dt = new DataTransfer();
        dt.items.add(new File([bin], "first-dance.png", { type: "image/png" }));
        document.getElementById("dropzone").dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
      }, dropped);

      // Each file shows its own progress bar; the page reloads into the grid when all are done.
      await page.getByRole("progressbar", { name: "Upload of first-dance.png" }).waitFor();
      await page.waitForFunction(() => document.querySelectorAll("[data-testid=file-grid] .thumb").length === 3, null, { timeout: 20_000 });
      const names = await page.locator("[data-testid=file-grid] .thumb").evaluateAll((els) => els.map((e) => e.dataset.fileName).sort());
      assert.deepEqual(names, ["ceremony.png", "first-dance.png", "rings.png"]);

      // Thumbnails are lazy images served through signed media URLs, and they decode.
      const imgs = page.locator("[data-testid=file-grid] img");
      assert.equal(await imgs.count(), 3);
      for (const img of await imgs.all()) {
        assert.equal(await img.getAttribute("loading"), "lazy");
        assert.match(await img.getAttribute("src"), /\/api\/media\?t=/);
      }
      await page.waitForFunction(() => [...document.querySelectorAll("[data-testid=file-grid] img")].every((i) => i.complete && i.naturalWidth > 0));

      // The storage meter and the API agree on the bytes used.
      const used = files.reduce((n, f) => n + f.buffer.length, 0) + Buffer.from(dropped, "base64").length;
      assert.equal(await page.getByRole("meter", { name: "Storage used" }).getAttribute("aria-valuenow"), String(used));
      const storage = await (await fetch(`${baseUrl()}/api/studio/storage`, { headers: { "x-api-key": studio.key } })).json();
      assert.equal(storage.usedBytes, used);

      // Deleting a file from the grid frees its bytes.
      await page.getByRole("button", { name: "Delete rings.png" }).click();
      await page.waitForFunction(() => document.querySelectorAll("[data-testid=file-grid] .thumb").length === 2);
      const after = await (await fetch(`${baseUrl()}/api/studio/storage`, { headers: { "x-api-key": studio.key } })).json();
      assert.equal(after.usedBytes, used - files[1].buffer.length);
    },
    { name: "gallery-upload" },
  );
});

test("the Gallery page filters collections by category and keeps another studio's collection out", async () => {
  const a = await registerViaApi("studio");
  const b = await registerViaApi("studio");
  const api = (s, path, body) =>
    fetch(`${baseUrl()}${path}`, { method: "POST", headers: { "content-type": "application/json", "x-api-key": s.key }, body: JSON.stringify(body) }).then((r) => r.json());
  const cat = await api(a, "/api/categories", { name: "Portraits" });
  await api(a, "/api/collections", { name: "Headshots", categoryId: cat.id });
  await api(a, "/api/collections", { name: "Uncategorised shoot" });
  const foreign = await api(b, "/api/collections", { name: "B private" });
  await withPage(
    async (page) => {
      await loginAs(page, a.email, a.password);
      await page.goto("/dashboard/gallery");
      const rows = page.locator("table[aria-label=Collections] tbody tr");
      assert.equal(await rows.count(), 2);
      await page.getByLabel("Filter by category").selectOption({ label: "Portraits" });
      await page.getByRole("button", { name: "Filter" }).click();
      await page.waitForURL(/category=/);
      assert.deepEqual(await rows.locator("td:first-child").allTextContents(), ["Headshots"]);
      const res = await page.goto(`/dashboard/gallery?collection=${foreign.id}`);
      assert.equal(res.status(), 404);
      assert.ok(!(await page.content()).includes("B private"));
    },
    { name: "gallery-filter" },
  );
});

// The developer guide's two Client Gallery examples, character for character (the page text runs
// them together; the titles between them are dropped). Only the base URL and the reader's own
// placeholders (API key, category id, the file input) are substituted before running them.
const DOCS_CREATE_COLLECTION = `const res = await fetch('https://gellhub.com/api/collections', {
method: 'POST',
headers: {
'Content-Type': 'application/json',
'x-api-key': 'YOUR_CLIENT_GALLERY_API_KEY'
},
body: JSON.stringify({
name: 'Wedding Album',
clientName: 'Jane Smith',
date: '2024-06-15',
categoryId: 'cat_xxx'
})
});
const collection = await res.json();`;
const DOCS_UPLOAD = `const formData = new FormData();
formData.append('collectionId', collection.id);
formData.append('clientName', 'Jane Smith');
formData.append('file', fileInput.files[0]);
await fetch('https://gellhub.com/api/upload', {
method: 'POST',
headers: { 'x-api-key': 'YOUR_CLIENT_GALLERY_API_KEY' },
body: formData
});`;

test("the documented create-collection and upload examples run unchanged against the dev server", async () => {
  const studio = await registerViaApi("studio");
  const cat = await (
    await fetch(`${baseUrl()}/api/categories`, { method: "POST", headers: { "content-type": "application/json", "x-api-key": studio.key }, body: JSON.stringify({ name: "Weddings" }) })
  ).json();
  const code = `${DOCS_CREATE_COLLECTION}\n${DOCS_UPLOAD}\nreturn collection;`
    .replaceAll("https://gellhub.com", baseUrl())
    .replaceAll("YOUR_CLIENT_GALLERY_API_KEY", studio.key)
    .replaceAll("cat_xxx", cat.id);
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
  const fileInput = { files: [new File([png(20, 20, [255, 200, 0])], "album-cover.png", { type: "image/png" })] };
  const collection = await new AsyncFunction("fileInput", code)(fileInput);
  assert.equal(collection.name, "Wedding Album");
  assert.equal(collection.categoryId, cat.id);
  const page = await (await fetch(`${baseUrl()}/api/collections/${collection.id}/files`, { headers: { "x-api-key": studio.key } })).json();
  assert.equal(page.files.length, 1);
  assert.equal(page.files[0].name, "album-cover.png");
  assert.equal(page.files[0].clientName, "Jane Smith");
  const media = await fetch(page.files[0].url);
  assert.equal(media.status, 200);
  assert.equal(media.headers.get("content-type"), "image/png");
  assert.equal(Buffer.from(await media.arrayBuffer()).subarray(1, 4).toString(), "PNG");
});

import assert from "node:assert/strict";
import { test } from "node:test";
import { baseUrl, loginAs, registerViaApi, withPage } from "./harness.mjs";

// A 1x1 PNG, so the preview shows a real image.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

const row = (page, name) => page.locator(`tr[data-name="${name}"]`);

test("a Drive user uploads with progress, previews, renames, moves, deletes and restores", async () => {
  const user = await registerViaApi("drive");
  await withPage(
    async (page) => {
      await loginAs(page, user.email, user.password);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Drive" }).click();
      await page.getByRole("heading", { name: "Drive", exact: true }).waitFor();
      await page.getByTestId("storage-meter").waitFor();

      // Create a folder and open it: the breadcrumb follows.
      await page.getByLabel("New folder name").fill("Trip 2026");
      await page.getByRole("button", { name: "Create folder" }).click();
      await row(page, "Trip 2026").getByRole("link", { name: "Trip 2026" }).click();
      await page.getByRole("navigation", { name: "Breadcrumb" }).getByText("Trip 2026").waitFor();

      // Upload two files through the drop zone's file input: progress bars, then the list.
      await page.locator("#file-input").setInputFiles([
        { name: "pixel.png", mimeType: "image/png", buffer: PNG },
        { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("packing list") },
        { name: "ticket.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%%EOF\n") },
      ]);
      await page.getByRole("progressbar", { name: "Upload of pixel.png" }).waitFor();
      await row(page, "pixel.png").waitFor({ timeout: 20_000 });
      await row(page, "notes.txt").waitFor();
      const storage = await page.getByTestId("storage-meter").textContent();
      assert.match(storage, /(\d+) B of/);

      // Preview the image in the dialog.
      await page.getByRole("button", { name: "Preview pixel.png" }).click();
      const img = page.getByTestId("preview-body").locator("img");
      await img.waitFor();
      await page.waitForFunction(() => document.querySelector("#preview-body img")?.naturalWidth === 1);
      await page.locator("#preview").getByRole("button", { name: "Close" }).click();
      // PDFs are served as downloads; the preview shows them from a same-origin blob.
      await page.getByRole("button", { name: "Preview ticket.pdf" }).click();
      const frame = page.getByTestId("preview-body").locator("iframe");
      await frame.waitFor();
      assert.match(await frame.getAttribute("src"), /^blob:/);
      await page.locator("#preview").getByRole("button", { name: "Close" }).click();
      await page.getByRole("button", { name: "Delete ticket.pdf" }).click();
      await page.waitForLoadState("load");

      // Rename.
      await page.getByLabel("New name for notes.txt").fill("packing.txt");
      await page.getByRole("button", { name: "Rename notes.txt" }).click();
      await row(page, "packing.txt").waitFor();
      assert.equal(await row(page, "notes.txt").count(), 0);

      // Move it to the root with the folder picker.
      await page.getByRole("button", { name: "Move packing.txt" }).click();
      const dialog = page.locator("#move-dialog");
      await dialog.getByText("Destination:").waitFor();
      await dialog.getByRole("button", { name: "Open Trip 2026" }).waitFor();
      await dialog.getByRole("button", { name: "Move here" }).click();
      await page.waitForLoadState("load");
      assert.equal(await row(page, "packing.txt").count(), 0);
      await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "My Drive" }).click();
      await row(page, "packing.txt").waitFor();

      // Delete the folder (with the image inside), find it in the Recycle Bin, restore it.
      await page.getByRole("button", { name: "Delete Trip 2026" }).click();
      await page.waitForLoadState("load");
      assert.equal(await row(page, "Trip 2026").count(), 0);
      await page.getByRole("link", { name: "Recycle Bin" }).click();
      const bin = page.getByTestId("recycle-bin");
      await bin.locator('tr[data-name="Trip 2026"]').waitFor();
      await page.getByRole("button", { name: "Restore Trip 2026" }).click();
      await page.getByRole("button", { name: "Delete ticket.pdf forever" }).click();
      await bin.getByText("The Recycle Bin is empty.").waitFor();
      await page.getByRole("link", { name: "My Drive" }).click();
      await row(page, "Trip 2026").getByRole("link", { name: "Trip 2026" }).click();
      await row(page, "pixel.png").waitFor();

      // Delete a file forever: it leaves the bin and its bytes leave the meter.
      await page.getByRole("button", { name: "Delete pixel.png" }).click();
      await page.getByRole("link", { name: "Recycle Bin" }).click();
      await page.getByRole("button", { name: "Delete pixel.png forever" }).click();
      await page.getByTestId("recycle-bin").getByText("The Recycle Bin is empty.").waitFor();

      const res = await fetch(`${baseUrl()}/api/drive/storage`, { headers: { "x-api-key": user.key } });
      assert.equal((await res.json()).usedBytes, "packing list".length);
    },
    { name: "drive" },
  );
});

test("a file dropped on the drop zone uploads, and a name that exists gets the desktop-style (n) suffix", async () => {
  const user = await registerViaApi("drive");
  await withPage(
    async (page) => {
      await loginAs(page, user.email, user.password);
      await page.goto("/dashboard/drive");
      // An empty file works; a name clash gets a suffix like desktop drives.
      await page.locator("#file-input").setInputFiles([{ name: "empty.txt", mimeType: "text/plain", buffer: Buffer.alloc(0) }]);
      await row(page, "empty.txt").waitFor({ timeout: 20_000 });
      // The second one arrives by drag and drop onto the drop zone.
      await page.locator("#dropzone").evaluate((zone) => {
        const dt = new DataTransfer();
        dt.items.add(new File([], "empty.txt", { type: "text/plain" }));
        zone.dispatchEvent(new DragEvent("dragover", { dataTransfer: dt, bubbles: true, cancelable: true }));
        zone.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
      });
      await row(page, "empty (1).txt").waitFor({ timeout: 20_000 });
    },
    { name: "drive-suffix" },
  );
});

// The v1 gallery page's "Upload large files" control (src/galleries-v1/upload-view.tsx):
// tus-js-client against /api/v1/uploads with the dashboard session, a progress bar, pause and
// resume per file, resume after a reload (tus-js-client keeps each upload's URL in
// localStorage, keyed by the file's fingerprint), then the finished upload is injected into
// the gallery through the page's own form action and the page reloads to show it.
import { Upload } from "tus-js-client";

const CHUNK = 8 * 1024 * 1024;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, attrs: Record<string, string> = {}) {
  const node = Object.assign(document.createElement(tag), props);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function init(root: HTMLElement) {
  const endpoint = root.dataset.tusEndpoint!;
  const injectUrl = root.dataset.injectUrl!;
  const galleryId = root.dataset.galleryId!;
  const input = root.querySelector<HTMLInputElement>("input[type=file]")!;
  const prefix = root.querySelector<HTMLInputElement>("input[name=prefix]")!;
  const list = root.querySelector<HTMLElement>("[data-tus-list]")!;
  let running = 0;

  input.addEventListener("change", () => {
    for (const file of Array.from(input.files ?? [])) start(file);
    input.value = "";
  });

  function start(file: File) {
    const item = el("li", { className: "tus-item" }, { "data-file": file.name, "data-state": "uploading" });
    const bar = el("progress", { max: 100, value: 0 }, { "aria-label": `Upload progress of ${file.name}` });
    const percent = el("span", { textContent: "0%" }, { "data-role": "percent" });
    const toggle = el("button", { type: "button", textContent: "Pause", className: "secondary" }, { "aria-label": `Pause ${file.name}` });
    const status = el("span", { className: "muted" }, { role: "status" });
    item.append(el("strong", { textContent: file.name }), " ", bar, " ", percent, " ", toggle, " ", status);
    list.append(item);
    running++;

    const upload = new Upload(file, {
      endpoint,
      chunkSize: CHUNK,
      retryDelays: [0, 1000, 3000, 5000],
      metadata: { filename: file.name, filetype: file.type || "application/octet-stream" },
      headers: { "X-GellHub-Gallery": galleryId },
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onProgress(sent, total) {
        const p = total ? Math.floor((sent * 100) / total) : 0;
        bar.value = p;
        percent.textContent = `${p}%`;
      },
      onError(err) {
        item.dataset.state = "failed";
        status.textContent = `Upload failed: ${err.message.split("\n")[0]}`;
        toggle.textContent = "Retry";
        paused = true;
      },
      async onSuccess() {
        toggle.remove();
        status.textContent = "Adding to the gallery…";
        const uid = (upload.url ?? "").split("/").pop() ?? "";
        const res = await fetch(injectUrl, { method: "POST", body: new URLSearchParams({ uid, prefix: prefix.value }) });
        if (!res.ok) {
          item.dataset.state = "failed";
          status.textContent = "Uploaded, but it could not be added to the gallery";
          return;
        }
        item.dataset.state = "done";
        status.textContent = "Added";
        if (--running === 0) setTimeout(() => location.reload(), 400);
      },
    });

    let paused = false;
    toggle.addEventListener("click", () => {
      if (paused) {
        upload.start();
        item.dataset.state = "uploading";
        toggle.textContent = "Pause";
        toggle.setAttribute("aria-label", `Pause ${file.name}`);
        status.textContent = "";
      } else {
        void upload.abort();
        item.dataset.state = "paused";
        toggle.textContent = "Resume";
        toggle.setAttribute("aria-label", `Resume ${file.name}`);
        status.textContent = "Paused";
      }
      paused = !paused;
    });

    void upload.findPreviousUploads().then((previous) => {
      const last = previous.sort((a, b) => b.creationTime.localeCompare(a.creationTime))[0];
      if (last) {
        upload.resumeFromPreviousUpload(last);
        status.textContent = "Resuming an earlier upload";
      }
      upload.start();
    });
  }
}

const root = document.querySelector<HTMLElement>("[data-tus-endpoint]");
if (root) init(root);

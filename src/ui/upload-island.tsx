import type { Child, FC } from "hono/jsx";

export interface UploadIslandOptions {
  /** Session-authenticated presign and complete endpoints of the feature. */
  presignUrl: string;
  completeUrl: string;
  /**
   * Where the files go: the `#uploader` data attribute (camelCase) read once, sent under the
   * same name to both steps (null when empty).
   */
  targetField: "folderId" | "collectionId";
  /** Complete repeats the file's name and Content-Type (Drive takes both from presign instead). */
  completeSendsFileInfo: boolean;
}

/**
 * The upload island's script for a page with `#uploader`, `#dropzone`, `#file-input`,
 * `#overall-progress`, `#overall-text` and `#upload-list`: files dropped or chosen go
 * presign -> PUT with progress (XHR) -> complete, 3 at a time. Complete is retried exactly as
 * the developer guide documents (409 `upload_incomplete_or_mismatch` /
 * `object_not_visible_yet_retry_complete`, up to 5 attempts). `#uploader[data-state]` ends
 * `finished` (then the page reloads) or `finished-with-errors`.
 */
export function uploadIsland(options: UploadIslandOptions): string {
  const config = JSON.stringify(options).replace(/</g, "\\u003c");
  return `
(() => {
  const root = document.getElementById("uploader");
  if (!root) return;
  const cfg = ${config};
  const target = root.dataset[cfg.targetField] || null;
  const zone = document.getElementById("dropzone"), input = document.getElementById("file-input");
  const list = document.getElementById("upload-list"), overall = document.getElementById("overall-progress"), overallText = document.getElementById("overall-text");
  let total = 0, done = 0, failed = 0, running = 0;
  const loaded = new Map(), queue = [];
  const post = (path, body) => fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, credentials: "same-origin", body: JSON.stringify(body) });
  function paint() {
    let bytes = 0, sum = 0;
    for (const [f, n] of loaded) { bytes += n; sum += f.size; }
    const pct = sum ? Math.round((bytes / sum) * 100) : (total ? 100 : 0);
    overall.firstElementChild.style.width = pct + "%";
    overall.setAttribute("aria-valuenow", String(pct));
    overallText.textContent = done + " of " + total + " uploaded" + (failed ? ", " + failed + " failed" : "") + " (" + pct + "%)";
  }
  function row(file) {
    const li = document.createElement("li"); li.dataset.upload = file.name;
    const name = document.createElement("span"); name.textContent = file.name;
    const bar = document.createElement("div"); bar.className = "progress"; bar.setAttribute("role", "progressbar"); bar.setAttribute("aria-label", "Upload of " + file.name);
    bar.appendChild(document.createElement("span"));
    const state = document.createElement("span"); state.className = "muted"; state.textContent = "waiting";
    li.append(name, bar, state); list.appendChild(li);
    return { bar, state };
  }
  function put(url, headers, file, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("PUT", url);
      for (const [k, v] of Object.entries(headers || {})) xhr.setRequestHeader(k, v);
      xhr.upload.onprogress = (e) => onProgress(e.loaded);
      xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new Error("PUT failed: " + xhr.status)));
      xhr.onerror = () => reject(new Error("network error"));
      xhr.send(file);
    });
  }
  const message = (e, fallback) => (typeof e.detail === "string" ? e.detail : e.error || fallback);
  async function upload(file, ui) {
    const contentType = file.type || "application/octet-stream";
    ui.state.textContent = "starting";
    const pres = await post(cfg.presignUrl, { [cfg.targetField]: target, fileName: file.name, contentType, sizeBytes: file.size });
    const p = await pres.json().catch(() => ({}));
    if (!pres.ok) throw new Error(message(p, "presign failed"));
    ui.state.textContent = "uploading";
    await put(p.uploadUrl, p.headers, file, (n) => { loaded.set(file, n); ui.bar.firstElementChild.style.width = Math.round((n / (file.size || 1)) * 100) + "%"; paint(); });
    loaded.set(file, file.size); paint();
    const fileInfo = cfg.completeSendsFileInfo ? { fileName: file.name, contentType } : {};
    for (let attempt = 1; attempt <= 5; attempt++) {
      const res = await post(cfg.completeUrl, { [cfg.targetField]: target, storageKey: p.storageKey, ...fileInfo, sizeBytes: file.size });
      if (res.ok) return;
      const err = await res.json().catch(() => ({}));
      const retryable = err.error === "upload_incomplete_or_mismatch" && err.detail === "object_not_visible_yet_retry_complete";
      if (!retryable || attempt === 5) throw new Error(message(err, "complete failed"));
      await new Promise((r) => setTimeout(r, attempt * 500));
    }
  }
  function pump() {
    while (running < 3 && queue.length) {
      const { file, ui } = queue.shift();
      running++;
      upload(file, ui)
        .then(() => { done++; ui.bar.classList.add("ok"); ui.bar.firstElementChild.style.width = "100%"; ui.state.textContent = "done"; })
        .catch((e) => { failed++; ui.bar.classList.add("err"); ui.state.textContent = e.message; loaded.set(file, file.size); })
        .finally(() => {
          running--; paint();
          if (done + failed === total && running === 0 && queue.length === 0) {
            root.dataset.state = failed ? "finished-with-errors" : "finished";
            if (!failed) setTimeout(() => location.reload(), 400);
          } else pump();
        });
    }
  }
  function add(files) {
    root.dataset.state = "uploading";
    for (const file of files) { total++; loaded.set(file, 0); queue.push({ file, ui: row(file) }); }
    paint(); pump();
  }
  zone.addEventListener("click", () => input.click());
  zone.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); input.click(); } });
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => { e.preventDefault(); zone.classList.remove("over"); add([...e.dataTransfer.files]); });
  input.addEventListener("change", () => { add([...input.files]); input.value = ""; });
})();
`;
}

/**
 * The island's markup: a keyboard-operable drop zone around a hidden file input, the overall
 * progress bar and the per-file list. `target` becomes the `#uploader` data attribute the
 * island reads (e.g. `{ "data-folder-id": id }`); `children` is the drop zone's prompt.
 */
export const Uploader: FC<{ target: Record<`data-${string}`, string>; style: string; children: Child }> = ({ target, style, children }) => (
  <div id="uploader" {...target} data-state="idle" style={style}>
    <div id="dropzone" class="dropzone" tabindex={0} role="button" aria-label="Upload files: drop them here or press to choose">
      {children}
      <input id="file-input" type="file" multiple hidden />
    </div>
    <div class="row" style="margin-top:10px">
      <div id="overall-progress" class="progress" role="progressbar" aria-label="All uploads" aria-valuemin={0} aria-valuemax={100} aria-valuenow={0} style="flex:1">
        <span />
      </div>
      <span id="overall-text" class="muted" aria-live="polite"></span>
    </div>
    <ul id="upload-list" class="uploads" aria-label="Uploads"></ul>
  </div>
);

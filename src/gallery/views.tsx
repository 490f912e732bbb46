import type { FC } from "hono/jsx";
import { ErrorAlert, formatBytes } from "../pages/views";
import type { getCollection, listCategories, listCollections, listFiles } from "./service";

type Category = Awaited<ReturnType<typeof listCategories>>[number];
type Collection = Awaited<ReturnType<typeof listCollections>>[number];
type FilesPage = Awaited<ReturnType<typeof listFiles>>;
type CollectionDetail = Awaited<ReturnType<typeof getCollection>>;

export interface GalleryPageProps {
  studioId: string;
  storage: { usedBytes: number; limitBytes: number };
  categories: Category[];
  collections: Collection[];
  filter?: string;
  selected?: { collection: CollectionDetail; files: FilesPage } | null;
  error?: string | null;
  nonce?: string;
}

const CSS = `
.gal-cols{display:grid;grid-template-columns:280px 1fr;gap:20px;align-items:start}@media(max-width:820px){.gal-cols{grid-template-columns:1fr}}
.meter{height:10px;background:#eef0f6;border-radius:99px;overflow:hidden}.meter>span{display:block;height:100%;background:var(--brand)}
.cat-list{list-style:none;padding:0;margin:0 0 12px;display:grid;gap:8px}.cat-list li{display:flex;gap:6px;align-items:center}
.cat-list input{flex:1;min-width:0;padding:5px 8px}
tr.current{background:#eef2ff}
.dropzone{border:2px dashed #c7d2fe;border-radius:var(--radius);padding:28px;text-align:center;background:#fafbff;cursor:pointer}
.dropzone.over{background:#eef2ff;border-color:var(--brand)}
.progress{height:8px;background:#eef0f6;border-radius:99px;overflow:hidden}.progress>span{display:block;height:100%;width:0;background:var(--brand);transition:width .15s}
.progress.ok>span{background:var(--ok)}.progress.err>span{background:var(--err)}
.uploads{list-style:none;padding:0;margin:12px 0 0;display:grid;gap:8px}.uploads li{display:grid;grid-template-columns:1fr 160px 80px;gap:10px;align-items:center;font-size:14px}
.thumbs{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:12px;margin-top:16px}
.thumb{background:#fff;border:1px solid var(--line);border-radius:10px;overflow:hidden;display:grid}
.thumb .img{aspect-ratio:1;background:#eef0f6;display:flex;align-items:center;justify-content:center;overflow:hidden}.thumb img{width:100%;height:100%;object-fit:cover}
.thumb .meta{padding:6px 8px;font-size:12px;display:flex;justify-content:space-between;gap:6px;align-items:center}.thumb .meta span{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
`;

/** The upload island: presign -> PUT with progress (XHR) -> complete with the documented retry, 3 at a time. */
const UPLOAD_JS = `
(() => {
  const root = document.getElementById("uploader");
  if (!root) return;
  const collectionId = root.dataset.collectionId;
  const zone = document.getElementById("dropzone");
  const input = document.getElementById("file-input");
  const list = document.getElementById("upload-list");
  const overall = document.getElementById("overall-progress");
  const overallText = document.getElementById("overall-text");
  let total = 0, done = 0, failed = 0, running = 0;
  const loaded = new Map();
  const queue = [];
  const post = (path, body) => fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, credentials: "same-origin", body: JSON.stringify(body) });
  function paintOverall() {
    let bytes = 0, sum = 0;
    for (const [f, n] of loaded) { bytes += n; sum += f.size; }
    const pct = sum ? Math.round((bytes / sum) * 100) : 0;
    overall.firstElementChild.style.width = pct + "%";
    overall.setAttribute("aria-valuenow", String(pct));
    overallText.textContent = done + " of " + total + " uploaded" + (failed ? ", " + failed + " failed" : "") + " (" + pct + "%)";
  }
  function row(file) {
    const li = document.createElement("li");
    li.dataset.upload = file.name;
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
  async function upload(file, ui) {
    const contentType = file.type || "application/octet-stream";
    ui.state.textContent = "starting";
    const pres = await post("/api/dashboard/gallery/upload/presign", { collectionId, fileName: file.name, contentType, sizeBytes: file.size });
    const p = await pres.json().catch(() => ({}));
    if (!pres.ok) throw new Error(p.detail && typeof p.detail === "string" ? p.detail : p.error || "presign failed");
    ui.state.textContent = "uploading";
    await put(p.uploadUrl, p.headers, file, (n) => { loaded.set(file, n); ui.bar.firstElementChild.style.width = Math.round((n / file.size) * 100) + "%"; paintOverall(); });
    loaded.set(file, file.size); paintOverall();
    for (let attempt = 1; attempt <= 5; attempt++) {
      const res = await post("/api/dashboard/gallery/upload/complete", { collectionId, storageKey: p.storageKey, fileName: file.name, contentType, sizeBytes: file.size });
      if (res.ok) return;
      const err = await res.json().catch(() => ({}));
      const retryable = err.error === "upload_incomplete_or_mismatch" && err.detail === "object_not_visible_yet_retry_complete";
      if (!retryable || attempt === 5) throw new Error(typeof err.detail === "string" ? err.detail : err.error || "complete failed");
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
          running--; paintOverall();
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
    paintOverall(); pump();
  }
  zone.addEventListener("click", () => input.click());
  zone.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); input.click(); } });
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => { e.preventDefault(); zone.classList.remove("over"); add([...e.dataTransfer.files]); });
  input.addEventListener("change", () => { add([...input.files]); input.value = ""; });
})();
`;

const CategoryOptions: FC<{ categories: Category[]; selected?: string | null; none: string }> = ({ categories, selected, none }) => (
  <>
    <option value="">{none}</option>
    {categories.map((cat) => (
      <option value={cat.id} selected={cat.id === selected}>
        {cat.name}
      </option>
    ))}
  </>
);

const StorageMeter: FC<{ usedBytes: number; limitBytes: number }> = ({ usedBytes, limitBytes }) => {
  const pct = limitBytes > 0 ? Math.min(100, Math.round((usedBytes / limitBytes) * 1000) / 10) : 100;
  return (
    <div class="card" data-testid="storage-meter" style="margin-bottom:20px">
      <div class="row" style="justify-content:space-between">
        <strong>Storage</strong>
        <span class="muted">
          {formatBytes(usedBytes) === "—" ? "0 B" : formatBytes(usedBytes)} of {formatBytes(limitBytes)} used ({pct}%)
        </span>
      </div>
      <div class="meter" role="meter" aria-label="Storage used" aria-valuemin={0} aria-valuemax={limitBytes} aria-valuenow={usedBytes}>
        <span style={`width:${pct}%`} />
      </div>
    </div>
  );
};

const Categories: FC<{ categories: Category[] }> = ({ categories }) => (
  <div class="card">
    <h3>Categories</h3>
    <ul class="cat-list" aria-label="Categories">
      {categories.length === 0 ? <li class="muted">No categories yet.</li> : null}
      {categories.map((cat) => (
        <li data-category-id={cat.id}>
          <form method="post" action={`/dashboard/gallery/categories/${cat.id}/rename`} class="row" style="flex:1;gap:6px">
            <input type="text" name="name" value={cat.name} maxlength={200} required aria-label={`Name of category ${cat.name}`} />
            <button class="btn secondary small" type="submit">
              Rename
            </button>
          </form>
          <form method="post" action={`/dashboard/gallery/categories/${cat.id}/delete`}>
            <button class="btn danger small" type="submit" aria-label={`Delete category ${cat.name}`}>
              ✕
            </button>
          </form>
        </li>
      ))}
    </ul>
    <form method="post" action="/dashboard/gallery/categories" class="row">
      <input type="text" name="name" maxlength={200} required placeholder="New category" aria-label="New category name" style="flex:1;min-width:0" />
      <button class="btn small" type="submit">
        Add
      </button>
    </form>
  </div>
);

const CollectionForm: FC<{ categories: Category[]; collection?: CollectionDetail }> = ({ categories, collection }) => (
  <form
    method="post"
    action={collection ? `/dashboard/gallery/collections/${collection.id}` : "/dashboard/gallery/collections"}
    class="row"
    style="align-items:end"
    aria-label={collection ? "Edit collection" : "Create collection"}
  >
    <label>
      Name
      <input type="text" name="name" required maxlength={200} value={collection?.name ?? ""} />
    </label>
    <label>
      Client
      <input type="text" name="clientName" maxlength={200} value={collection?.clientName ?? ""} />
    </label>
    <label>
      Date
      <input type="date" name="date" value={collection?.date ?? ""} />
    </label>
    <label>
      Category
      <select name="categoryId">
        <CategoryOptions categories={categories} selected={collection?.categoryId} none="None" />
      </select>
    </label>
    <button class="btn" type="submit">
      {collection ? "Save" : "Create collection"}
    </button>
  </form>
);

const FileGrid: FC<{ collectionId: string; files: FilesPage; filter?: string }> = ({ collectionId, files, filter }) => (
  <>
    <div class="thumbs" data-testid="file-grid">
      {files.files.map((f) => (
        <div class="thumb" data-file-id={f.id} data-file-name={f.name}>
          <div class="img">
            {f.contentType.startsWith("image/") && f.contentType !== "image/svg+xml" ? (
              <img src={f.url} alt={f.name} loading="lazy" decoding="async" />
            ) : (
              <a href={f.url} class="muted">
                {f.contentType}
              </a>
            )}
          </div>
          <div class="meta">
            <span title={f.name}>{f.name}</span>
            <form method="post" action={`/dashboard/gallery/collections/${collectionId}/files/${f.id}/delete`}>
              <button class="btn danger small" type="submit" aria-label={`Delete ${f.name}`}>
                ✕
              </button>
            </form>
          </div>
        </div>
      ))}
    </div>
    {files.files.length === 0 ? <p class="muted">No files yet: drop some above.</p> : null}
    {files.nextCursor ? (
      <p>
        <a class="btn secondary" href={`/dashboard/gallery?collection=${collectionId}${filter ? `&category=${filter}` : ""}&cursor=${files.nextCursor}`}>
          Next page
        </a>
      </p>
    ) : null}
  </>
);

/** The Client Gallery dashboard page: collections, categories, uploads and the storage meter. */
export const GalleryPage: FC<GalleryPageProps> = ({ studioId, storage, categories, collections, filter, selected, error, nonce }) => {
  const catName = new Map(categories.map((c) => [c.id, c.name]));
  return (
    <>
      <style dangerouslySetInnerHTML={{ __html: CSS }} />
      <p class="muted">
        <a href="/dashboard">Dashboard</a> / Client Gallery · Studio ID <code class="inline">{studioId}</code>
      </p>
      <h1>Client Gallery</h1>
      <ErrorAlert message={error} />
      <StorageMeter {...storage} />
      <div class="gal-cols">
        <Categories categories={categories} />
        <div class="grid">
          <div class="card">
            <div class="row" style="justify-content:space-between">
              <h3>Collections</h3>
              <form method="get" action="/dashboard/gallery" class="row">
                <select name="category" aria-label="Filter by category">
                  <CategoryOptions categories={categories} selected={filter} none="All categories" />
                </select>
                <button class="btn secondary small" type="submit">
                  Filter
                </button>
              </form>
            </div>
            <table aria-label="Collections">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Client</th>
                  <th scope="col">Date</th>
                  <th scope="col">Category</th>
                  <th scope="col">Files</th>
                  <th scope="col">Size</th>
                </tr>
              </thead>
              <tbody>
                {collections.length === 0 ? (
                  <tr>
                    <td colspan={6} class="muted">
                      No collections{filter ? " in this category" : " yet"}.
                    </td>
                  </tr>
                ) : (
                  collections.map((col) => (
                    <tr data-collection-id={col.id} class={selected?.collection.id === col.id ? "current" : ""}>
                      <td>
                        <a href={`/dashboard/gallery?collection=${col.id}${filter ? `&category=${filter}` : ""}`}>{col.name}</a>
                      </td>
                      <td>{col.clientName}</td>
                      <td>{col.date ?? ""}</td>
                      <td>{col.categoryId ? catName.get(col.categoryId) ?? "" : ""}</td>
                      <td>{col.fileCount}</td>
                      <td>{formatBytes(col.totalBytes)}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
            <h3 style="margin-top:18px">New collection</h3>
            <CollectionForm categories={categories} />
          </div>

          {selected ? (
            <div class="card" data-testid="collection" data-collection-id={selected.collection.id}>
              <div class="row" style="justify-content:space-between">
                <h2 style="margin:0">{selected.collection.name}</h2>
                <form method="post" action={`/dashboard/gallery/collections/${selected.collection.id}/delete`}>
                  <button class="btn danger small" type="submit">
                    Delete collection
                  </button>
                </form>
              </div>
              <p class="muted">
                {selected.collection.fileCount} file(s) · {formatBytes(selected.collection.totalBytes)}
              </p>
              <CollectionForm categories={categories} collection={selected.collection} />
              <div id="uploader" data-collection-id={selected.collection.id} data-state="idle" style="margin-top:18px">
                <div id="dropzone" class="dropzone" tabindex={0} role="button" aria-label="Upload files: drop them here or press to choose">
                  <strong>Drop photos here</strong> or click to choose files
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
              <FileGrid collectionId={selected.collection.id} files={selected.files} filter={filter} />
              <script nonce={nonce} dangerouslySetInnerHTML={{ __html: UPLOAD_JS }} />
            </div>
          ) : null}
        </div>
      </div>
    </>
  );
};

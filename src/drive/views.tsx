import type { FC } from "hono/jsx";
import { DataTable } from "../ui/table";
import { Uploader, uploadIsland } from "../ui/upload-island";
import { ErrorAlert, formatBytes, StorageMeter } from "../ui/views";
import type { listAllFolders, listFolder, listTrash } from "./service";

type Listing = Awaited<ReturnType<typeof listFolder>>;
type TrashList = Awaited<ReturnType<typeof listTrash>>;
type PickerFolder = Awaited<ReturnType<typeof listAllFolders>>[number];

export interface DrivePageProps {
  driveId: string;
  storage: { usedBytes: number; limitBytes: number };
  view: "files" | "trash";
  listing: Listing | null;
  trash: TrashList | null;
  /** Live folders outside integration app trees, for the move picker. */
  pickerFolders: PickerFolder[];
  showApps: boolean;
  /** This page's URL, where form actions come back to. */
  back: string;
  error?: string | null;
  nonce?: string;
}

const BASE = "/dashboard/drive";

const CSS = `
.meter{height:10px;background:#eef0f6;border-radius:99px;overflow:hidden}.meter>span{display:block;height:100%;background:var(--brand)}
nav.crumbs ol{list-style:none;display:flex;flex-wrap:wrap;gap:6px;padding:0;margin:0 0 12px;font-size:15px}nav.crumbs li+li::before{content:"/";margin-right:6px;color:var(--muted)}
.tabs{display:flex;gap:8px;margin:0 0 16px}.tabs a{padding:6px 12px;border-radius:8px;text-decoration:none;border:1px solid var(--line);background:#fff;color:var(--ink)}.tabs a[aria-current=page]{background:var(--brand);color:#fff;border-color:var(--brand)}
.dropzone{border:2px dashed #c7d2fe;border-radius:var(--radius);padding:22px;text-align:center;background:#fafbff;cursor:pointer}.dropzone.over{background:#eef2ff;border-color:var(--brand)}
.progress{height:8px;background:#eef0f6;border-radius:99px;overflow:hidden}.progress>span{display:block;height:100%;width:0;background:var(--brand);transition:width .15s}
.progress.ok>span{background:var(--ok)}.progress.err>span{background:var(--err)}
.uploads{list-style:none;padding:0;margin:12px 0 0;display:grid;gap:8px}.uploads li{display:grid;grid-template-columns:1fr 160px 120px;gap:10px;align-items:center;font-size:14px}
td form{display:inline-flex;gap:4px;align-items:center;margin:0}td input[type=text]{padding:4px 8px;width:160px}
.actions{display:flex;gap:6px;flex-wrap:wrap;align-items:center}
dialog{border:1px solid var(--line);border-radius:var(--radius);padding:20px;max-width:min(92vw,900px)}dialog::backdrop{background:rgba(17,19,28,.55)}
#preview-body img,#preview-body video{max-width:100%;max-height:70vh;display:block}#preview-body iframe{width:min(86vw,820px);height:70vh;border:0}
svg.icon{vertical-align:-3px;margin-right:2px}
.picker{list-style:none;padding:0;margin:8px 0;max-height:300px;overflow:auto;border:1px solid var(--line);border-radius:8px}.picker li{display:flex;justify-content:space-between;align-items:center;padding:6px 10px;border-bottom:1px solid var(--line)}
`;

const UPLOAD_JS = uploadIsland({
  presignUrl: "/api/dashboard/drive/upload/presign",
  completeUrl: "/api/dashboard/drive/upload/complete",
  targetField: "folderId",
  completeSendsFileInfo: false,
});

/** Preview and move-picker islands. */
const DIALOGS_JS = `
(() => {
  const preview = document.getElementById("preview"), body = document.getElementById("preview-body"), title = document.getElementById("preview-title");
  let blobUrl = null;
  const el = (tag, attrs) => Object.assign(document.createElement(tag), attrs);
  document.querySelectorAll("[data-preview]").forEach((btn) => btn.addEventListener("click", async () => {
    const kind = btn.dataset.preview, url = btn.dataset.url;
    body.replaceChildren(); title.textContent = btn.dataset.name;
    if (kind === "image") body.append(el("img", { src: url, alt: btn.dataset.name }));
    else if (kind === "video") body.append(el("video", { src: url, controls: true }));
    else if (kind === "audio") body.append(el("audio", { src: url, controls: true }));
    else if (kind === "pdf") {
      // Served as a download (sandboxed, attachment); shown from a same-origin blob instead.
      const res = await fetch(url, { credentials: "omit" });
      const blob = new Blob([await res.arrayBuffer()], { type: "application/pdf" });
      if (blobUrl) URL.revokeObjectURL(blobUrl);
      blobUrl = URL.createObjectURL(blob);
      body.append(el("iframe", { src: blobUrl, title: "PDF preview of " + btn.dataset.name }));
    }
    preview.showModal();
  }));
  preview?.addEventListener("close", () => { body.replaceChildren(); if (blobUrl) { URL.revokeObjectURL(blobUrl); blobUrl = null; } });
  document.querySelectorAll("[data-close]").forEach((b) => b.addEventListener("click", () => b.closest("dialog").close()));

  const dlg = document.getElementById("move-dialog");
  if (!dlg) return;
  const folders = JSON.parse(document.getElementById("picker-data").textContent);
  const byParent = new Map();
  for (const f of folders) { const k = f.parentId || ""; if (!byParent.has(k)) byParent.set(k, []); byParent.get(k).push(f); }
  const byId = new Map(folders.map((f) => [f.id, f]));
  const form = document.getElementById("move-form"), listEl = document.getElementById("picker-list"), here = document.getElementById("picker-here"), target = document.getElementById("move-target");
  let moving = null;
  function path(id) { const out = []; for (let f = byId.get(id); f; f = byId.get(f.parentId)) out.unshift(f.name); return ["My Drive", ...out].join(" / "); }
  function open(id) {
    target.value = id || "";
    here.textContent = path(id);
    listEl.replaceChildren();
    if (id) {
      const up = el("li", {}); const b = el("button", { type: "button", className: "btn secondary small", textContent: "Up one level" });
      b.addEventListener("click", () => open(byId.get(id)?.parentId || null)); up.append(b); listEl.append(up);
    }
    for (const f of byParent.get(id || "") || []) {
      if (moving && moving.type === "folder" && f.id === moving.id) continue;
      const li = el("li", {}); li.append(el("span", { textContent: f.name }));
      const b = el("button", { type: "button", className: "btn secondary small", textContent: "Open" });
      b.setAttribute("aria-label", "Open " + f.name); b.addEventListener("click", () => open(f.id)); li.append(b); listEl.append(li);
    }
  }
  document.querySelectorAll("[data-move]").forEach((btn) => btn.addEventListener("click", () => {
    moving = { id: btn.dataset.move, type: btn.dataset.type };
    form.action = "${BASE}/items/" + encodeURIComponent(moving.id) + "/move";
    form.querySelector("[name=type]").value = moving.type;
    document.getElementById("move-title").textContent = "Move " + btn.dataset.name;
    open(null); dlg.showModal();
  }));
})();
`;

const FolderIcon: FC = () => (
  <svg class="icon" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
    <path d="M1.5 3.5a1 1 0 0 1 1-1h3.6l1.5 1.6h5.9a1 1 0 0 1 1 1v7.4a1 1 0 0 1-1 1h-11a1 1 0 0 1-1-1z" fill="#a5b4fc" stroke="#4f46e5" />
  </svg>
);

function previewKind(contentType: string): "image" | "video" | "audio" | "pdf" | null {
  if (contentType === "application/pdf") return "pdf";
  if (/^image\/(jpeg|png|gif|webp|avif)$/.test(contentType)) return "image";
  if (/^video\/(mp4|webm|quicktime)$/.test(contentType)) return "video";
  if (/^audio\/(mpeg|mp4|ogg|wav)$/.test(contentType)) return "audio";
  return null;
}

const Hidden: FC<{ back: string; type?: string }> = ({ back, type }) => (
  <>
    <input type="hidden" name="back" value={back} />
    {type ? <input type="hidden" name="type" value={type} /> : null}
  </>
);

const RowActions: FC<{ id: string; type: "file" | "folder"; name: string; back: string }> = ({ id, type, name, back }) => (
  <div class="actions">
    <form method="post" action={`${BASE}/items/${id}/rename`}>
      <Hidden back={back} type={type} />
      <input type="text" name="name" value={name} required maxlength={255} aria-label={`New name for ${name}`} />
      <button class="btn secondary small" type="submit" aria-label={`Rename ${name}`}>
        Rename
      </button>
    </form>
    <button class="btn secondary small" type="button" data-move={id} data-type={type} data-name={name} aria-label={`Move ${name}`}>
      Move…
    </button>
    <form method="post" action={`${BASE}/items/${id}/delete`}>
      <Hidden back={back} type={type} />
      <button class="btn danger small" type="submit" aria-label={`Delete ${name}`}>
        Delete
      </button>
    </form>
  </div>
);

const FilesView: FC<{ listing: Listing; showApps: boolean; back: string; nonce?: string; pickerFolders: PickerFolder[] }> = ({ listing, showApps, back, nonce, pickerFolders }) => {
  const ro = listing.readOnly;
  const apps = showApps ? "&apps=1" : "";
  const folderHref = (id: string | null) => (id ? `${BASE}?folder=${id}${apps}` : `${BASE}${showApps ? "?apps=1" : ""}`);
  return (
    <>
      <nav class="crumbs" aria-label="Breadcrumb">
        <ol>
          {listing.breadcrumbs.map((c, i) =>
            i === listing.breadcrumbs.length - 1 ? (
              <li aria-current="page">
                <strong>{c.name}</strong>
              </li>
            ) : (
              <li>
                <a href={folderHref(c.id)}>{c.name}</a>
              </li>
            ),
          )}
        </ol>
      </nav>
      {ro ? (
        <p class="alert secret" role="note" data-testid="read-only">
          This folder belongs to an integration app: it is read-only here. The app manages it through the API.
        </p>
      ) : (
        <div class="card" style="margin-bottom:16px">
          <form method="post" action={`${BASE}/folders`} class="row" aria-label="Create folder">
            <Hidden back={back} />
            <input type="hidden" name="parentId" value={listing.parentId ?? ""} />
            <input type="text" name="name" required maxlength={255} placeholder="Folder name" aria-label="New folder name" />
            <button class="btn" type="submit">
              Create folder
            </button>
          </form>
          <Uploader target={{ "data-folder-id": listing.parentId ?? "" }} style="margin-top:14px">
            <strong>Drop files here</strong> or click to choose
          </Uploader>
          <script nonce={nonce} dangerouslySetInnerHTML={{ __html: UPLOAD_JS }} />
        </div>
      )}
      <div class="card">
        <DataTable
          label="Files and folders"
          columns={["Name", "Size", "Type", <span class="muted">Actions</span>]}
          empty="This folder is empty."
          rows={[
            ...listing.folders.map((f) => (
              <tr data-folder-id={f.id} data-name={f.name}>
                <td>
                  <FolderIcon /> <a href={folderHref(f.id)}>{f.name}</a> {f.isIntegrationAppFolder ? <span class="pill">app</span> : null}
                </td>
                <td class="muted">—</td>
                <td class="muted">Folder</td>
                <td>{ro || f.isIntegrationAppFolder ? <span class="muted">read-only</span> : <RowActions id={f.id} type="folder" name={f.name} back={back} />}</td>
              </tr>
            )),
            ...listing.files.map((f) => {
              const kind = previewKind(f.contentType);
              return (
                <tr data-file-id={f.id} data-name={f.name}>
                  <td>
                    {kind ? (
                      <button class="btn secondary small" type="button" data-preview={kind} data-url={f.url} data-name={f.name} aria-label={`Preview ${f.name}`}>
                        {f.name}
                      </button>
                    ) : (
                      <a href={f.url} rel="noopener">
                        {f.name}
                      </a>
                    )}
                  </td>
                  <td>{f.sizeBytes > 0 ? formatBytes(f.sizeBytes) : "0 B"}</td>
                  <td class="muted">{f.contentType}</td>
                  <td>{ro ? <span class="muted">read-only</span> : <RowActions id={f.id} type="file" name={f.name} back={back} />}</td>
                </tr>
              );
            }),
          ]}
        />
        {listing.nextCursor ? (
          <p>
            <a class="btn secondary" href={`${BASE}?${listing.parentId ? `folder=${listing.parentId}&` : ""}cursor=${listing.nextCursor}${apps}`}>
              Next page
            </a>
          </p>
        ) : null}
      </div>
      <dialog id="move-dialog" aria-labelledby="move-title">
        <h3 id="move-title">Move</h3>
        <form id="move-form" method="post" action="#">
          <Hidden back={back} type="file" />
          <input type="hidden" name="targetFolderId" id="move-target" value="" />
          <p>
            Destination: <strong id="picker-here">My Drive</strong>
          </p>
          <ul id="picker-list" class="picker" aria-label="Folders"></ul>
          <div class="row">
            <button class="btn" type="submit">
              Move here
            </button>
            <button class="btn secondary" type="button" data-close>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
      <script
        type="application/json"
        id="picker-data"
        dangerouslySetInnerHTML={{ __html: JSON.stringify(pickerFolders.map((f) => ({ id: f.id, name: f.name, parentId: f.parentId }))).replace(/</g, "\\u003c") }}
      />
    </>
  );
};

const TrashView: FC<{ trash: TrashList; back: string }> = ({ trash, back }) => (
  <div class="card" data-testid="recycle-bin">
    <p class="muted">Items in the Recycle Bin are deleted forever after 30 days. They still count towards your storage until then.</p>
    <DataTable
      label="Recycle Bin"
      columns={["Name", "Size", "Deleted", <span class="muted">Actions</span>]}
      empty="The Recycle Bin is empty."
      rows={trash.items.map((i) => (
        <tr data-trash-id={i.id} data-name={i.name}>
          <td>
            {i.type === "folder" ? <FolderIcon /> : null} 
            {i.name}
            {i.type === "folder" ? <span class="muted"> ({i.fileCount} file(s))</span> : null}
          </td>
          <td>{i.sizeBytes > 0 ? formatBytes(i.sizeBytes) : "0 B"}</td>
          <td class="muted">{i.deletedAt.slice(0, 16).replace("T", " ")} UTC</td>
          <td>
            <div class="actions">
              <form method="post" action={`${BASE}/trash/restore`}>
                <Hidden back={back} type={i.type} />
                <input type="hidden" name="id" value={i.id} />
                <button class="btn secondary small" type="submit" aria-label={`Restore ${i.name}`}>
                  Restore
                </button>
              </form>
              <form method="post" action={`${BASE}/trash/delete`}>
                <Hidden back={back} type={i.type} />
                <input type="hidden" name="id" value={i.id} />
                <button class="btn danger small" type="submit" aria-label={`Delete ${i.name} forever`}>
                  Delete forever
                </button>
              </form>
            </div>
          </td>
        </tr>
      ))}
    />
  </div>
);

/** The Drive dashboard page: breadcrumbs, folders and files, uploads, move picker, previews, Recycle Bin. */
export const DrivePage: FC<DrivePageProps> = ({ driveId, storage, view, listing, trash, pickerFolders, showApps, back, error, nonce }) => (
  <>
    <style dangerouslySetInnerHTML={{ __html: CSS }} />
    <p class="muted">
      <a href="/dashboard">Dashboard</a> / Drive · Drive ID <code class="inline">{driveId}</code>
    </p>
    <h1>Drive</h1>
    <ErrorAlert message={error} />
    <StorageMeter {...storage} style="margin-bottom:16px" />
    <div class="row" style="justify-content:space-between">
      <nav class="tabs" aria-label="Drive views">
        <a href={`${BASE}${showApps ? "?apps=1" : ""}`} aria-current={view === "files" ? "page" : undefined}>
          My Drive
        </a>
        <a href={`${BASE}?view=trash`} aria-current={view === "trash" ? "page" : undefined}>
          Recycle Bin
        </a>
      </nav>
      {view === "files" ? (
        <a href={showApps ? BASE : `${BASE}?apps=1`} class="muted">
          {showApps ? "Hide integration app folders" : "Show integration app folders"}
        </a>
      ) : null}
    </div>
    {view === "trash" && trash ? <TrashView trash={trash} back={back} /> : null}
    {view === "files" && listing ? <FilesView listing={listing} showApps={showApps} back={back} nonce={nonce} pickerFolders={pickerFolders} /> : null}
    <dialog id="preview" aria-labelledby="preview-title">
      <div class="row" style="justify-content:space-between;margin-bottom:10px">
        <h3 id="preview-title">Preview</h3>
        <button class="btn secondary small" type="button" data-close>
          Close
        </button>
      </div>
      <div id="preview-body" data-testid="preview-body"></div>
    </dialog>
    <script nonce={nonce} dangerouslySetInnerHTML={{ __html: DIALOGS_JS }} />
  </>
);

import type { FC } from "hono/jsx";
import { DataTable } from "../ui/table";
import { ErrorAlert, formatBytes } from "../ui/views";
import type { getGallery, listAssets } from "./galleries";
import type { getGalleryMetadata, listFields } from "./metadata";
import type { listTeams } from "./people";
import type { effectiveAccess, listGalleryTeams } from "./rights";
import { ShareByEmail } from "./share-views";
import { LargeUploadCard } from "./upload-view";

type Gallery = Awaited<ReturnType<typeof getGallery>>;
type Asset = Awaited<ReturnType<typeof listAssets>>["assets"][number];
type Team = Awaited<ReturnType<typeof listTeams>>["teams"][number];
type Field = Awaited<ReturnType<typeof listFields>>["custom_metadata_fields"][number];

export interface GalleryV1PageProps {
  gallery: Gallery;
  folders: string[];
  assets: Asset[];
  nextCursor: string | null;
  rights: Awaited<ReturnType<typeof listGalleryTeams>>["teams"] | null;
  effective: Awaited<ReturnType<typeof effectiveAccess>>["members"] | null;
  teams: Team[];
  fields: Field[];
  metadata: Awaited<ReturnType<typeof getGalleryMetadata>>["custom_metadata"];
  error?: string | null;
  nonce?: string;
}

/** Drag an asset row or a folder onto a folder (or the root) to move it: posts the same form as the Move menus. */
const DRAG_JS = `(() => {
  const root = document.querySelector("[data-move-url]");
  if (!root) return;
  for (const el of document.querySelectorAll("[data-drag]")) {
    el.draggable = true;
    el.addEventListener("dragstart", (e) => e.dataTransfer.setData("text/plain", el.dataset.drag));
  }
  for (const el of document.querySelectorAll("[data-drop]")) {
    el.addEventListener("dragover", (e) => { e.preventDefault(); el.classList.add("over"); });
    el.addEventListener("dragleave", () => el.classList.remove("over"));
    el.addEventListener("drop", (e) => {
      e.preventDefault();
      el.classList.remove("over");
      const data = e.dataTransfer.getData("text/plain");
      const i = data.indexOf(":");
      if (i < 0) return;
      const form = document.createElement("form");
      form.method = "post";
      form.action = root.dataset.moveUrl;
      const fields = { target: el.dataset.drop, [data.slice(0, i) === "asset" ? "asset_id" : "folder"]: data.slice(i + 1) };
      for (const [name, value] of Object.entries(fields)) {
        const input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = value;
        form.append(input);
      }
      document.body.append(form);
      form.submit();
    });
  }
})();`;

const CSS = `.v1-cols{display:grid;grid-template-columns:1fr 1fr;gap:16px;align-items:start}@media(max-width:820px){.v1-cols{grid-template-columns:1fr}}
.tree{list-style:none;padding:0;margin:0 0 12px}.tree li{padding:3px 0}.tree code{font-size:13px}
[data-drop].over{background:#eef2ff;outline:2px dashed var(--brand)}[draggable=true]{cursor:grab}`;

const FolderOptions: FC<{ folders: string[]; selected?: string }> = ({ folders, selected }) => (
  <>
    <option value="">(root)</option>
    {folders.map((f) => (
      <option value={f} selected={f === selected}>
        {f}
      </option>
    ))}
  </>
);

const levelOf = (r: { write: boolean; manage: boolean }) => (r.manage ? "manage" : r.write ? "write" : "read");

/** One gallery of the v1 API: folders, assets (move and rename), team rights and metadata. */
export const GalleryV1Page: FC<GalleryV1PageProps> = (p) => {
  const base = `/dashboard/galleries/${p.gallery.id}`;
  const canWrite = p.gallery.access !== "read";
  return (
    <>
      <style dangerouslySetInnerHTML={{ __html: CSS }} />
      <p class="muted">
        <a href="/dashboard">Dashboard</a> / <a href="/dashboard/gallery">Client Gallery</a> / {p.gallery.name}
      </p>
      <h1>{p.gallery.name}</h1>
      <p class="muted">
        {p.gallery.description} · {p.gallery.asset_count} asset(s) · your access: <span class="pill">{p.gallery.access}</span>
      </p>
      <ErrorAlert message={p.error} />
      {canWrite ? <LargeUploadCard galleryId={p.gallery.id} folders={p.folders} nonce={p.nonce} /> : null}
      <div class="v1-cols">
        <div class="card" data-testid="folders" data-move-url={canWrite ? `${base}/move` : undefined}>
          <h3>Folders</h3>
          <ul class="tree" aria-label="Folders">
            <li data-drop={canWrite ? "" : undefined}>
              <code>/</code>
            </li>
            {p.folders.map((f) => (
              <li data-folder={f} data-drop={canWrite ? f : undefined} data-drag={canWrite ? `folder:${f}` : undefined} style={`padding-left:${f.split("/").length * 16}px`}>
                📁 {f.slice(f.lastIndexOf("/") + 1)}
                {canWrite ? (
                  <form method="post" action={`${base}/folders/rename`} class="row" style="display:inline-flex;margin-left:8px">
                    <input type="hidden" name="path" value={f} />
                    <input type="text" name="name" required maxlength={255} aria-label={`New name of ${f}`} placeholder="rename" style="width:110px;padding:3px 6px" />
                    <button class="btn secondary small" type="submit">
                      Rename
                    </button>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
          {canWrite ? (
            <>
              <form method="post" action={`${base}/folders`} class="row" aria-label="Create folder">
                <select name="parent" aria-label="Parent folder">
                  <FolderOptions folders={p.folders} />
                </select>
                <input type="text" name="name" required maxlength={255} placeholder="New folder" aria-label="New folder name" />
                <button class="btn small" type="submit">
                  Create folder
                </button>
              </form>
              <form method="post" action={`${base}/move`} class="row" aria-label="Move folder" style="margin-top:10px">
                <select name="folder" aria-label="Folder to move">
                  {p.folders.map((f) => (
                    <option value={f}>{f}</option>
                  ))}
                </select>
                <span>into</span>
                <select name="target" aria-label="Move folder into">
                  <FolderOptions folders={p.folders} />
                </select>
                <button class="btn secondary small" type="submit">
                  Move folder
                </button>
              </form>
            </>
          ) : null}
        </div>
        <div class="card" data-testid="metadata">
          <h3>Metadata</h3>
          {p.fields.length === 0 ? <p class="muted">No custom metadata fields yet (create them on Members &amp; Teams).</p> : null}
          <form method="post" action={`${base}/metadata`} class="stack" aria-label="Metadata">
            {p.fields.map((f) => {
              const current = p.metadata.find((m) => m.custom_metadata_field === f.id)?.value;
              const value = current === undefined ? "" : String(current);
              return (
                <label>
                  {f.name} <span class="muted">({f.field_type})</span>
                  {f.field_type === "select" || f.field_type === "boolean" ? (
                    <select name={`field_${f.id}`} disabled={!canWrite}>
                      <option value="">—</option>
                      {(f.field_type === "boolean" ? ["true", "false"] : (f.options ?? [])).map((o) => (
                        <option value={o} selected={o === value}>
                          {o}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <input type={f.field_type === "date" ? "date" : "text"} name={`field_${f.id}`} value={value} disabled={!canWrite} />
                  )}
                </label>
              );
            })}
            {canWrite && p.fields.length ? (
              <button class="btn small" type="submit">
                Save metadata
              </button>
            ) : null}
          </form>
        </div>
      </div>

      <div class="card" style="margin-top:16px">
        <h3>Assets</h3>
        <DataTable
          label="Assets"
          columns={["Name", "Folder", "Type", "Size", canWrite ? "Move / rename" : ""]}
          empty="No assets yet: upload them on the Client Gallery page."
          rows={p.assets.map((a) => (
            <tr data-asset-id={a.id} data-drag={canWrite ? `asset:${a.id}` : undefined}>
              <td>
                <a href={a.url}>{a.name}</a>
              </td>
              <td>
                <code class="inline">/{a.dirname}</code>
              </td>
              <td>{a.type}</td>
              <td>{formatBytes(a.size)}</td>
              <td>
                {canWrite ? (
                  <div class="row">
                    <form method="post" action={`${base}/move`} class="row">
                      <input type="hidden" name="asset_id" value={a.id} />
                      <select name="target" aria-label={`Move ${a.name} into`}>
                        <FolderOptions folders={p.folders} selected={a.dirname} />
                      </select>
                      <button class="btn secondary small" type="submit">
                        Move
                      </button>
                    </form>
                    <form method="post" action={`${base}/assets/rename`} class="row">
                      <input type="hidden" name="asset_id" value={a.id} />
                      <input type="text" name="name" required maxlength={255} aria-label={`New name of ${a.name}`} placeholder="rename" style="width:110px;padding:3px 6px" />
                      <button class="btn secondary small" type="submit">
                        Rename
                      </button>
                    </form>
                  </div>
                ) : null}
              </td>
            </tr>
          ))}
        />
        {p.nextCursor ? (
          <p>
            <a class="btn secondary" href={`${base}?cursor=${p.nextCursor}`}>
              Next page
            </a>
          </p>
        ) : null}
      </div>

      {p.rights ? (
        <div class="v1-cols" style="margin-top:16px">
          <div class="card" data-testid="rights">
            <h3>Teams and rights</h3>
            <DataTable
              label="Team rights"
              columns={["Team", "Access", ""]}
              empty="No team has access yet."
              rows={p.rights.map((t) => (
                <tr data-team-id={t.id}>
                  <td>
                    {t.name} {t.own_team ? <span class="muted">(member)</span> : null}
                  </td>
                  <td>{levelOf(t)}</td>
                  <td>
                    <form method="post" action={`${base}/rights/${t.id}/revoke`}>
                      <button class="btn danger small" type="submit" aria-label={`Revoke ${t.name}`}>
                        Revoke
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            />
            <form method="post" action={`${base}/rights`} class="row" aria-label="Grant access" style="margin-top:10px">
              <select name="team_id" aria-label="Team">
                {p.teams.map((t) => (
                  <option value={t.id}>
                    {t.name}
                    {t.own_team ? " (member)" : ""}
                  </option>
                ))}
              </select>
              <select name="level" aria-label="Access">
                <option value="read">read</option>
                <option value="write">write</option>
                <option value="manage">manage</option>
              </select>
              <button class="btn small" type="submit">
                Grant
              </button>
            </form>
            <ShareByEmail action={`${base}/share`} />
          </div>
          <div class="card" data-testid="effective">
            <h3>Effective access</h3>
            <DataTable
              label="Effective access"
              columns={["Member", "Access", "Through"]}
              empty="Only the studio."
              rows={(p.effective ?? []).map((m) => (
                <tr data-member-id={m.id}>
                  <td>{m.name || m.email}</td>
                  <td>{m.access}</td>
                  <td>{m.teams.map((t) => (t.own_team ? "own team" : t.name)).join(", ")}</td>
                </tr>
              ))}
            />
          </div>
        </div>
      ) : null}
      {canWrite ? <script nonce={p.nonce} dangerouslySetInnerHTML={{ __html: DRAG_JS }} /> : null}
    </>
  );
};

/** Galleries other studios share with the signed-in member (linked by verified email). */
export const SharedPage: FC<{ shared: { studio: string; galleries: { id: string; name: string }[] }[]; verified: boolean }> = ({ shared, verified }) => (
  <>
    <p class="muted">
      <a href="/dashboard">Dashboard</a> / Shared with me
    </p>
    <h1>Shared with me</h1>
    {verified ? null : <p class="muted">Galleries are shared with your email once it is verified: open the link in a share email, or sign in with Google.</p>}
    <DataTable
      label="Shared galleries"
      columns={["Gallery", "Studio"]}
      empty="Nothing is shared with you yet."
      rows={shared.flatMap((s) =>
        s.galleries.map((g) => (
          <tr data-gallery-id={g.id}>
            <td>
              <a href={`/dashboard/galleries/${g.id}`}>{g.name}</a>
            </td>
            <td>{s.studio}</td>
          </tr>
        )),
      )}
    />
  </>
);

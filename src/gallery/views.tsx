import type { FC } from "hono/jsx";
import { DataTable } from "../ui/table";
import { Uploader, uploadIsland } from "../ui/upload-island";
import { ErrorAlert, formatBytes, StorageMeter } from "../ui/views";
import type { getCollection, listCategories, listCollections } from "./service";
import { FILE_GRID_CSS, FileGrid } from "./file-grid";
import type { listFiles } from "./variants";

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
` + FILE_GRID_CSS;

const UPLOAD_JS = uploadIsland({
  presignUrl: "/api/dashboard/gallery/upload/presign",
  completeUrl: "/api/dashboard/gallery/upload/complete",
  targetField: "collectionId",
  completeSendsFileInfo: true,
});

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
      <StorageMeter {...storage} style="margin-bottom:20px" />
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
            <DataTable
              label="Collections"
              columns={["Name", "Client", "Date", "Category", "Files", "Size"]}
              empty={`No collections${filter ? " in this category" : " yet"}.`}
              rows={collections.map((col) => (
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
              ))}
            />
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
                {selected.collection.fileCount} file(s) · {formatBytes(selected.collection.totalBytes)} ·{" "}
                <a href={`/dashboard/galleries/${selected.collection.id}`}>Folders, teams &amp; metadata</a>
              </p>
              <CollectionForm categories={categories} collection={selected.collection} />
              <Uploader target={{ "data-collection-id": selected.collection.id }} style="margin-top:18px">
                <strong>Drop photos here</strong> or click to choose files
              </Uploader>
              <FileGrid collectionId={selected.collection.id} files={selected.files} filter={filter} />
              <script nonce={nonce} dangerouslySetInnerHTML={{ __html: UPLOAD_JS }} />
            </div>
          ) : null}
        </div>
      </div>
    </>
  );
};

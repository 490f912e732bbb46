import type { FC } from "hono/jsx";
import type { listFiles } from "./variants";

type FilesPage = Awaited<ReturnType<typeof listFiles>>;
type ListedFile = FilesPage["files"][number];

/** CSS of the thumbnail grid (the page's style block includes it). */
export const FILE_GRID_CSS = `
.thumbs{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:12px;margin-top:16px}
.thumb{background:#fff;border:1px solid var(--line);border-radius:10px;overflow:hidden;display:grid}
.thumb .img{aspect-ratio:1;background:#eef0f6;display:flex;align-items:center;justify-content:center;overflow:hidden}
.thumb .img>a{display:flex;width:100%;height:100%;align-items:center;justify-content:center;flex-direction:column;gap:6px;text-decoration:none}
.thumb img{width:100%;height:100%;object-fit:cover}
.thumb .icon{width:44px;height:54px;color:#8a93a8}.thumb .ext{font-size:11px;font-weight:600;letter-spacing:.04em;color:#6b7280;text-transform:uppercase}
.thumb .meta{padding:6px 8px;font-size:12px;display:flex;justify-content:space-between;gap:6px;align-items:center}.thumb .meta span{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
`;

/** The generic file icon: non-images, and images without a thumbnail (undecodable, or too big to resize here). */
const FileIcon: FC = () => (
  <svg class="icon" viewBox="0 0 44 54" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2">
    <path d="M5 3h24l10 10v38H5z" fill="#fff" />
    <path d="M29 3v10h10" />
  </svg>
);

const extOf = (f: ListedFile) => (/\.([a-z0-9]{1,5})$/i.exec(f.name)?.[1] ?? f.contentType.split("/")[1] ?? "file").slice(0, 5);

/** One tile: the thumbnail (lazy, opens the web size) or the generic icon (opens the original). */
const Tile: FC<{ collectionId: string; f: ListedFile }> = ({ collectionId, f }) => (
  <div class="thumb" data-file-id={f.id} data-file-name={f.name} data-has-thumbnail={f.thumbnailUrl ? "true" : "false"}>
    <div class="img">
      {f.thumbnailUrl ? (
        <a href={f.webUrl ?? f.url} target="_blank" rel="noopener" aria-label={`Open ${f.name}`}>
          <img src={f.thumbnailUrl} alt={f.name} loading="lazy" decoding="async" />
        </a>
      ) : (
        <a href={f.url} target="_blank" rel="noopener" aria-label={`Open ${f.name}`} data-testid="file-icon">
          <FileIcon />
          <span class="ext">{extOf(f)}</span>
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
);

/** A collection's files as a grid of thumbnails, one page at a time. */
export const FileGrid: FC<{ collectionId: string; files: FilesPage; filter?: string }> = ({ collectionId, files, filter }) => (
  <>
    <div class="thumbs" data-testid="file-grid">
      {files.files.map((f) => (
        <Tile collectionId={collectionId} f={f} />
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

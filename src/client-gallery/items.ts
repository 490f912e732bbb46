import type { files } from "../db/schema";
import type { Env } from "../env";
import { MEDIA_AUDIENCE } from "../gallery/service";
import { variantUrlsOfMany } from "../gallery/variants";
import { mediaLinks } from "../platform/storage";

type FileRow = typeof files.$inferSelect;

export type ItemKind = "image" | "video" | "other";

/** What the public page shows of one file: signed, short-lived URLs only. */
export interface PageItem {
  id: string;
  name: string;
  folder: string;
  kind: ItemKind;
  /** Grid image: the thumbnail, else the web size, else the original. */
  thumb: string | null;
  /** Viewer image: the web size, else the original. */
  web: string | null;
  /** The original, for video playback (Range requests on the media route). */
  src: string | null;
}

const kindOf = (type: string): ItemKind => (type.startsWith("image/") ? "image" : type.startsWith("video/") ? "video" : "other");

/**
 * The page's items in order. Images use their variants (thumbnail ~400 px, web ~2048 px) and
 * fall back to the original's signed URL when a variant is missing; videos get the original
 * (streamed with Range); other files get no URL (a generic tile).
 */
export async function pageItems(env: Env, origin: string, rows: FileRow[], now: number): Promise<PageItem[]> {
  if (!rows.length) return [];
  const variants = await variantUrlsOfMany(env, rows, { origin, now });
  const needOriginal = rows.map((f, i) => {
    const k = kindOf(f.contentType);
    return k === "video" || (k === "image" && (!variants[i]!.thumbnailUrl || !variants[i]!.webUrl));
  });
  const keys = rows.filter((_, i) => needOriginal[i]).map((f) => f.storageKey);
  const links = await mediaLinks(env, origin, MEDIA_AUDIENCE, "/api/media", { kind: "studio", id: rows[0]!.studioId }, keys, now);
  let j = 0;
  return rows.map((f, i) => {
    const kind = kindOf(f.contentType);
    const original = needOriginal[i] ? links[j++]!.url : null;
    const v = variants[i]!;
    const web = kind === "image" ? (v.webUrl ?? original) : null;
    return { id: f.id, name: f.name, folder: f.folderPath, kind, thumb: kind === "image" ? (v.thumbnailUrl ?? web) : null, web, src: kind === "video" ? original : null };
  });
}

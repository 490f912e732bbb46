import type { Db } from "../db";
import { getStudio } from "../gallery/service";
import { saveShare } from "./share";

/** The demo password of the protected demo gallery (printed in the dev banner's notes). */
export const DEMO_GALLERY_PASSWORD = "demo";

/**
 * Local demo data only (`npm run dev`): shares the demo collections, the first without a
 * password and the second with password `demo`, both with original downloads.
 */
export async function shareDemoGalleries(db: Db, profileId: string, collectionIds: string[], now: number, pepper = "") {
  const studio = await getStudio(db, profileId);
  const [open, locked] = collectionIds;
  if (open) await saveShare(db, studio.id, open, { downloads: "original" }, now, pepper);
  if (locked) await saveShare(db, studio.id, locked, { downloads: "original", password: DEMO_GALLERY_PASSWORD }, now, pepper);
}

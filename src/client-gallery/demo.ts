import { and, eq } from "drizzle-orm";
import type { Db } from "../db";
import { galleryShares } from "../db/schema";
import { getStudio } from "../gallery/service";
import { saveShare } from "./share";

/** The demo password of the protected demo gallery. */
export const DEMO_GALLERY_PASSWORD = "demo";

/** Fixed slugs so the dev banner can print the links (real links get 128 random bits). */
export const DEMO_SLUGS = ["demo-wedding", "demo-portraits"] as const;

/**
 * Local demo data only (`npm run dev`): shares the demo collections, the first without a
 * password at /g/demo-wedding and the second with password `demo` at /g/demo-portraits, both
 * with original downloads.
 */
export async function shareDemoGalleries(db: Db, profileId: string, collectionIds: string[], now: number, pepper = "") {
  const studio = await getStudio(db, profileId);
  for (const [i, id] of collectionIds.slice(0, 2).entries()) {
    await saveShare(db, studio.id, id, { downloads: "original", ...(i === 1 ? { password: DEMO_GALLERY_PASSWORD } : {}) }, now, pepper);
    await db
      .update(galleryShares)
      .set({ slug: DEMO_SLUGS[i]! })
      .where(and(eq(galleryShares.collectionId, id), eq(galleryShares.studioId, studio.id)));
  }
}

import { eq } from "drizzle-orm";
import type { Db } from "../db";
import { messagingEmbeds } from "../db/schema";
import { embedRowOf } from "./embed";

/** The demo shop's widget id (local dev only; printed by the dev banner as /chat/emb_demoCornerShop). */
export const DEMO_EMBED_ID = "emb_demoCornerShop";

/** `npm run dev`'s demo shop gets its widget on, for pages on localhost and 127.0.0.1, under a known id. */
export async function seedDemoEmbed(db: Db, profileId: string, now: number): Promise<void> {
  await embedRowOf(db, profileId, now);
  await db
    .update(messagingEmbeds)
    .set({ enabled: true, allowedOrigins: JSON.stringify(["localhost", "127.0.0.1"]), publicId: DEMO_EMBED_ID, greeting: "Hi! Ask me about opening hours, delivery or returns.", updatedAt: now })
    .where(eq(messagingEmbeds.profileId, profileId))
    .run();
}

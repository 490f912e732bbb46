import { eq } from "drizzle-orm";
import { registerAccount } from "../accounts/service";
import type { AccountType } from "../accounts/schemas";
import { getDb } from "../db";
import { apiKeys, profiles, type ProductLine } from "../db/schema";
import type { Env } from "../env";
import { sha256Hex } from "../platform/crypto";
import { newId } from "../platform/ids";
import { createAgent } from "../messaging/agents";
import { addSource } from "../messaging/knowledge";
import { seedDemoEmbed } from "../messaging/embed-demo";
import { seedGalleriesV1Demo } from "../galleries-v1/demo";
import { seedGalleryDemo } from "../gallery/demo";
import { shareDemoGalleries } from "../client-gallery/demo";
import type { Db } from "../db";
import demo from "./demo-accounts.json";

let seeding: Promise<void> | null = null;

/**
 * Local development only (DEMO_SEED=true, set by `npm run dev`): creates the demo accounts
 * with the known keys printed in the dev banner. Idempotent; runs once per isolate.
 */
export function ensureDemoData(env: Env, background?: (job: Promise<unknown>) => void): Promise<void> {
  seeding ??= seed(env, background).catch((err) => {
    seeding = null;
    throw err;
  });
  return seeding;
}

async function seed(env: Env, background?: (job: Promise<unknown>) => void): Promise<void> {
  const db = getDb(env.DB);
  const now = Date.now();
  for (const a of demo.accounts) {
    const exists = await db.select({ id: profiles.id }).from(profiles).where(eq(profiles.email, a.email)).get();
    if (exists) continue;
    try {
      const { profileId } = await registerAccount(
        db,
        { email: a.email, password: demo.password, displayName: a.displayName, accountType: a.accountType as AccountType },
        now,
        env.PASSWORD_PEPPER,
      );
      if (a.accountType === "messaging") await seedMessagingDemo(db, profileId, now);
      if (a.accountType === "studio" && a.key) await seedGalleriesV1Demo(db, profileId, now);
      // Two Client Gallery collections of generated photos, with thumbnails and web sizes, shared
      // as a client sees them: /g/demo-wedding open, /g/demo-portraits with password "demo".
      // Seconds of image work: it runs after the first answer when the request can wait for it (waitUntil).
      if (a.accountType === "studio" && a.key) {
        const gallery = seedGalleryDemo(db, env, profileId, now).then((ids) => shareDemoGalleries(db, profileId, ids, now, env.PASSWORD_PEPPER));
        await runInBackground(gallery, background);
      }
      if ("role" in a && a.role === "staff") await db.update(profiles).set({ role: "staff" }).where(eq(profiles.id, profileId));
      if (a.key) {
        await db.insert(apiKeys).values({
          id: newId("key"),
          profileId,
          productLine: a.line as ProductLine,
          keyHash: await sha256Hex(a.key),
          displayPrefix: a.key.slice(0, a.key.indexOf("_") + 5),
          last4: a.key.slice(-4),
          label: "Demo key",
          createdAt: now,
        });
      }
    } catch (err) {
      // Another request seeded it first.
      if (!/email_taken|UNIQUE/i.test(String((err as { code?: string }).code ?? err))) throw err;
    }
  }
}

/** Hands `job` to `background` (the request's waitUntil) when there is one, else waits for it; failures are logged. */
async function runInBackground(job: Promise<unknown>, background?: (job: Promise<unknown>) => void): Promise<void> {
  const logged = job.catch((err) => console.error(JSON.stringify({ msg: "demo seed failed", error: String(err) })));
  if (!background) return void (await logged);
  try {
    background(logged);
  } catch {
    await logged;
  }
}

/** The demo shop's agent with a few sources, so the playground answers something sensible on a fresh `npm run dev`. */
async function seedMessagingDemo(db: Db, profileId: string, now: number): Promise<void> {
  const agent = await createAgent(
    db,
    profileId,
    {
      name: "Shop assistant",
      botDisplayName: "Corner Shop assistant",
      botRoleSummary: "I answer questions about opening hours, delivery, returns and payment.",
      systemInstructions: "Be friendly and concise. Answer from the shop's knowledge only.",
      humanHandoffEnabled: true,
      humanHandoffMessage: "Write to hello@corner-shop.example and a person will reply within a day.",
    },
    now,
  );
  const sources = [
    { type: "qa", question: "What are your opening hours?", answer: "We are open 9am to 5pm, Monday to Friday." },
    { type: "qa", question: "Can I return an item?", answer: "Yes: returns are free within 30 days with the receipt." },
    {
      type: "text",
      title: "Delivery and payment",
      content:
        "We deliver across the country in 2 to 3 working days; delivery is free above 50 EUR.\n\nWe accept cards, PayPal and cash in the shop.",
    },
  ] as const;
  for (const src of sources) await addSource(db, profileId, agent.id, src, now);
  await seedDemoEmbed(db, profileId, now);
}

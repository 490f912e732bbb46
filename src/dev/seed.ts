import { eq } from "drizzle-orm";
import { registerAccount } from "../accounts/service";
import type { AccountType } from "../accounts/schemas";
import { getDb } from "../db";
import { apiKeys, profiles, type ProductLine } from "../db/schema";
import type { Env } from "../env";
import { sha256Hex } from "../platform/crypto";
import { newId } from "../platform/ids";
import demo from "./demo-accounts.json";

let seeding: Promise<void> | null = null;

/**
 * Local development only (DEMO_SEED=true, set by `npm run dev`): creates the demo accounts
 * with the known keys printed in the dev banner. Idempotent; runs once per isolate.
 */
export function ensureDemoData(env: Env): Promise<void> {
  seeding ??= seed(env).catch((err) => {
    seeding = null;
    throw err;
  });
  return seeding;
}

async function seed(env: Env): Promise<void> {
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

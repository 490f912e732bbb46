import { z } from "@hono/zod-openapi";
import { DOWNLOAD_MODES } from "../db/schema";

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD")
  .refine((d) => {
    const ms = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(d);
  }, "not a calendar date");
const IsoDateTime = z.string().datetime({ offset: true });

/**
 * The share settings a POST changes; every field is optional and only the fields sent change.
 * `password`/`pin` null remove them; `expiresAt` a date (`YYYY-MM-DD`: the link works through
 * that day, UTC) or a date-time; null removes it. `regenerateSlug` issues a new link and the old
 * one stops at once.
 */
export const ShareBody = z
  .object({
    enabled: z.boolean().optional(),
    password: z.string().min(4).max(128).nullable().optional(),
    expiresAt: z.union([IsoDate, IsoDateTime]).nullable().optional(),
    downloads: z.enum(DOWNLOAD_MODES).optional(),
    pin: z
      .string()
      .regex(/^\d{4}$/, "a PIN is exactly 4 digits")
      .nullable()
      .optional(),
    coverFileId: z.string().min(1).max(64).nullable().optional(),
    regenerateSlug: z.boolean().optional(),
  })
  .strict()
  .openapi("ShareSettingsInput");

export type ShareInput = z.infer<typeof ShareBody>;

export const ShareSchema = z
  .object({
    collectionId: z.string(),
    enabled: z.boolean(),
    url: z.string().nullable().openapi({ description: "The public page, `<origin>/g/<slug>`; null until the collection is first shared." }),
    slug: z.string().nullable(),
    passwordProtected: z.boolean(),
    pinProtected: z.boolean(),
    expiresAt: z.string().nullable(),
    expired: z.boolean(),
    downloads: z.enum(DOWNLOAD_MODES),
    coverFileId: z.string().nullable(),
    updatedAt: z.string().nullable(),
  })
  .openapi("ShareSettings");

/** The client's email for favorites: one address, stored lowercase. */
export const ClientEmail = z.string().trim().toLowerCase().max(254).pipe(z.email());

export const FavoriteBody = z.object({ favorite: z.boolean() }).strict();
export const EmailBody = z.object({ email: ClientEmail }).strict();
export const PinBody = z.object({ pin: z.string().regex(/^\d{4}$/, "a PIN is exactly 4 digits") }).strict();
export const DownloadQuery = z.object({ list: z.enum(["all", "favorites"]).default("all") });

/** `YYYY-MM-DD` -> the end of that day (UTC, exclusive); a date-time as given. */
export function expiryMs(value: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) + 24 * 3600_000 : Date.parse(value);
}

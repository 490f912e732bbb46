import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import type { Db } from "../db";
import { agents, messagingEmbeds } from "../db/schema";
import { ApiError } from "../platform/errors";
import { newId } from "../platform/ids";
import { userText } from "../platform/text";
import { messagingAccountOf } from "./credits";

export const MAX_EMBED_ORIGINS = 20;
export const MAX_GREETING_CHARS = 300;

type EmbedRow = typeof messagingEmbeds.$inferSelect;

/**
 * One allowlist entry: a hostname only (no scheme, port, path or wildcard), lower-cased, an
 * IDN turned into punycode the way browsers put it in Origin (`new URL("http://" + host)`).
 */
export const EmbedHostname = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .transform((s, ctx) => {
    const raw = s.toLowerCase().replace(/\.$/, "");
    if (/[\s/\\:*?#@%[\]]/.test(raw)) {
      ctx.addIssue({ code: "custom", message: "a hostname only, e.g. shop.example.com (no scheme, port, path or wildcard)" });
      return z.NEVER;
    }
    let host: string;
    try {
      host = new URL(`http://${raw}`).hostname;
    } catch {
      ctx.addIssue({ code: "custom", message: "not a valid hostname" });
      return z.NEVER;
    }
    if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(host) || host.split(".").some((l) => !l || l.length > 63 || l.startsWith("-") || l.endsWith("-"))) {
      ctx.addIssue({ code: "custom", message: "not a valid hostname" });
      return z.NEVER;
    }
    return host;
  });

const EXTENDED_PICTO = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;

/** One emoji (a single short grapheme cluster) or an absolute https image URL. */
export const LauncherIcon = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .refine((s) => {
    if (s.startsWith("https://")) {
      try {
        return new URL(s).protocol === "https:";
      } catch {
        return false;
      }
    }
    if (s.length > 32 || !EXTENDED_PICTO.test(s)) return false;
    return [...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(s)].length === 1;
  }, "one emoji (e.g. 💬) or an https:// image URL");

export const EmbedUpdate = z
  .object({
    embedEnabled: z.boolean(),
    embedAllowedOrigins: z.array(EmbedHostname).max(MAX_EMBED_ORIGINS),
    embedAccentColor: z.string().regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, "a hex colour like #0d9488"),
    embedLauncherIcon: LauncherIcon,
    embedShowLauncher: z.boolean(),
    embedGreeting: userText({ max: MAX_GREETING_CHARS }),
    chatTitle: userText({ min: 1, max: 80 }).nullable(),
    rotateEmbedId: z.boolean(),
  })
  .partial()
  .openapi("EmbedUpdate");
export type EmbedUpdate = z.infer<typeof EmbedUpdate>;

export const EmbedSchema = z
  .object({
    embedEnabled: z.boolean(),
    embedPublicId: z.string().openapi({ example: "emb_3fZkq9…" }),
    embedAllowedOrigins: z.array(z.string()),
    embedAccentColor: z.string(),
    embedLauncherIcon: z.string(),
    embedShowLauncher: z.boolean(),
    embedGreeting: z.string(),
    chatTitle: z.string(),
    embedShareLink: z.string(),
    embedCodeFloating: z.string(),
    embedCodeButton: z.string(),
  })
  .openapi("EmbedSettings");

const newEmbedId = () => newId("emb", 24);

/** The profile's embed row, created with defaults on first read (409 without a messaging account). */
export async function embedRowOf(db: Db, profileId: string, now: number): Promise<EmbedRow> {
  const existing = await db.select().from(messagingEmbeds).where(eq(messagingEmbeds.profileId, profileId)).get();
  if (existing) return existing;
  await messagingAccountOf(db, profileId);
  await db.insert(messagingEmbeds).values({ profileId, publicId: newEmbedId(), createdAt: now, updatedAt: now }).onConflictDoNothing().run();
  return (await db.select().from(messagingEmbeds).where(eq(messagingEmbeds.profileId, profileId)).get())!;
}

/** An enabled embed by its public id, or undefined (unknown, rotated away or disabled). */
export async function enabledEmbedByPublicId(db: Db, publicId: string): Promise<EmbedRow | undefined> {
  const row = await db.select().from(messagingEmbeds).where(eq(messagingEmbeds.publicId, publicId)).get();
  return row?.enabled ? row : undefined;
}

export const allowedHostsOf = (row: Pick<EmbedRow, "allowedOrigins">): string[] => JSON.parse(row.allowedOrigins) as string[];

/** The title the widget shows: the set chatTitle, else the default agent's display name, else "Chat". */
export async function chatTitleOf(db: Db, row: EmbedRow): Promise<string> {
  if (row.chatTitle) return row.chatTitle;
  const def = await db
    .select({ name: agents.botDisplayName })
    .from(agents)
    .where(and(eq(agents.profileId, row.profileId), eq(agents.isDefault, true)))
    .get();
  return def?.name ?? "Chat";
}

const attr = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The guide's two install snippets, verbatim but for the base URL and the account's values. */
export function embedSnippets(base: string, publicId: string, chatTitle: string, icon: string) {
  const src = `${base}/embed/gellhub-chat.js`;
  return {
    embedCodeFloating: `<script src="${src}" data-embed-id="${publicId}" data-chat-title="${attr(chatTitle)}" data-launcher-icon="${attr(icon)}" data-launcher="true" async ></script>`,
    embedCodeButton: `<script src="${src}" data-embed-id="${publicId}" data-chat-title="${attr(chatTitle)}" data-launcher="false" async ></script> <button type="button" onclick="window.GellHubChat && GellHubChat.open()">Chat</button>`,
  };
}

export async function toEmbedView(db: Db, row: EmbedRow, base: string): Promise<z.infer<typeof EmbedSchema>> {
  const chatTitle = await chatTitleOf(db, row);
  return {
    embedEnabled: row.enabled,
    embedPublicId: row.publicId,
    embedAllowedOrigins: allowedHostsOf(row),
    embedAccentColor: row.accentColor,
    embedLauncherIcon: row.launcherIcon,
    embedShowLauncher: row.showLauncher,
    embedGreeting: row.greeting,
    chatTitle,
    embedShareLink: `${base}/chat/${row.publicId}`,
    ...embedSnippets(base, row.publicId, chatTitle, row.launcherIcon),
  };
}

export async function getEmbedSettings(db: Db, profileId: string, base: string, now: number) {
  return toEmbedView(db, await embedRowOf(db, profileId, now), base);
}

/**
 * Saves a partial update. Enabling with no allowed hostname (after the update) -> 400
 * `origins_required`; `rotateEmbedId: true` replaces the public id, so the old one stops at once.
 */
export async function updateEmbedSettings(db: Db, profileId: string, input: EmbedUpdate, base: string, now: number) {
  const row = await embedRowOf(db, profileId, now);
  const hosts = input.embedAllowedOrigins ? [...new Set(input.embedAllowedOrigins)] : allowedHostsOf(row);
  const enabled = input.embedEnabled ?? row.enabled;
  if (enabled && hosts.length === 0) throw new ApiError("origins_required", "Add at least one allowed domain (embedAllowedOrigins) to enable the widget");
  const next = {
    enabled,
    allowedOrigins: JSON.stringify(hosts),
    accentColor: input.embedAccentColor?.toLowerCase() ?? row.accentColor,
    launcherIcon: input.embedLauncherIcon ?? row.launcherIcon,
    showLauncher: input.embedShowLauncher ?? row.showLauncher,
    greeting: input.embedGreeting ?? row.greeting,
    chatTitle: input.chatTitle === undefined ? row.chatTitle : input.chatTitle,
    publicId: input.rotateEmbedId ? newEmbedId() : row.publicId,
    updatedAt: now,
  };
  await db.update(messagingEmbeds).set(next).where(eq(messagingEmbeds.profileId, profileId)).run();
  return toEmbedView(db, { ...row, ...next }, base);
}

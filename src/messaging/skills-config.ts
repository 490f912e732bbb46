import { z } from "@hono/zod-openapi";
import type { Db } from "../db";
import type { Env } from "../env";
import { messagingAccountOf } from "./credits";
import { ApiError } from "../platform/errors";
import { userText } from "../platform/text";
import { checkedWebhookUrl, integrationOf, saveIntegration, sealedOrCleared, WebhookSecretField, WebhookUrlField, type IntegrationRow } from "./webhooks/integrations";

export const MAX_SKILLS = 20;
export const MAX_KEYWORDS_PER_SKILL = 20;

/** One skill: a slug key (sent as `skill` / X-GellHub-Skill), a label, and its trigger keywords or phrases. */
export const SkillDefSchema = z
  .object({
    key: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9_-]{0,38}[a-z0-9])?$/, "a slug: 1-40 lowercase letters, digits, - or _, starting and ending with a letter or digit")
      .openapi({ example: "booking" }),
    label: userText({ min: 1, max: 60 }).openapi({ example: "Booking" }),
    keywords: z
      .array(userText({ min: 1, max: 60 }))
      .min(1)
      .max(MAX_KEYWORDS_PER_SKILL)
      .openapi({ example: ["book", "appointment", "schedule"] }),
  })
  .strict()
  .openapi("Skill");
export type SkillDef = z.infer<typeof SkillDefSchema>;

export const SkillsUpdate = z
  .object({
    skillsEnabled: z.boolean(),
    skillsWebhookUrl: WebhookUrlField.openapi({ example: "https://yourstore.com/api/gellhub/skills" }),
    skillsWebhookSecret: WebhookSecretField.openapi({ description: "Write-only HMAC secret; null or \"\" removes it", example: "your-hmac-secret" }),
    skills: z
      .array(SkillDefSchema)
      .max(MAX_SKILLS)
      .refine((list) => new Set(list.map((s) => s.key)).size === list.length, "skill keys must be unique"),
  })
  .partial()
  .strict()
  .openapi("SkillsUpdate");
export type SkillsUpdate = z.infer<typeof SkillsUpdate>;

export const SkillsSchema = z
  .object({
    skillsEnabled: z.boolean(),
    skillsWebhookUrl: z.string().nullable(),
    skillsWebhookSecretSet: z.boolean().openapi({ description: "Whether a signing secret is stored (it is never shown back)" }),
    skills: z.array(SkillDefSchema),
    updatedAt: z.string().nullable(),
  })
  .openapi("SkillsConfig");
export type SkillsView = z.infer<typeof SkillsSchema>;

/** What the turn pipeline needs: `matchSkill(config, text)` reads skills/skillsEnabled, `callSkill` the rest. */
export interface SkillsConfig {
  profileId: string;
  skillsEnabled: boolean;
  skillsWebhookUrl: string | null;
  /** The AES-GCM sealed secret (platform/secret-box), opened only by callSkill. */
  secretSealed: string | null;
  skills: SkillDef[];
}

function toConfig(profileId: string, row: IntegrationRow | undefined): SkillsConfig {
  return {
    profileId,
    skillsEnabled: row?.skillsEnabled ?? false,
    skillsWebhookUrl: row?.skillsWebhookUrl ?? null,
    secretSealed: row?.skillsSecretSealed ?? null,
    skills: row ? (JSON.parse(row.skillsJson) as SkillDef[]) : [],
  };
}

/** The profile's skills config (disabled and empty when never saved). */
export async function loadSkillsConfig(db: Db, profileId: string): Promise<SkillsConfig> {
  return toConfig(profileId, await integrationOf(db, profileId));
}

function toView(row: IntegrationRow | undefined): SkillsView {
  const c = toConfig(row?.profileId ?? "", row);
  return {
    skillsEnabled: c.skillsEnabled,
    skillsWebhookUrl: c.skillsWebhookUrl,
    skillsWebhookSecretSet: c.secretSealed !== null,
    skills: c.skills,
    updatedAt: row ? new Date(row.updatedAt).toISOString() : null,
  };
}

/** The saved settings (defaults when never saved; 409 without a messaging account). */
export async function getSkillsSettings(db: Db, profileId: string): Promise<SkillsView> {
  const row = await integrationOf(db, profileId);
  if (!row) await messagingAccountOf(db, profileId);
  return toView(row);
}

/**
 * Saves a partial update (omitted fields keep their value). The URL passes the outbound rule
 * (400 `url_not_allowed`); enabling needs a URL (400 `webhook_url_required`).
 */
export async function updateSkillsSettings(env: Pick<Env, "LOCAL_DEV" | "WEBHOOK_SECRET_KEY">, db: Db, profileId: string, input: SkillsUpdate, now: number): Promise<SkillsView> {
  const current = toConfig(profileId, await integrationOf(db, profileId));
  const url = input.skillsWebhookUrl === undefined ? current.skillsWebhookUrl : checkedWebhookUrl(env, input.skillsWebhookUrl);
  const skills = input.skills ?? current.skills;
  const enabled = input.skillsEnabled ?? current.skillsEnabled;
  if (enabled && !url) throw new ApiError("webhook_url_required", "Set skillsWebhookUrl to enable skills");
  const sealed = await sealedOrCleared(env, profileId, "skills", input.skillsWebhookSecret);
  const row = await saveIntegration(
    db,
    profileId,
    {
      skillsEnabled: enabled,
      skillsWebhookUrl: url,
      skillsJson: JSON.stringify(skills),
      ...(sealed === undefined ? {} : { skillsSecretSealed: sealed }),
    },
    now,
  );
  return toView(row);
}

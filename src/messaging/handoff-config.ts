import { z } from "@hono/zod-openapi";
import type { Db } from "../db";
import type { Env } from "../env";
import { messagingAccountOf } from "./credits";
import { checkedWebhookUrl, integrationOf, saveIntegration, sealedOrCleared, WebhookSecretField, WebhookUrlField, type IntegrationRow } from "./webhooks/integrations";

export const HandoffUpdate = z
  .object({
    handoffWebhookUrl: WebhookUrlField.openapi({ example: "https://your-saas.com/api/gellhub/handoff" }),
    handoffWebhookSecret: WebhookSecretField.openapi({ description: "Write-only HMAC secret; null or \"\" removes it", example: "your-hmac-secret" }),
  })
  .partial()
  .strict()
  .openapi("HandoffUpdate");
export type HandoffUpdate = z.infer<typeof HandoffUpdate>;

export const HandoffSchema = z
  .object({
    handoffWebhookUrl: z.string().nullable(),
    handoffWebhookSecretSet: z.boolean().openapi({ description: "Whether a signing secret is stored (it is never shown back)" }),
    handoffWebhookDisabled: z.boolean().openapi({ description: "True after the receiver answered 410 Gone; saving the config again re-enables it" }),
    handoffWebhookDisabledAt: z.string().nullable(),
    updatedAt: z.string().nullable(),
  })
  .openapi("HandoffWebhook");
export type HandoffView = z.infer<typeof HandoffSchema>;

const iso = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString() : null);

function toView(row: IntegrationRow | undefined): HandoffView {
  return {
    handoffWebhookUrl: row?.handoffWebhookUrl ?? null,
    handoffWebhookSecretSet: Boolean(row?.handoffSecretSealed),
    handoffWebhookDisabled: Boolean(row?.handoffDisabledAt),
    handoffWebhookDisabledAt: iso(row?.handoffDisabledAt),
    updatedAt: iso(row?.updatedAt),
  };
}

/** The saved settings (defaults when never saved; 409 without a messaging account). */
export async function getHandoffSettings(db: Db, profileId: string): Promise<HandoffView> {
  const row = await integrationOf(db, profileId);
  if (!row) await messagingAccountOf(db, profileId);
  return toView(row);
}

/**
 * Saves a partial update (omitted fields keep their value); the URL passes the outbound rule
 * (400 `url_not_allowed`). Any save re-enables an endpoint a 410 had disabled.
 */
export async function updateHandoffSettings(env: Pick<Env, "LOCAL_DEV" | "WEBHOOK_SECRET_KEY">, db: Db, profileId: string, input: HandoffUpdate, now: number): Promise<HandoffView> {
  const url = input.handoffWebhookUrl === undefined ? undefined : checkedWebhookUrl(env, input.handoffWebhookUrl);
  const sealed = await sealedOrCleared(env, profileId, "handoff", input.handoffWebhookSecret);
  const row = await saveIntegration(
    db,
    profileId,
    { ...(url === undefined ? {} : { handoffWebhookUrl: url }), ...(sealed === undefined ? {} : { handoffSecretSealed: sealed }), handoffDisabledAt: null },
    now,
  );
  return toView(row);
}

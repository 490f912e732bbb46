import type { Db } from "../db";
import type { Env } from "../env";
import { matchSkill } from "./skill-match";
import { callSkill, loadSkillsConfig, type SkillsConfig } from "./skills";
import type { SkillUi } from "./skills-ui";
import { enqueueHandoff, type HandoffEvent } from "./webhooks/enqueue";

/** The turn pipeline's two outbound steps: the skill webhook call and the handoff event. */
export interface SkillStepInput {
  profileId: string;
  conversationRef: string;
  visitorId: string | null;
  channel: string;
  message: string;
  /** The conversation so far, this message included, oldest first. */
  messages: { role: "user" | "assistant"; content: string }[];
}

/**
 * The matched skill's answer, or null: skills off, no keyword in the message, or the call
 * failed (callSkill records the failure where the merchant sees it; the engine answers).
 */
export async function trySkill(env: Env, db: Db, preloaded: SkillsConfig | undefined, input: SkillStepInput): Promise<{ skill: string; message: string; ui?: SkillUi } | null> {
  const config = preloaded ?? (await loadSkillsConfig(db, input.profileId));
  const skill = matchSkill(config, input.message);
  if (!skill || !config.skillsWebhookUrl) return null;
  const out = await callSkill(env, db, { ...input, config, skill: skill.key });
  return out.ok ? { skill: skill.key, message: out.message, ...(out.ui ? { ui: out.ui } : {}) } : null;
}

/** Queues `handoff.requested` for the merchant's receiver (nothing without a handoff URL). */
export async function queueHandoff(env: Env, db: Db, event: HandoffEvent): Promise<void> {
  await enqueueHandoff(env, db, event);
}

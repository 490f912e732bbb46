import type { Db } from "../db";
import type { Env } from "../env";
import type { SkillUi } from "./skills-ui";

/**
 * The turn pipeline's two outbound steps, behind one seam: the skill webhook call and the
 * handoff event. TEMPORARY no-op versions until the webhooks modules land.
 */
export interface SkillStepInput {
  profileId: string;
  conversationRef: string;
  visitorId: string | null;
  channel: string;
  message: string;
  messages: { role: "user" | "assistant"; content: string }[];
}

/** The matched skill's answer, or null (skills off, no keyword, or the call failed: the engine answers). */
export async function trySkill(_env: Env, _db: Db, _input: SkillStepInput): Promise<{ skill: string; message: string; ui?: SkillUi } | null> {
  return null;
}

export interface HandoffStepEvent {
  profileId: string;
  conversationRef: string;
  conversationId: string;
  visitorId: string | null;
  agentId: string;
  channel: string;
  message: string;
  requestedAt: string;
}

/** Queues `handoff.requested` for the merchant's receiver (nothing without a handoff URL). */
export async function queueHandoff(_env: Env, _db: Db, _event: HandoffStepEvent): Promise<void> {}

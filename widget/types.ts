// What the widget reads from the public embed API (the only types it shares with src/).
import type { SkillUi } from "../src/messaging/skills-ui";

export type { SkillUi };

export type Status = "open" | "handoff_requested" | "human" | "closed";

/** A chat answer (`POST /api/messaging/embed/v1/chat`, or its stream's `done` event). */
export interface Answer {
  role: "assistant";
  content: string;
  ui?: SkillUi;
  handoff?: { requested: true; url?: string };
  status?: Status;
}

/** A history message (`GET /api/messaging/embed/v1/history`). */
export interface Message {
  id?: string;
  role: "user" | "assistant" | "staff";
  content: string;
  authorName?: string;
  ui?: SkillUi;
}

/** The messages the chat frame posts to the merchant page (the loader turns them into `on(...)` events). */
export type FrameEvent =
  | { type: "gellhub:close" }
  | { type: "gellhub:message"; role: "assistant" | "staff"; content: string; authorName?: string }
  | { type: "gellhub:handoff"; embedId: string; visitorId: string; url?: string };

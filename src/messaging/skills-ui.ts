import { z } from "@hono/zod-openapi";
import { userText } from "../platform/text";
import { longText } from "./schemas";

/** Caps on what a skill webhook may answer (the widget renders at most this much). */
export const SKILL_UI_LIMITS = {
  items: 20,
  cards: 10,
  buttons: 10,
  message: 4000,
  urlLength: 2000,
  iframeHeight: { min: 100, max: 1200 },
} as const;

/** An absolute https URL (no other scheme: no javascript:, data:, http:), length-capped. */
const httpsUrl = z
  .string()
  .max(SKILL_UI_LIMITS.urlLength)
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === "https:" && !u.username && !u.password;
    } catch {
      return false;
    }
  }, "must be an absolute https URL");

const slotList = z.object({
  type: z.literal("slot_list"),
  items: z
    .array(
      z.object({
        id: userText({ min: 1, max: 100 }),
        title: userText({ min: 1, max: 80 }),
        subtitle: userText({ max: 120 }).optional(),
      }),
    )
    .min(1)
    .max(SKILL_UI_LIMITS.items),
});

const productCards = z.object({
  type: z.literal("product_cards"),
  items: z
    .array(
      z.object({
        title: userText({ min: 1, max: 120 }),
        /** A display string ("€19.90", "from $5"), never a number to compute with. */
        price: userText({ max: 40 }).optional(),
        imageUrl: httpsUrl.optional(),
        actionUrl: httpsUrl.optional(),
      }),
    )
    .min(1)
    .max(SKILL_UI_LIMITS.cards),
});

const messageButton = z.object({
  label: userText({ min: 1, max: 60 }),
  action: z.literal("message"),
  /** What the visitor "says" when pressing it; the label when absent. */
  message: userText({ min: 1, max: 500 }).optional(),
});
const urlButton = z.object({ label: userText({ min: 1, max: 60 }), action: z.literal("url"), url: httpsUrl });

const buttons = z.object({
  type: z.literal("buttons"),
  items: z.array(z.discriminatedUnion("action", [messageButton, urlButton])).min(1).max(SKILL_UI_LIMITS.buttons),
});

const iframe = z.object({
  type: z.literal("iframe"),
  url: httpsUrl,
  height: z.number().int().min(SKILL_UI_LIMITS.iframeHeight.min).max(SKILL_UI_LIMITS.iframeHeight.max).optional(),
});

/**
 * The `ui` a skill webhook may answer with (guide, "Dynamic skills webhook"): one of four types,
 * rendered by GellHub (never as HTML). Unknown keys are dropped, so only these fields are stored
 * and sent to the widget.
 */
export const skillUiSchema = z.discriminatedUnion("type", [slotList, productCards, buttons, iframe]);
export type SkillUi = z.infer<typeof skillUiSchema>;

/**
 * `ui` as the OpenAPI document shows it: one object with the fields of all four types. Scalar's
 * reference UI refuses the four-way union inside this document (validation warnings, checked by the
 * browser test), so answers are documented flat and inline (a $ref to it trips the same check);
 * skillUiSchema stays what validates them.
 */
export const skillUiDoc = z.custom<SkillUi>((v) => skillUiSchema.safeParse(v).success).openapi({
  type: "object",
  description: "A dynamic skill's ui: slot_list {items: [{id, title, subtitle?}]}, product_cards {items: [{title, price?, imageUrl?, actionUrl?}]}, buttons {items: [{label, action: message, message?} | {label, action: url, url}]} or iframe {url, height?}; https URLs only",
  properties: {
    type: { type: "string", enum: ["slot_list", "product_cards", "buttons", "iframe"] },
    items: { type: "array", items: { type: "object", properties: { id: { type: "string" }, title: { type: "string" }, subtitle: { type: "string" }, price: { type: "string" }, imageUrl: { type: "string" }, actionUrl: { type: "string" }, label: { type: "string" }, action: { type: "string", enum: ["message", "url"] }, message: { type: "string" }, url: { type: "string" } } } },
    url: { type: "string" },
    height: { type: "integer", minimum: SKILL_UI_LIMITS.iframeHeight.min, maximum: SKILL_UI_LIMITS.iframeHeight.max },
  },
  required: ["type"],
});

/** A skill webhook's version-1 answer: `message` plus an optional `ui`. */
export const skillAnswerSchema = z.object({
  version: z.literal(1).optional(),
  message: longText(SKILL_UI_LIMITS.message, 1),
  ui: skillUiSchema.optional(),
});
export type SkillAnswer = z.infer<typeof skillAnswerSchema>;

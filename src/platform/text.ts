import { z } from "@hono/zod-openapi";

// A lone UTF-16 surrogate is not Unicode: D1 would store it as U+FFFD, so what we answered and
// what we read back would differ.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// C0 and C1 control characters (tabs and newlines included): names are one line of text.
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

/**
 * The one rule for every user-given name, label and other one-line text: text with a lone
 * surrogate or a control character is refused (400 `invalid_request`); anything else is
 * trimmed and normalised to NFC before the length check, and that normalised value is what
 * is stored and answered. Format characters (RTL marks, joiners) are kept.
 */
export function userText(limits: { min?: number; max: number }) {
  return z
    .string()
    .refine((s) => !LONE_SURROGATE.test(s), "must be valid Unicode text (no unpaired surrogates)")
    .refine((s) => !CONTROL.test(s), "must not contain control characters")
    .trim()
    .normalize("NFC")
    .min(limits.min ?? 0)
    .max(limits.max);
}

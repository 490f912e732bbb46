import { z } from "@hono/zod-openapi";
import { withFields } from "../platform/openapi";
import { userText } from "../platform/text";
import { PRODUCT_LINES, type PlanType } from "../db/schema";

/** A profile's display name (studio, shop or person). */
export const DisplayName = userText({ min: 1, max: 100 });
/** An API key's label; the dashboard form may leave it empty. */
export const KeyLabel = userText({ min: 1, max: 60 });

export const ACCOUNT_TYPES = ["studio", "drive", "messaging"] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];
/** The account type whose product line sells a plan type (registration picks the line from a plan). */
export const ACCOUNT_TYPE_OF_PLAN_TYPE: Record<PlanType, AccountType> = { clientGallery: "studio", drive: "drive", messaging: "messaging" };

const Email = z.string().trim().toLowerCase().max(254).pipe(z.email()).openapi({ example: "studio@example.com" });
const Password = z.string().min(8, "at least 8 characters").max(128, "at most 128 characters");

/** Absolute https URL, or http on localhost (where partners develop). */
export const ReturnUrl = z
  .string()
  .max(2000)
  .refine((s) => {
    try {
      const u = new URL(s);
      const local = u.hostname === "localhost" || u.hostname === "127.0.0.1";
      return u.protocol === "https:" || (u.protocol === "http:" && local);
    } catch {
      return false;
    }
  }, "must be an absolute https URL (http only for localhost)");

export const RegisterBody = z
  .object({
    email: Email,
    password: Password,
    displayName: DisplayName.openapi({ example: "My Studio" }),
    accountType: z.enum(ACCOUNT_TYPES),
    planId: z.string().min(1).max(100).optional(),
    successUrl: ReturnUrl.optional(),
    cancelUrl: ReturnUrl.optional(),
  })
  .strict()
  .openapi("RegisterRequest");

export const RegisterResponse = z
  .object({
    profileId: z.string(),
    email: z.string(),
    displayName: z.string(),
    accountType: z.enum(ACCOUNT_TYPES),
    studioId: z.string().optional(),
    driveId: z.string().optional(),
    messagingAccountId: z.string().optional(),
    apiKey: z.string().optional().openapi({ description: "Client Gallery key (sk_…), shown once" }),
    driveApiKey: z.string().optional().openapi({ description: "Drive key (drv_…), shown once" }),
    messagingApiKey: z.string().optional().openapi({ description: "Messaging key (msg_…), shown once" }),
    plan: z.object({ id: z.string(), name: z.string(), price: z.number() }),
    requiresPayment: z.boolean(),
    checkoutUrl: z.string().optional().openapi({ description: "Paid plans: open in a browser to pay (Stripe Checkout)" }),
    checkoutError: z
      .string()
      .optional()
      .openapi({ description: "Paid plans: why Checkout could not start; retry POST /api/billing/checkout-session with x-api-key" }),
    connectRedirect: z.string().optional().openapi({ description: "Where to send the browser while embedded connect is active" }),
  })
  .openapi("RegisterResponse");

export const LoginBody = z
  .object({ email: Email, password: z.string().min(1).max(128) })
  .strict()
  .openapi("LoginRequest");

export const ProductLineSchema = z.enum(PRODUCT_LINES);

export const ApiKeySchema = z
  .object({
    id: z.string(),
    productLine: ProductLineSchema,
    label: z.string(),
    displayPrefix: z.string(),
    last4: z.string(),
    partnerAppId: z.string().nullable(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
  })
  .openapi("ApiKey");

export const CreateKeyBody = z
  .object({ productLine: ProductLineSchema, label: KeyLabel.optional() })
  .strict();

export const CreatedKeySchema = withFields(ApiKeySchema, { key: z.string().openapi({ description: "The full key, shown once" }) }).openapi(
  "CreatedApiKey",
);

export const AccountSchema = z
  .object({
    profile: z.object({
      id: z.string(),
      email: z.string(),
      displayName: z.string(),
      role: z.enum(["user", "staff"]),
      accountType: z.enum(ACCOUNT_TYPES),
      createdAt: z.string(),
    }),
    authenticatedBy: z.enum(["session", "apiKey"]),
    keyProductLine: ProductLineSchema.optional(),
    productLines: z.array(
      z.object({
        productLine: ProductLineSchema,
        spaceId: z.string(),
        plan: z.object({ id: z.string(), name: z.string(), price: z.number() }),
        status: z.string(),
        activeKeys: z.number().int(),
      }),
    ),
  })
  .openapi("Account");

export const IdParam = z.object({ id: z.string().min(1).max(64) });

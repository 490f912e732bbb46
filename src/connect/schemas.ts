import { z } from "@hono/zod-openapi";
import { PLAN_TYPES } from "../db/schema";

export const ProductTypeSchema = z.enum(PLAN_TYPES);

export const StartQuery = z.object({
  client_id: z.string().min(1).max(100),
  return_url: z.string().min(1).max(2000),
  state: z.string().max(500).optional(),
  plan: z.string().min(1).max(100).optional(),
  product: ProductTypeSchema.optional(),
  next: z.enum(["register", "login"]).optional(),
  code_challenge: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43,128}$/, "must be a base64url S256 challenge")
    .optional()
    .openapi({ description: "Optional PKCE (RFC 7636) S256 challenge; exchange then requires code_verifier" }),
  code_challenge_method: z.literal("S256").optional(),
});

export const ExchangeBody = z
  .object({
    code: z.string().min(1).max(200),
    client_id: z.string().min(1).max(100),
    client_secret: z.string().min(1).max(200),
    code_verifier: z.string().min(43).max(128).optional(),
  })
  .openapi("ConnectExchangeRequest");

export const PlanSnapshot = z
  .object({
    scope: z.enum(["gallery", "drive", "messaging"]),
    id: z.string().nullable(),
    name: z.string().nullable(),
    price: z.number().nullable(),
    status: z.string(),
  })
  .openapi("ConnectPlanSnapshot");

export const ExchangeResponse = z
  .object({
    profileId: z.string(),
    email: z.string(),
    studioId: z.string().nullable(),
    driveId: z.string().nullable(),
    apiKey: z.string().nullable().openapi({ description: "New Client Gallery key labelled with the app (gallery apps)" }),
    driveApiKey: z.string().nullable().openapi({ description: "New Drive key labelled with the app (drive apps)" }),
    messagingApiKey: z.string().nullable().openapi({ description: "New Messaging key when a messaging subscription exists" }),
    hasMessagingSubscription: z.boolean(),
    accountKind: z.enum(["studio", "drive", "messaging"]),
    plan: PlanSnapshot,
    state: z.string().nullable(),
  })
  .openapi("ConnectExchangeResponse");

export const VerifyBody = z
  .object({
    profile_id: z.string().min(1).max(100),
    client_id: z.string().min(1).max(100),
    client_secret: z.string().min(1).max(200),
  })
  .openapi("ConnectVerifyRequest");

export const VerifyResponse = z
  .object({
    registered: z.boolean(),
    linked: z.boolean(),
    email: z.string().nullable(),
    displayName: z.string().nullable(),
    accountKind: z.enum(["studio", "drive", "messaging"]).nullable(),
    hasMessagingSubscription: z.boolean(),
    plan: PlanSnapshot.nullable(),
  })
  .openapi("ConnectVerifyResponse");

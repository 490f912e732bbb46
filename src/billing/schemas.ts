import { z } from "@hono/zod-openapi";
import { PRODUCT_LINES } from "../db/schema";

const Url = z.string().min(1).max(2000);

export const CheckoutBody = z
  .object({
    planId: z.string().min(1).max(100).openapi({ example: "plan_cg_pro" }),
    successUrl: Url.optional().openapi({
      description: "Absolute https URL (http only on localhost) containing {CHECKOUT_SESSION_ID}",
      example: "https://yourapp.com/done?session_id={CHECKOUT_SESSION_ID}",
    }),
    cancelUrl: Url.optional().openapi({ example: "https://yourapp.com/cancel" }),
  })
  .strict()
  .openapi("CheckoutSessionRequest");

export const CheckoutResponse = z
  .object({
    url: z.string().openapi({ description: "Open in a browser to pay" }),
    sessionId: z.string().openapi({ description: "The Checkout Session id (cs_…)" }),
  })
  .openapi("CheckoutSession");

export const PortalBody = z
  .object({ returnUrl: Url.optional().openapi({ example: "https://yourapp.com/account" }) })
  .strict()
  .openapi("PortalRequest");

export const UrlResponse = z.object({ url: z.string() }).openapi("PortalSession");

export const StatusQuery = z.object({
  scope: z
    .enum(PRODUCT_LINES)
    .optional()
    .openapi({ description: "Dashboard sessions only: which line (default: the account's own). Keys always answer for their line." }),
});

export const StatusResponse = z
  .object({
    scope: z.enum(PRODUCT_LINES),
    plan: z.object({ id: z.string(), name: z.string(), price: z.number().openapi({ description: "Major units; 0 = free" }) }),
    stripeStatus: z.string().openapi({ description: "Stripe subscription status; free plans are active" }),
    currentPeriodEnd: z.string().nullable().openapi({ description: "ISO 8601, null for free plans" }),
  })
  .openapi("BillingStatus");

export const InvoiceSchema = z
  .object({
    id: z.string(),
    number: z.string().nullable(),
    status: z.string().nullable(),
    currency: z.string(),
    amountDue: z.number(),
    amountPaid: z.number(),
    created: z.string(),
    periodStart: z.string().nullable(),
    periodEnd: z.string().nullable(),
    hostedInvoiceUrl: z.string().nullable(),
    invoicePdf: z.string().nullable(),
  })
  .openapi("Invoice");

export const ChargeSchema = z
  .object({
    id: z.string(),
    amount: z.number(),
    amountRefunded: z.number(),
    currency: z.string(),
    status: z.string(),
    paid: z.boolean(),
    created: z.string(),
    description: z.string().nullable(),
    receiptUrl: z.string().nullable(),
    card: z.object({ brand: z.string().nullable(), last4: z.string().nullable() }).nullable(),
  })
  .openapi("Charge");

export const InvoicesResponse = z.object({ invoices: z.array(InvoiceSchema), charges: z.array(ChargeSchema) }).openapi("Invoices");

export const WebhookResponse = z.object({ received: z.literal(true), outcome: z.enum(["processed", "duplicate", "ignored"]) });

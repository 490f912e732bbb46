import { z } from "zod";

/**
 * The subset of Stripe's objects billing reads, parsed from SDK results, webhook payloads and
 * the local test mode's store alike. Unknown fields pass through; missing optional ones are null.
 */

/** An expandable reference: an id, or the expanded object; we only keep the id. */
const Ref = z
  .union([z.string(), z.looseObject({ id: z.string() })])
  .nullish()
  .transform((v) => (v == null ? null : typeof v === "string" ? v : v.id));

const Metadata = z
  .record(z.string(), z.string())
  .nullish()
  .transform((m) => m ?? {});

export const SubscriptionObject = z.looseObject({
  id: z.string(),
  customer: Ref,
  status: z.string(),
  metadata: Metadata,
  created: z.number().nullish(),
  /** Before API 2025-03-31 the period lived on the subscription; now it lives on its items. */
  current_period_end: z.number().nullish(),
  items: z
    .looseObject({
      data: z.array(
        z.looseObject({
          price: z.looseObject({ id: z.string() }).nullish(),
          current_period_end: z.number().nullish(),
        }),
      ),
    })
    .nullish(),
});
export type SubscriptionObject = z.infer<typeof SubscriptionObject>;

export const CheckoutSessionObject = z.looseObject({
  id: z.string(),
  mode: z.string().nullish(),
  status: z.string().nullish(),
  payment_status: z.string().nullish(),
  client_reference_id: z.string().nullish(),
  customer: Ref,
  subscription: Ref,
  created: z.number().nullish(),
  url: z.string().nullish(),
  metadata: Metadata,
});
export type CheckoutSessionObject = z.infer<typeof CheckoutSessionObject>;

export const InvoiceObject = z.looseObject({
  id: z.string(),
  customer: Ref,
  /** Pre-2025 API versions. */
  subscription: Ref,
  parent: z
    .looseObject({ subscription_details: z.looseObject({ subscription: Ref }).nullish() })
    .nullish(),
  status: z.string().nullish(),
  number: z.string().nullish(),
  currency: z.string(),
  amount_due: z.number(),
  amount_paid: z.number(),
  created: z.number(),
  period_start: z.number().nullish(),
  period_end: z.number().nullish(),
  hosted_invoice_url: z.string().nullish(),
  invoice_pdf: z.string().nullish(),
});
export type InvoiceObject = z.infer<typeof InvoiceObject>;

export const ChargeObject = z.looseObject({
  id: z.string(),
  amount: z.number(),
  amount_refunded: z.number().nullish(),
  currency: z.string(),
  status: z.string(),
  paid: z.boolean().nullish(),
  created: z.number(),
  description: z.string().nullish(),
  receipt_url: z.string().nullish(),
  payment_method_details: z
    .looseObject({ card: z.looseObject({ brand: z.string().nullish(), last4: z.string().nullish() }).nullish() })
    .nullish(),
});
export type ChargeObject = z.infer<typeof ChargeObject>;

/** A Stripe event as delivered to the webhook (only what routing needs). */
export const StripeEventObject = z.looseObject({
  id: z.string().min(1).max(255),
  type: z.string().min(1).max(255),
  created: z.number(),
  data: z.looseObject({ object: z.looseObject({}) }),
});
export type StripeEventObject = z.infer<typeof StripeEventObject>;

/** The subscription an invoice belongs to, under either API shape. */
export function invoiceSubscriptionId(inv: InvoiceObject): string | null {
  return inv.parent?.subscription_details?.subscription ?? inv.subscription ?? null;
}

/** The end of the subscription's current period in seconds, under either API shape. */
export function subscriptionPeriodEnd(sub: SubscriptionObject): number | null {
  const items = sub.items?.data ?? [];
  const ends = items.map((i) => i.current_period_end).filter((n): n is number => typeof n === "number");
  if (ends.length) return Math.max(...ends);
  return sub.current_period_end ?? null;
}

export function subscriptionPriceId(sub: SubscriptionObject): string | null {
  return sub.items?.data[0]?.price?.id ?? null;
}

import Stripe from "stripe";
import type { Env } from "../env";
import { ApiError } from "../platform/errors";
import {
  ChargeObject,
  CheckoutSessionObject,
  InvoiceObject,
  SubscriptionObject,
} from "./stripe-objects";

export interface CheckoutParams {
  customer: string;
  clientReferenceId: string;
  successUrl: string;
  cancelUrl: string;
  metadata: Record<string, string>;
  /** A configured Stripe price, or inline price data when the plan has none. */
  price: { id: string } | { currency: string; unitAmount: number; interval: "month" | "year"; productName: string };
}

/**
 * What billing needs from Stripe. Two implementations: the official SDK (STRIPE_SECRET_KEY set)
 * and the local test mode (no key), which keeps Stripe-shaped objects in D1.
 */
export interface StripeGateway {
  readonly local: boolean;
  createCustomer(input: { email: string; name: string; profileId: string }): Promise<string>;
  createCheckoutSession(params: CheckoutParams): Promise<{ id: string; url: string }>;
  retrieveCheckoutSession(id: string): Promise<CheckoutSessionObject | null>;
  retrieveSubscription(id: string): Promise<SubscriptionObject | null>;
  createPortalSession(customer: string, returnUrl: string): Promise<{ url: string }>;
  listInvoices(customer: string): Promise<InvoiceObject[]>;
  listCharges(customer: string): Promise<ChargeObject[]>;
}

/** The SDK client: fetch HTTP client (Workers), optional STRIPE_API_BASE for a mock or proxy. */
export function stripeClient(env: Env): Stripe {
  if (!env.STRIPE_SECRET_KEY) throw new Error("STRIPE_SECRET_KEY is not set");
  const config: Stripe.StripeConfig = {
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: 2,
    timeout: 15_000,
  };
  if (env.STRIPE_API_BASE) {
    const base = new URL(env.STRIPE_API_BASE);
    config.host = base.hostname;
    config.protocol = base.protocol === "http:" ? "http" : "https";
    if (base.port) config.port = base.port;
  }
  return new Stripe(env.STRIPE_SECRET_KEY, config);
}

const LIST_LIMIT = 24;

function isMissing(err: unknown): boolean {
  return err instanceof Stripe.errors.StripeInvalidRequestError && (err.statusCode === 404 || err.code === "resource_missing");
}

/** Stripe failures while serving an API call: 502 (our upstream failed), never a bare 500. */
export function stripeFailure(err: unknown): never {
  if (err instanceof ApiError) throw err;
  const message = err instanceof Stripe.errors.StripeError ? err.message : "Stripe did not answer";
  throw new ApiError("stripe_error", `Stripe: ${message}`);
}

export function sdkGateway(env: Env): StripeGateway {
  const stripe = stripeClient(env);
  return {
    local: false,
    async createCustomer({ email, name, profileId }) {
      const c = await stripe.customers.create({ email, name, metadata: { profileId } });
      return c.id;
    },
    async createCheckoutSession(p) {
      const lineItem: Stripe.Checkout.SessionCreateParams.LineItem =
        "id" in p.price
          ? { price: p.price.id, quantity: 1 }
          : {
              quantity: 1,
              price_data: {
                currency: p.price.currency,
                unit_amount: p.price.unitAmount,
                recurring: { interval: p.price.interval },
                product_data: { name: p.price.productName },
              },
            };
      const s = await stripe.checkout.sessions.create({
        mode: "subscription",
        customer: p.customer,
        client_reference_id: p.clientReferenceId,
        line_items: [lineItem],
        success_url: p.successUrl,
        cancel_url: p.cancelUrl,
        metadata: p.metadata,
        subscription_data: { metadata: p.metadata },
      });
      if (!s.url) throw new ApiError("stripe_error", "Stripe returned a Checkout Session without a URL");
      return { id: s.id, url: s.url };
    },
    async retrieveCheckoutSession(id) {
      try {
        return CheckoutSessionObject.parse(await stripe.checkout.sessions.retrieve(id));
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },
    async retrieveSubscription(id) {
      try {
        return SubscriptionObject.parse(await stripe.subscriptions.retrieve(id));
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },
    async createPortalSession(customer, returnUrl) {
      const s = await stripe.billingPortal.sessions.create({ customer, return_url: returnUrl });
      return { url: s.url };
    },
    async listInvoices(customer) {
      const list = await stripe.invoices.list({ customer, limit: LIST_LIMIT });
      return list.data.map((i) => InvoiceObject.parse(i));
    },
    async listCharges(customer) {
      const list = await stripe.charges.list({ customer, limit: LIST_LIMIT });
      return list.data.map((c) => ChargeObject.parse(c));
    },
  };
}

/** Verifies a webhook's raw body with the SDK (SubtleCrypto, default 300 s tolerance). */
export async function constructWebhookEvent(rawBody: string, signature: string, secret: string): Promise<unknown> {
  return Stripe.webhooks.constructEventAsync(rawBody, signature, secret, undefined, Stripe.createSubtleCryptoProvider());
}

export const StripeSignatureError = Stripe.errors.StripeSignatureVerificationError;

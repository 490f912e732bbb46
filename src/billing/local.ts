import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../db";
import { billingLocalObjects } from "../db/schema";
import { getPlan, type PlanRow } from "../plans/service";
import { ApiError } from "../platform/errors";
import { newId, randomToken } from "../platform/ids";
import type { StripeGateway } from "./gateway";
import { ChargeObject, CheckoutSessionObject, InvoiceObject, StripeEventObject, SubscriptionObject } from "./stripe-objects";
import { processEvent } from "./sync";

/**
 * Local test mode (no STRIPE_SECRET_KEY): a stand-in for Stripe's servers that keeps
 * Stripe-shaped objects in D1 and serves its own checkout and portal pages. Completing a
 * payment emits the same events a real Stripe account would send, through processEvent.
 */

const SESSION_TTL_MS = 24 * 3600_000;
const PORTAL_TTL_MS = 3600_000;
const sec = (ms: number) => Math.floor(ms / 1000);

type Json = Record<string, unknown>;

async function put(db: Db, id: string, type: string, customerId: string | null, data: Json, now: number) {
  await db.insert(billingLocalObjects).values({ id, type, customerId, data, createdAt: now });
}

async function load(db: Db, id: string, type: string): Promise<Json | null> {
  const row = await db
    .select()
    .from(billingLocalObjects)
    .where(and(eq(billingLocalObjects.id, id), eq(billingLocalObjects.type, type)))
    .get();
  return row?.data ?? null;
}

async function list(db: Db, customerId: string, type: string): Promise<Json[]> {
  const rows = await db
    .select()
    .from(billingLocalObjects)
    .where(and(eq(billingLocalObjects.customerId, customerId), eq(billingLocalObjects.type, type)))
    .orderBy(desc(billingLocalObjects.createdAt))
    .limit(24)
    .all();
  return rows.map((r) => r.data);
}

/** Replaces an object's data only if a JSON field still has the expected value (check-and-set). */
async function swap(db: Db, id: string, data: Json, field: string, expected: string): Promise<boolean> {
  const res = await db
    .update(billingLocalObjects)
    .set({ data })
    .where(and(eq(billingLocalObjects.id, id), sql`json_extract(${billingLocalObjects.data}, ${"$." + field}) = ${expected}`))
    .run();
  return res.meta.changes === 1;
}

export function localGateway(db: Db, origin: string): StripeGateway {
  return {
    local: true,
    async createCustomer({ email, name, profileId }) {
      const id = newId("cus_local");
      await put(db, id, "customer", id, { id, object: "customer", email, name, metadata: { profileId }, created: sec(Date.now()) }, Date.now());
      return id;
    },
    async createCheckoutSession(p) {
      const now = Date.now();
      // The id is the capability to pay, like Stripe's hosted checkout URL: 192 random bits.
      const id = `cs_local_${randomToken(24)}`;
      const session = {
        id,
        object: "checkout.session",
        mode: "subscription",
        status: "open",
        payment_status: "unpaid",
        client_reference_id: p.clientReferenceId,
        customer: p.customer,
        subscription: null,
        success_url: p.successUrl,
        cancel_url: p.cancelUrl,
        metadata: p.metadata,
        created: sec(now),
        expires_at: sec(now + SESSION_TTL_MS),
        url: `${origin}/billing/test-checkout/${id}`,
      };
      await put(db, id, "checkout.session", p.customer, session, now);
      return { id, url: session.url };
    },
    async retrieveCheckoutSession(id) {
      const data = await load(db, id, "checkout.session");
      return data ? CheckoutSessionObject.parse(data) : null;
    },
    async retrieveSubscription(id) {
      const data = await load(db, id, "subscription");
      return data ? SubscriptionObject.parse(data) : null;
    },
    async createPortalSession(customer, returnUrl) {
      const now = Date.now();
      const id = `bps_local_${randomToken(24)}`;
      const url = `${origin}/billing/test-portal/${id}`;
      await put(db, id, "billing_portal.session", customer, { id, object: "billing_portal.session", customer, return_url: returnUrl, created: sec(now), url }, now);
      return { url };
    },
    async listInvoices(customer) {
      return (await list(db, customer, "invoice")).map((d) => InvoiceObject.parse(d));
    },
    async listCharges(customer) {
      return (await list(db, customer, "charge")).map((d) => ChargeObject.parse(d));
    },
  };
}

function event(type: string, object: Json, now: number) {
  return StripeEventObject.parse({
    id: newId("evt_local", 20),
    object: "event",
    type,
    created: sec(now),
    livemode: false,
    data: { object },
  });
}

function recurring(plan: PlanRow) {
  return plan.billingPeriod === "annual" ? "year" : "month";
}

function addPeriod(ms: number, plan: PlanRow): number {
  const d = new Date(ms);
  if (plan.billingPeriod === "annual") d.setUTCFullYear(d.getUTCFullYear() + 1);
  else d.setUTCMonth(d.getUTCMonth() + 1);
  return d.getTime();
}

async function invoiceAndCharge(db: Db, origin: string, sub: Json, plan: PlanRow, customer: string, start: number, end: number, paid: boolean, now: number) {
  const invoiceId = newId("in_local");
  const invoice = {
    id: invoiceId,
    object: "invoice",
    customer,
    status: paid ? "paid" : "open",
    number: `LOCAL-${invoiceId.slice(-6).toUpperCase()}`,
    currency: plan.currency,
    amount_due: plan.priceMinor,
    amount_paid: paid ? plan.priceMinor : 0,
    created: sec(now),
    period_start: sec(start),
    period_end: sec(end),
    hosted_invoice_url: `${origin}/billing/test-invoice/${invoiceId}`,
    invoice_pdf: `${origin}/billing/test-invoice/${invoiceId}?format=pdf`,
    parent: { type: "subscription_details", subscription_details: { subscription: sub.id, metadata: sub.metadata } },
    lines: { object: "list", data: [{ description: `1 × ${plan.name} (at ${plan.priceMinor / 100} / ${recurring(plan)})`, amount: plan.priceMinor }] },
  };
  await put(db, invoiceId, "invoice", customer, invoice, now);
  const chargeId = newId("ch_local");
  await put(
    db,
    chargeId,
    "charge",
    customer,
    {
      id: chargeId,
      object: "charge",
      amount: plan.priceMinor,
      amount_refunded: 0,
      currency: plan.currency,
      status: paid ? "succeeded" : "failed",
      paid,
      created: sec(now),
      customer,
      invoice: invoiceId,
      description: `Subscription: ${plan.name}`,
      receipt_url: `${origin}/billing/test-invoice/${invoiceId}`,
      payment_method_details: { type: "card", card: { brand: "visa", last4: paid ? "4242" : "0341" } },
    },
    now,
  );
  return invoice;
}

/** A local checkout session that is still payable, with its plan; null when unknown or expired. */
export async function openLocalSession(db: Db, sessionId: string) {
  const data = await load(db, sessionId, "checkout.session");
  if (!data) return null;
  const session = CheckoutSessionObject.parse(data);
  const plan = session.metadata.planId ? await getPlan(db, session.metadata.planId) : null;
  if (!plan) return null;
  const expired = Number(data.expires_at) * 1000 < Date.now();
  return { session, data, plan, payable: session.status === "open" && !expired };
}

/**
 * Pays a local test checkout: creates the subscription, its first invoice and charge, then
 * sends checkout.session.completed, customer.subscription.created and invoice.paid through
 * processEvent exactly as the webhook would. Returns where the browser goes next.
 */
export async function completeLocalCheckout(db: Db, origin: string, sessionId: string, now = Date.now()): Promise<string> {
  const open = await openLocalSession(db, sessionId);
  if (!open || !open.payable) throw new ApiError("checkout_not_open", "This checkout session is no longer open");
  const { data, plan } = open;
  const customer = String(data.customer);
  const subId = newId("sub_local");
  const end = addPeriod(now, plan);
  const sub = {
    id: subId,
    object: "subscription",
    customer,
    status: "active",
    metadata: data.metadata,
    created: sec(now),
    cancel_at_period_end: false,
    items: {
      object: "list",
      data: [
        {
          id: newId("si_local"),
          object: "subscription_item",
          price: { id: plan.stripePriceId ?? `price_local_${plan.id}`, object: "price", unit_amount: plan.priceMinor, currency: plan.currency, recurring: { interval: recurring(plan) } },
          current_period_start: sec(now),
          current_period_end: sec(end),
        },
      ],
    },
  };
  const completed = { ...data, status: "complete", payment_status: "paid", subscription: subId };
  if (!(await swap(db, sessionId, completed, "status", "open"))) {
    throw new ApiError("checkout_not_open", "This checkout session is no longer open");
  }
  await put(db, subId, "subscription", customer, sub, now);
  const invoice = await invoiceAndCharge(db, origin, sub, plan, customer, now, end, true, now);
  const gw = localGateway(db, origin);
  await processEvent(gw, db, event("checkout.session.completed", completed, now), now);
  await processEvent(gw, db, event("customer.subscription.created", sub, now), now);
  await processEvent(gw, db, event("invoice.paid", invoice, now), now);
  return String(data.success_url).replaceAll("{CHECKOUT_SESSION_ID}", sessionId);
}

/** Abandons a local checkout (like closing Stripe's page); returns the cancel URL. */
export async function cancelLocalCheckout(db: Db, sessionId: string): Promise<string> {
  const open = await openLocalSession(db, sessionId);
  if (!open) throw new ApiError("not_found", "Unknown checkout session");
  if (open.payable) await swap(db, sessionId, { ...open.data, status: "expired" }, "status", "open");
  return String(open.data.cancel_url);
}

/** A live local portal session with its customer's subscriptions and invoices. */
export async function loadLocalPortal(db: Db, portalId: string) {
  const data = await load(db, portalId, "billing_portal.session");
  if (!data || Number(data.created) * 1000 + PORTAL_TTL_MS < Date.now()) return null;
  const customer = String(data.customer);
  const subs = (await list(db, customer, "subscription")).map((d) => SubscriptionObject.parse(d));
  const invoices = (await list(db, customer, "invoice")).map((d) => InvoiceObject.parse(d));
  const withPlans = [];
  for (const s of subs) withPlans.push({ sub: s, plan: s.metadata.planId ? await getPlan(db, s.metadata.planId) : null });
  return { customer, returnUrl: String(data.return_url), subscriptions: withPlans, invoices };
}

export type PortalAction = "cancel" | "renew" | "fail";

/**
 * Acts on one of the portal customer's local subscriptions, like the Customer Portal or a
 * renewal would, and sends the matching events through processEvent.
 */
export async function localPortalAction(db: Db, origin: string, portalId: string, subId: string, action: PortalAction, now = Date.now()) {
  const portal = await loadLocalPortal(db, portalId);
  if (!portal) throw new ApiError("not_found", "This portal session has expired");
  const data = await load(db, subId, "subscription");
  if (!data || data.customer !== portal.customer) throw new ApiError("not_found", "Unknown subscription");
  const sub = SubscriptionObject.parse(data);
  const plan = sub.metadata.planId ? await getPlan(db, sub.metadata.planId) : null;
  if (!plan) throw new ApiError("not_found", "Unknown plan");
  if (sub.status === "canceled") throw new ApiError("subscription_canceled", "This subscription is canceled");
  const gw = localGateway(db, origin);
  const items = (data.items as { data: Json[] }).data;
  if (action === "cancel") {
    const next = { ...data, status: "canceled", canceled_at: sec(now), ended_at: sec(now) };
    if (!(await swap(db, subId, next, "status", sub.status))) return;
    await processEvent(gw, db, event("customer.subscription.deleted", next, now), now);
    return;
  }
  const start = Number(items[0]?.current_period_end ?? sec(now)) * 1000;
  if (action === "renew") {
    const end = addPeriod(start, plan);
    const next = { ...data, status: "active", items: { ...(data.items as Json), data: items.map((i) => ({ ...i, current_period_start: sec(start), current_period_end: sec(end) })) } };
    if (!(await swap(db, subId, next, "status", sub.status))) return;
    const invoice = await invoiceAndCharge(db, origin, next, plan, portal.customer, start, end, true, now);
    await processEvent(gw, db, event("customer.subscription.updated", next, now), now);
    await processEvent(gw, db, event("invoice.paid", invoice, now), now);
    return;
  }
  const next = { ...data, status: "past_due" };
  if (!(await swap(db, subId, next, "status", sub.status))) return;
  const invoice = await invoiceAndCharge(db, origin, next, plan, portal.customer, start, addPeriod(start, plan), false, now);
  await processEvent(gw, db, event("customer.subscription.updated", next, now), now);
  await processEvent(gw, db, event("invoice.payment_failed", invoice, now), now);
}

/** A local invoice by its (unguessable) id, for the printable local invoice page. */
export async function loadLocalInvoice(db: Db, invoiceId: string) {
  const data = await load(db, invoiceId, "invoice");
  return data ? { invoice: InvoiceObject.parse(data), lines: ((data.lines as { data?: Json[] })?.data ?? []) as { description?: string; amount?: number }[] } : null;
}

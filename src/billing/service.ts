import { and, eq } from "drizzle-orm";
import { ZodError } from "zod";
import type { Db } from "../db";
import { billingCheckouts, plans, profiles, subscriptions, type PlanType, type ProductLine } from "../db/schema";
import type { Env } from "../env";
import { effectivePlan, getPlan, isInForce, LINE_OF_PLAN_TYPE, listPublishedPlans, PLAN_TYPE_OF_LINE } from "../plans/service";
import { ApiError, notFound } from "../platform/errors";
import { newId } from "../platform/ids";
import { constructWebhookEvent, sdkGateway, StripeSignatureError, stripeFailure, type StripeGateway } from "./gateway";
import { localGateway } from "./local";
import { StripeEventObject, type ChargeObject, type InvoiceObject } from "./stripe-objects";
import { checkoutStatements, processEvent, type EventOutcome } from "./sync";

/** Placeholder Stripe substitutes with the session id in success URLs. */
export const CHECKOUT_SESSION_PLACEHOLDER = "{CHECKOUT_SESSION_ID}";

/** Local test mode: no STRIPE_SECRET_KEY, so the Worker plays Stripe (never when a key is set). */
export function isLocalTestMode(env: Env): boolean {
  return !env.STRIPE_SECRET_KEY;
}

/** The Stripe gateway for this environment: the SDK with a key, the local test mode without. */
export function billingGateway(env: Env, db: Db, origin: string): StripeGateway {
  return isLocalTestMode(env) ? localGateway(db, origin) : sdkGateway(env);
}

type SubscriptionRow = typeof subscriptions.$inferSelect;

async function subscriptionRow(db: Db, profileId: string, planType: PlanType): Promise<SubscriptionRow | null> {
  return (
    (await db
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.profileId, profileId), eq(subscriptions.planType, planType)))
      .get()) ?? null
  );
}

export interface BillingStatus {
  scope: ProductLine;
  plan: { id: string; name: string; price: number };
  stripeStatus: string;
  currentPeriodEnd: string | null;
}

/** The subscription snapshot of one line (the partner eligibility check reads this). */
export async function getBillingStatus(db: Db, profileId: string, line: ProductLine): Promise<BillingStatus> {
  // One round trip: partners poll this route.
  const found = await db
    .select({ row: subscriptions, name: plans.name, priceMinor: plans.priceMinor })
    .from(subscriptions)
    .leftJoin(plans, eq(plans.id, subscriptions.planId))
    .where(and(eq(subscriptions.profileId, profileId), eq(subscriptions.planType, PLAN_TYPE_OF_LINE[line])))
    .get();
  if (!found) throw new ApiError("product_line_not_enabled", `This account has no ${line} product line`);
  const row = found.row;
  return {
    scope: line,
    plan: { id: row.planId, name: found.name ?? row.planId, price: (found.priceMinor ?? 0) / 100 },
    stripeStatus: row.status,
    currentPeriodEnd: row.currentPeriodEnd === null ? null : new Date(row.currentPeriodEnd).toISOString(),
  };
}

/** The profile's Stripe customer (one per profile, shared by its lines), or null before any checkout. */
async function customerOf(db: Db, profileId: string): Promise<string | null> {
  const rows = await db
    .select({ customer: subscriptions.stripeCustomerId, planType: subscriptions.planType })
    .from(subscriptions)
    .where(eq(subscriptions.profileId, profileId))
    .all();
  return rows.find((r) => r.customer)?.customer ?? null;
}

/** Absolute https URL, or http on localhost; successUrl must carry the session placeholder. */
export function checkReturnUrl(url: string, field: string, needsPlaceholder: boolean): void {
  let ok = false;
  try {
    const u = new URL(url);
    const local = u.hostname === "localhost" || u.hostname === "127.0.0.1";
    ok = url.length <= 2000 && (u.protocol === "https:" || (u.protocol === "http:" && local));
  } catch {
    ok = false;
  }
  if (!ok) throw new ApiError("invalid_request", [{ path: field, message: "must be an absolute https URL (http only for localhost)" }]);
  if (needsPlaceholder && !url.includes(CHECKOUT_SESSION_PLACEHOLDER)) {
    throw new ApiError("invalid_request", [{ path: field, message: `must contain ${CHECKOUT_SESSION_PLACEHOLDER}` }]);
  }
}

export interface StartCheckoutInput {
  profileId: string;
  planId: string;
  successUrl?: string;
  cancelUrl?: string;
  /** Our own origin, for the default return URLs (the dashboard billing page). */
  origin: string;
}

/**
 * Starts a Stripe Checkout Session (subscription mode) for a paid plan of a line the profile
 * has. The session's client_reference_id is our checkout record's id, set here on the server;
 * nothing changes on the account until Stripe confirms payment (webhook or verified read-back).
 */
export async function startCheckout(env: Env, db: Db, input: StartCheckoutInput): Promise<{ url: string; sessionId: string }> {
  const plan = await getPlan(db, input.planId);
  if (!plan || !plan.published) throw new ApiError("unknown_plan", `No published plan has id ${input.planId}`);
  if (plan.priceMinor <= 0) {
    throw new ApiError("plan_not_billable", "Free plans need no checkout; cancel the paid plan in the billing portal instead");
  }
  if (input.successUrl !== undefined) checkReturnUrl(input.successUrl, "successUrl", true);
  if (input.cancelUrl !== undefined) checkReturnUrl(input.cancelUrl, "cancelUrl", false);
  const row = await subscriptionRow(db, input.profileId, plan.planType);
  if (!row) {
    throw new ApiError("product_line_not_enabled", `Enable ${LINE_OF_PLAN_TYPE[plan.planType]} for this account first`);
  }
  const current = await getPlan(db, row.planId);
  if (row.stripeSubscriptionId && isInForce(row.status) && (current?.priceMinor ?? 0) > 0) {
    throw new ApiError("already_subscribed", "This line already has a paid subscription: change or cancel it in the billing portal");
  }
  const profile = await db.select().from(profiles).where(eq(profiles.id, input.profileId)).get();
  if (!profile) throw notFound("profile");

  const gw = billingGateway(env, db, input.origin);
  const checkoutId = newId("bco", 20);
  try {
    let customer = await customerOf(db, input.profileId);
    if (!customer) {
      customer = await gw.createCustomer({ email: profile.email, name: profile.displayName, profileId: profile.id });
      await db
        .update(subscriptions)
        .set({ stripeCustomerId: customer })
        .where(eq(subscriptions.profileId, input.profileId))
        .run();
    }
    const session = await gw.createCheckoutSession({
      customer,
      clientReferenceId: checkoutId,
      successUrl: input.successUrl ?? `${input.origin}/dashboard/billing?checkout=success&session_id=${CHECKOUT_SESSION_PLACEHOLDER}`,
      cancelUrl: input.cancelUrl ?? `${input.origin}/dashboard/billing?checkout=canceled`,
      metadata: { profileId: profile.id, planId: plan.id, checkoutId },
      price: plan.stripePriceId
        ? { id: plan.stripePriceId }
        : { currency: plan.currency, unitAmount: plan.priceMinor, interval: plan.billingPeriod === "annual" ? "year" : "month", productName: `GellHub ${plan.name}` },
    });
    await db.insert(billingCheckouts).values({
      id: checkoutId,
      profileId: profile.id,
      planType: plan.planType,
      planId: plan.id,
      sessionId: session.id,
      createdAt: Date.now(),
    });
    return { url: session.url, sessionId: session.id };
  } catch (err) {
    stripeFailure(err);
  }
}

/**
 * Reads a Checkout Session back from Stripe (or the local test store) after the success
 * redirect, checks it is this profile's, and syncs the subscription through the webhook's code.
 * Another profile's (or an unknown) session is a 404.
 */
export async function confirmCheckoutSession(env: Env, db: Db, sessionId: string, profileId: string, origin = "http://localhost") {
  const checkout = await db
    .select()
    .from(billingCheckouts)
    .where(and(eq(billingCheckouts.sessionId, sessionId), eq(billingCheckouts.profileId, profileId)))
    .get();
  if (!checkout) throw notFound("checkout session");
  const gw = billingGateway(env, db, origin);
  let session;
  try {
    session = await gw.retrieveCheckoutSession(sessionId);
  } catch (err) {
    stripeFailure(err);
  }
  if (!session || session.client_reference_id !== checkout.id) throw notFound("checkout session");
  const paid = session.status === "complete" && (session.payment_status === "paid" || session.payment_status === "no_payment_required");
  if (paid) {
    const now = Date.now();
    // Watermark at the session's creation: any later webhook still applies on top.
    const sync = await checkoutStatements(gw, db, session, (session.created ?? 0) * 1000, now).catch(stripeFailure);
    if (sync?.statements.length) await db.batch(sync.statements as [(typeof sync.statements)[number]]);
  }
  return { paid, planId: paid ? checkout.planId : null };
}

/** A Customer Portal session for the profile's Stripe customer; 409 before the first checkout. */
export async function createPortal(env: Env, db: Db, profileId: string, returnUrl: string, origin: string): Promise<{ url: string }> {
  checkReturnUrl(returnUrl, "returnUrl", false);
  const customer = await customerOf(db, profileId);
  if (!customer) throw new ApiError("no_stripe_customer", "No Stripe customer yet: start a checkout first");
  try {
    return await billingGateway(env, db, origin).createPortalSession(customer, returnUrl);
  } catch (err) {
    stripeFailure(err);
  }
}

export interface PublicInvoice {
  id: string;
  number: string | null;
  status: string | null;
  currency: string;
  amountDue: number;
  amountPaid: number;
  created: string;
  periodStart: string | null;
  periodEnd: string | null;
  hostedInvoiceUrl: string | null;
  invoicePdf: string | null;
}

export interface PublicCharge {
  id: string;
  amount: number;
  amountRefunded: number;
  currency: string;
  status: string;
  paid: boolean;
  created: string;
  description: string | null;
  receiptUrl: string | null;
  card: { brand: string | null; last4: string | null } | null;
}

const isoSec = (s: number | null | undefined) => (s == null ? null : new Date(s * 1000).toISOString());

function toInvoice(i: InvoiceObject): PublicInvoice {
  return {
    id: i.id,
    number: i.number ?? null,
    status: i.status ?? null,
    currency: i.currency,
    amountDue: i.amount_due / 100,
    amountPaid: i.amount_paid / 100,
    created: isoSec(i.created)!,
    periodStart: isoSec(i.period_start),
    periodEnd: isoSec(i.period_end),
    hostedInvoiceUrl: i.hosted_invoice_url ?? null,
    invoicePdf: i.invoice_pdf ?? null,
  };
}

function toCharge(c: ChargeObject): PublicCharge {
  const card = c.payment_method_details?.card;
  return {
    id: c.id,
    amount: c.amount / 100,
    amountRefunded: (c.amount_refunded ?? 0) / 100,
    currency: c.currency,
    status: c.status,
    paid: c.paid ?? c.status === "succeeded",
    created: isoSec(c.created)!,
    description: c.description ?? null,
    receiptUrl: c.receipt_url ?? null,
    card: card ? { brand: card.brand ?? null, last4: card.last4 ?? null } : null,
  };
}

/** Invoices and card charges of the profile's Stripe customer, newest first (empty before any checkout). */
export async function listInvoices(env: Env, db: Db, profileId: string, origin: string): Promise<{ invoices: PublicInvoice[]; charges: PublicCharge[] }> {
  const customer = await customerOf(db, profileId);
  if (!customer) return { invoices: [], charges: [] };
  const gw = billingGateway(env, db, origin);
  try {
    const [invoices, charges] = await Promise.all([gw.listInvoices(customer), gw.listCharges(customer)]);
    return { invoices: invoices.map(toInvoice), charges: charges.map(toCharge) };
  } catch (err) {
    stripeFailure(err);
  }
}

/** Outcome of starting checkout right after registration: a URL, or the reason it failed. */
export async function checkoutAfterRegister(
  env: Env,
  db: Db,
  input: StartCheckoutInput,
): Promise<{ checkoutUrl: string } | { checkoutError: string }> {
  try {
    return { checkoutUrl: (await startCheckout(env, db, input)).url };
  } catch (err) {
    const detail = err instanceof ApiError && typeof err.detail === "string" ? err.detail : "Could not start Stripe Checkout";
    return { checkoutError: detail };
  }
}

export const MAX_WEBHOOK_BYTES = 512 * 1024;

/**
 * Verifies and applies a Stripe webhook delivery. Missing or bad signature, or a timestamp
 * outside the SDK's default 300 s tolerance -> 400 and nothing is written.
 */
export async function handleWebhook(env: Env, db: Db, rawBody: string, signature: string | undefined, origin: string): Promise<EventOutcome> {
  const secret = env.STRIPE_WEBHOOK_SECRET;
  if (!secret) throw new ApiError("webhook_not_configured", "STRIPE_WEBHOOK_SECRET is not set");
  if (!signature || signature.length > 4096) throw new ApiError("invalid_signature", "Missing Stripe-Signature header");
  let verified: unknown;
  try {
    verified = await constructWebhookEvent(rawBody, signature, secret);
  } catch (err) {
    if (err instanceof StripeSignatureError) throw new ApiError("invalid_signature", "Signature verification failed");
    throw err;
  }
  const parsed = StripeEventObject.safeParse(verified);
  if (!parsed.success) throw new ApiError("invalid_request", "Not a Stripe event");
  try {
    return await processEvent(billingGateway(env, db, origin), db, parsed.data, Date.now());
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (err instanceof ZodError) throw new ApiError("invalid_request", "The event's object has an unexpected shape");
    // Transient (Stripe or D1): 503 so Stripe retries the delivery.
    console.error(JSON.stringify({ where: "stripe-webhook", event: parsed.data.id, error: String(err) }));
    throw new ApiError("webhook_retry", "Could not process the event now; Stripe will retry");
  }
}

/** Everything the dashboard billing page shows for each of the profile's lines. */
export async function billingOverview(db: Db, profileId: string) {
  const rows = await db.select().from(subscriptions).where(eq(subscriptions.profileId, profileId)).all();
  const order: ProductLine[] = ["gallery", "drive", "messaging"];
  const lines = [];
  for (const row of rows) {
    const line = LINE_OF_PLAN_TYPE[row.planType];
    const [status, effective, current, paidPlans] = await Promise.all([
      getBillingStatus(db, profileId, line),
      effectivePlan(db, profileId, row.planType),
      getPlan(db, row.planId),
      listPublishedPlans(db, row.planType),
    ]);
    const inForce = (current?.priceMinor ?? 0) <= 0 || isInForce(row.status);
    lines.push({
      line,
      status,
      effective,
      inForce,
      paidPlans: paidPlans.filter((p) => p.priceMinor > 0),
      subscribed: Boolean(row.stripeSubscriptionId) && isInForce(row.status) && (current?.priceMinor ?? 0) > 0,
    });
  }
  lines.sort((a, b) => order.indexOf(a.line) - order.indexOf(b.line));
  return { lines, hasCustomer: rows.some((r) => r.stripeCustomerId) };
}

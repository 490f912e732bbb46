import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../db";
import { isUniqueViolation } from "../db/batch";
import { billingCheckouts, billingCreditGrants, messagingAccounts, plans, stripeEvents, subscriptions } from "../db/schema";
import { getFreePlan, getPlan, isInForce, type PlanRow } from "../plans/service";
import type { StripeGateway } from "./gateway";
import {
  CheckoutSessionObject,
  InvoiceObject,
  SubscriptionObject,
  invoiceSubscriptionId,
  subscriptionPeriodEnd,
  subscriptionPriceId,
  type StripeEventObject,
} from "./stripe-objects";

type Stmt = BatchItem<"sqlite">;

/** Statuses after which the subscription is over: the line returns to its free plan. */
const ENDED_STATUSES = ["canceled", "incomplete_expired"];

interface Hint {
  profileId: string;
  planId: string;
}

interface SubscriptionSync {
  statements: Stmt[];
  profileId: string;
  plan: PlanRow;
}

async function checkoutHint(db: Db, checkoutId: string | undefined): Promise<Hint | null> {
  if (!checkoutId) return null;
  const row = await db.select().from(billingCheckouts).where(eq(billingCheckouts.id, checkoutId)).get();
  return row ? { profileId: row.profileId, planId: row.planId } : null;
}

async function planOf(db: Db, sub: SubscriptionObject, hint: Hint | null): Promise<PlanRow | null> {
  // The price wins: a plan change in the Customer Portal changes the price, not our metadata.
  const priceId = subscriptionPriceId(sub);
  if (priceId) {
    const byPrice = await db.select().from(plans).where(eq(plans.stripePriceId, priceId)).get();
    if (byPrice) return byPrice;
  }
  const planId = hint?.planId ?? sub.metadata.planId;
  return planId ? getPlan(db, planId) : null;
}

/**
 * The statements that make a profile's subscription row mirror a Stripe subscription.
 * Guards, evaluated inside the UPDATE so concurrent deliveries cannot race past them:
 * - watermark: only a state at least as new as the last applied one (`at`, ms) is written;
 * - identity: another subscription than the tracked one only takes over when it is in force.
 * The profile comes from the row already tracking this subscription, else from our own
 * checkout record (the session's server-set client_reference_id), never from client input.
 */
export async function subscriptionStatements(
  db: Db,
  sub: SubscriptionObject,
  at: number,
  now: number,
  hint: Hint | null = null,
): Promise<SubscriptionSync | null> {
  const tracked = await db.select().from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, sub.id)).get();
  const fromCheckout = hint ?? (await checkoutHint(db, sub.metadata.checkoutId));
  const profileId = tracked?.profileId ?? fromCheckout?.profileId ?? null;
  if (!profileId) return null;
  const plan = await planOf(db, sub, fromCheckout);
  if (!plan) return null;

  const rows = await db.select().from(subscriptions).where(eq(subscriptions.profileId, profileId)).all();
  const knownCustomer = rows.find((r) => r.stripeCustomerId)?.stripeCustomerId;
  // A subscription of another customer never lands on this profile.
  if (knownCustomer && sub.customer && knownCustomer !== sub.customer) return null;

  const ended = ENDED_STATUSES.includes(sub.status);
  const planId = ended ? (await getFreePlan(db, plan.planType)).id : plan.id;
  const periodEnd = subscriptionPeriodEnd(sub);
  const statement = db
    .update(subscriptions)
    .set({
      planId,
      status: sub.status,
      stripeCustomerId: sub.customer ?? undefined,
      stripeSubscriptionId: sub.id,
      currentPeriodEnd: periodEnd === null ? null : periodEnd * 1000,
      stripeSyncedAt: at,
      updatedAt: now,
    })
    .where(
      and(
        eq(subscriptions.profileId, profileId),
        eq(subscriptions.planType, plan.planType),
        or(isNull(subscriptions.stripeSyncedAt), lte(subscriptions.stripeSyncedAt, at)),
        isInForce(sub.status) ? undefined : eq(subscriptions.stripeSubscriptionId, sub.id),
      ),
    );
  return { statements: [statement], profileId, plan };
}

/** Grants a messaging plan's monthly credits once per paid invoice (the grant row is the guard). */
function creditStatements(db: Db, profileId: string, plan: PlanRow, invoiceId: string, now: number): Stmt[] {
  if (plan.planType !== "messaging" || plan.monthlyCredits <= 0) return [];
  return [
    db
      .update(messagingAccounts)
      .set({ credits: sql`${messagingAccounts.credits} + ${plan.monthlyCredits}` })
      .where(
        and(
          eq(messagingAccounts.profileId, profileId),
          sql`NOT EXISTS (SELECT 1 FROM ${billingCreditGrants} WHERE ${billingCreditGrants.invoiceId} = ${invoiceId})`,
        ),
      ),
    db.insert(billingCreditGrants).values({ invoiceId, profileId, credits: plan.monthlyCredits, createdAt: now }).onConflictDoNothing(),
  ];
}

/**
 * Statements for a completed Checkout Session of ours: the subscription is read back from
 * Stripe, so the plan changes only from Stripe's own data. Used by the webhook and by
 * confirmCheckoutSession (the verified read-back after the success redirect).
 */
export async function checkoutStatements(gw: StripeGateway, db: Db, session: CheckoutSessionObject, at: number, now: number) {
  if (session.mode !== "subscription" || !session.client_reference_id || !session.subscription) return null;
  const checkout = await db.select().from(billingCheckouts).where(eq(billingCheckouts.id, session.client_reference_id)).get();
  if (!checkout || (checkout.sessionId && checkout.sessionId !== session.id)) return null;
  const sub = await gw.retrieveSubscription(session.subscription);
  if (!sub) return null;
  const sync = await subscriptionStatements(db, sub, at, now, { profileId: checkout.profileId, planId: checkout.planId });
  if (!sync || sync.profileId !== checkout.profileId) return null;
  return {
    ...sync,
    checkout,
    statements: [
      ...sync.statements,
      db
        .update(billingCheckouts)
        .set({ status: "complete", completedAt: now })
        .where(and(eq(billingCheckouts.id, checkout.id), eq(billingCheckouts.status, "open"))),
    ],
  };
}

export type EventOutcome = "processed" | "duplicate" | "ignored";

/**
 * Applies one verified Stripe event. The event id row and the change it causes are one batch:
 * a replay (or a concurrent duplicate delivery) fails the insert and changes nothing.
 * Subscriptions are re-read from Stripe, and the watermark keeps late events from rolling
 * state back. Stripe API failures propagate (the webhook answers 5xx and Stripe retries).
 */
export async function processEvent(gw: StripeGateway, db: Db, event: StripeEventObject, now: number): Promise<EventOutcome> {
  const seen = await db.select({ id: stripeEvents.id }).from(stripeEvents).where(eq(stripeEvents.id, event.id)).get();
  if (seen) return "duplicate";
  const at = event.created * 1000;
  const object = event.data.object;
  let statements: Stmt[] = [];

  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded": {
      const res = await checkoutStatements(gw, db, CheckoutSessionObject.parse(object), at, now);
      statements = res?.statements ?? [];
      break;
    }
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted": {
      const fromEvent = SubscriptionObject.parse(object);
      const current = (await gw.retrieveSubscription(fromEvent.id)) ?? fromEvent;
      statements = (await subscriptionStatements(db, current, at, now))?.statements ?? [];
      break;
    }
    case "invoice.paid":
    case "invoice.payment_failed": {
      const invoice = InvoiceObject.parse(object);
      const subId = invoiceSubscriptionId(invoice);
      const sub = subId ? await gw.retrieveSubscription(subId) : null;
      const sync = sub ? await subscriptionStatements(db, sub, at, now) : null;
      if (sync) {
        statements = [...sync.statements];
        if (event.type === "invoice.paid") statements.push(...creditStatements(db, sync.profileId, sync.plan, invoice.id, now));
      }
      break;
    }
    default:
      break;
  }

  try {
    await db.batch([
      db.insert(stripeEvents).values({ id: event.id, type: event.type, createdAt: at, processedAt: now }),
      ...statements,
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) return "duplicate";
    throw err;
  }
  return statements.length ? "processed" : "ignored";
}

import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../db";
import { plans, subscriptions, type PlanType, type ProductLine } from "../db/schema";
import type { PublicPlan } from "./schemas";

export type PlanRow = typeof plans.$inferSelect;

export const LINE_OF_PLAN_TYPE: Record<PlanType, ProductLine> = {
  clientGallery: "gallery",
  drive: "drive",
  messaging: "messaging",
};
export const PLAN_TYPE_OF_LINE: Record<ProductLine, PlanType> = {
  gallery: "clientGallery",
  drive: "drive",
  messaging: "messaging",
};

/** The public shape of a plan, exactly the documented fields. */
export function toPublicPlan(p: PlanRow): PublicPlan {
  const out: PublicPlan = {
    id: p.id,
    planType: p.planType,
    name: p.name,
    description: p.description,
    features: p.features,
    storageLimitBytes: p.storageLimitBytes,
    price: p.priceMinor / 100,
    billingPeriod: p.billingPeriod,
    clientGalleryEnabled: p.planType === "clientGallery",
  };
  if (p.planType === "messaging") out.monthlyCredits = p.monthlyCredits;
  return out;
}

/** Published plans, optionally of one line, cheapest first. */
export async function listPublishedPlans(db: Db, type?: PlanType): Promise<PlanRow[]> {
  return db
    .select()
    .from(plans)
    .where(type ? and(eq(plans.published, true), eq(plans.planType, type)) : eq(plans.published, true))
    .orderBy(asc(plans.planType), asc(plans.sortOrder))
    .all();
}

export async function getPlan(db: Db, id: string): Promise<PlanRow | null> {
  return (await db.select().from(plans).where(eq(plans.id, id)).get()) ?? null;
}

/** The free (price 0) published plan of a line: what a new space starts on. */
export async function getFreePlan(db: Db, type: PlanType): Promise<PlanRow> {
  const row = await db
    .select()
    .from(plans)
    .where(and(eq(plans.planType, type), eq(plans.priceMinor, 0), eq(plans.published, true)))
    .orderBy(asc(plans.sortOrder))
    .get();
  if (!row) throw new Error(`no free ${type} plan is published`);
  return row;
}

/** Stripe statuses under which a paid plan is in force (the documented eligibility rule). */
export const IN_FORCE_STATUSES = ["active", "trialing", "past_due"] as const;
export const isInForce = (status: string) => (IN_FORCE_STATUSES as readonly string[]).includes(status);

/**
 * The plan in force for a profile's product line, for limits (storage bytes, monthly credits).
 * A paid plan counts only while Stripe says active, trialing or past_due; otherwise (never
 * paid, unpaid, canceled) the line's free plan applies. Lines the profile lacks get the free plan.
 */
export async function effectivePlan(db: Db, profileId: string, planType: PlanType): Promise<PlanRow> {
  const row = await db
    .select({ plan: plans, status: subscriptions.status })
    .from(subscriptions)
    .innerJoin(plans, eq(plans.id, subscriptions.planId))
    .where(and(eq(subscriptions.profileId, profileId), eq(subscriptions.planType, planType)))
    .get();
  if (row && (row.plan.priceMinor <= 0 || isInForce(row.status))) return row.plan;
  return getFreePlan(db, planType);
}

/** The storage limit in bytes of a profile's product line: the storageLimitBytes of the plan in force. */
export async function storageLimitOf(db: Db, profileId: string, planType: PlanType): Promise<number> {
  return (await effectivePlan(db, profileId, planType)).storageLimitBytes;
}

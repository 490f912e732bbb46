import { sql } from "drizzle-orm";
import { integer, sqliteTable, text, uniqueIndex, index } from "drizzle-orm/sqlite-core";

/** Product lines as the public API names them in plans (`planType`). */
export const PLAN_TYPES = ["clientGallery", "drive", "messaging"] as const;
export type PlanType = (typeof PLAN_TYPES)[number];

export const plans = sqliteTable(
  "plans",
  {
    id: text("id").primaryKey(),
    planType: text("plan_type", { enum: PLAN_TYPES }).notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    /** JSON array of strings. */
    features: text("features", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    storageLimitBytes: integer("storage_limit_bytes").notNull().default(0),
    /** Minor units (cents). */
    priceMinor: integer("price_minor").notNull().default(0),
    currency: text("currency").notNull().default("usd"),
    billingPeriod: text("billing_period", { enum: ["monthly", "annual"] }).notNull().default("monthly"),
    monthlyCredits: integer("monthly_credits").notNull().default(0),
    stripePriceId: text("stripe_price_id"),
    published: integer("published", { mode: "boolean" }).notNull().default(true),
    sortOrder: integer("sort_order").notNull().default(0),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("plans_type_idx").on(t.planType, t.published, t.sortOrder)],
);

/** One row per profile and product line: the plan in force and its Stripe state. */
export const subscriptions = sqliteTable(
  "subscriptions",
  {
    id: text("id").primaryKey(),
    profileId: text("profile_id").notNull(),
    planType: text("plan_type", { enum: PLAN_TYPES }).notNull(),
    planId: text("plan_id").notNull(),
    /** Stripe's status vocabulary; free plans are `active`. */
    status: text("status").notNull(),
    stripeCustomerId: text("stripe_customer_id"),
    stripeSubscriptionId: text("stripe_subscription_id"),
    currentPeriodEnd: integer("current_period_end"),
    /** Watermark (ms): the `created` of the newest Stripe event applied; older events never roll back. */
    stripeSyncedAt: integer("stripe_synced_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("subscriptions_profile_line_uq").on(t.profileId, t.planType)],
);

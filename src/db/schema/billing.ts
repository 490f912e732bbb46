import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { PLAN_TYPES } from "./plans";

/** Stripe event ids already applied; the row is written in the same batch as the change it caused. */
export const stripeEvents = sqliteTable("stripe_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  /** The event's own `created`, in ms. */
  createdAt: integer("created_at").notNull(),
  processedAt: integer("processed_at").notNull(),
});

/**
 * One row per Checkout Session we started. Its id is the session's server-set
 * `client_reference_id`, so a completed session maps back to a profile and plan we chose.
 */
export const billingCheckouts = sqliteTable(
  "billing_checkouts",
  {
    id: text("id").primaryKey(),
    profileId: text("profile_id").notNull(),
    planType: text("plan_type", { enum: PLAN_TYPES }).notNull(),
    planId: text("plan_id").notNull(),
    /** Stripe's `cs_…` (or the local test mode's `cs_local_…`). */
    sessionId: text("session_id"),
    status: text("status", { enum: ["open", "complete", "canceled"] }).notNull().default("open"),
    createdAt: integer("created_at").notNull(),
    completedAt: integer("completed_at"),
  },
  (t) => [uniqueIndex("billing_checkouts_session_uq").on(t.sessionId), index("billing_checkouts_profile_idx").on(t.profileId, t.createdAt)],
);

/** Messaging credits granted per paid invoice: the primary key makes each grant happen once. */
export const billingCreditGrants = sqliteTable("billing_credit_grants", {
  invoiceId: text("invoice_id").primaryKey(),
  profileId: text("profile_id").notNull(),
  credits: integer("credits").notNull(),
  createdAt: integer("created_at").notNull(),
});

/**
 * The local test mode's stand-in for Stripe's servers (only used without STRIPE_SECRET_KEY):
 * Stripe-shaped JSON objects (checkout sessions, subscriptions, invoices, charges, portal sessions).
 */
export const billingLocalObjects = sqliteTable(
  "billing_local_objects",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    /** The Stripe customer the object belongs to (`cus_local_…`). */
    customerId: text("customer_id"),
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("billing_local_objects_customer_idx").on(t.customerId, t.type, t.createdAt)],
);

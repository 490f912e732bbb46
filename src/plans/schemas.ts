import { z } from "@hono/zod-openapi";
import { PLAN_TYPES } from "../db/schema";

export const PlanTypeSchema = z.enum(PLAN_TYPES).openapi({ description: "Product line of a plan" });

export const PlanSchema = z
  .object({
    id: z.string(),
    planType: PlanTypeSchema,
    name: z.string(),
    description: z.string(),
    features: z.array(z.string()),
    storageLimitBytes: z.number().int(),
    price: z.number().openapi({ description: "Price per billing period in major currency units (USD); 0 = free" }),
    billingPeriod: z.enum(["monthly", "annual"]),
    clientGalleryEnabled: z.boolean(),
    monthlyCredits: z.number().int().optional().openapi({ description: "Messaging plans only: AI credits granted each month" }),
  })
  .openapi("Plan");

export const PlansQuerySchema = z.object({
  type: PlanTypeSchema.optional(),
  client_id: z.string().min(1).max(100).optional(),
});

export const PlanByIdQuerySchema = z.object({
  id: z.string().min(1).max(100),
  client_id: z.string().min(1).max(100).optional(),
});

export type PublicPlan = z.infer<typeof PlanSchema>;

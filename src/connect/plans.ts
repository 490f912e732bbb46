import type { Db } from "../db";
import type { PlanType } from "../db/schema";
import { listPublishedPlans } from "../plans/service";
import { ApiError } from "../platform/errors";
import { assertActive, findAppByClientId, type PartnerApp } from "./apps";

async function clientApp(db: Db, clientId: string): Promise<PartnerApp> {
  const app = await findAppByClientId(db, clientId);
  if (!app) throw new ApiError("unknown_client", "No partner app has this client_id", { status: 400 });
  assertActive(app);
  return app;
}

const notAllowed = (type: PlanType) =>
  new ApiError("product_not_allowed", `This app is not allowed to offer ${type} plans`, { status: 403 });

/** The published plans of the app's one product line; `type` of another line is 403. */
export async function plansForClient(db: Db, clientId: string, type: PlanType | undefined) {
  const app = await clientApp(db, clientId);
  if (type && type !== app.productType) throw notAllowed(type);
  return { allowedProductTypes: [app.productType], plans: await listPublishedPlans(db, app.productType) };
}

/** 403 when a plan's line is not the app's. */
export async function assertPlanAllowedForClient(db: Db, clientId: string, planType: PlanType): Promise<void> {
  const app = await clientApp(db, clientId);
  if (planType !== app.productType) throw notAllowed(planType);
}

import type { Context } from "hono";
import { confirmCheckoutSession, startCheckout } from "../billing/service";
import { z } from "zod";
import { PLAN_TYPES } from "../db/schema";
import type { AppEnv } from "../env";
import { getPlan, isInForce, LINE_OF_PLAN_TYPE } from "../plans/service";
import { getAccountOverview } from "../accounts/service";
import { clearSealedCookie, readSealedCookie, setSealedCookie } from "../platform/oidc/sealed-cookie";
import { findAppByClientId, recordEvent, type PartnerApp } from "./apps";
import { ensureProductLine, finalizeConnect } from "./service";

export const CONNECT_COOKIE = "gh_connect";
const PURPOSE = "gellhub:connect";
// Long enough for registration plus a Stripe Checkout round trip.
const FLOW_TTL_SECONDS = 60 * 60;

/** What connect/start remembers for the rest of the browser flow (signed, httpOnly). */
const ConnectFlowSchema = z.object({
  clientId: z.string(),
  returnUrl: z.string(),
  state: z.string().optional(),
  planId: z.string().optional(),
  product: z.enum(PLAN_TYPES),
  codeChallenge: z.string().optional(),
  next: z.enum(["register", "login"]),
});
export type ConnectFlow = z.infer<typeof ConnectFlowSchema>;

export async function writeFlow(c: Context<AppEnv>, flow: ConnectFlow): Promise<void> {
  await setSealedCookie(c, CONNECT_COOKIE, { flow }, { purpose: PURPOSE, maxAgeSeconds: FLOW_TTL_SECONDS });
}

/** The active flow, or null when there is none (or the cookie is forged or expired). */
export async function readFlow(c: Context<AppEnv>): Promise<ConnectFlow | null> {
  const payload = await readSealedCookie(c, CONNECT_COOKIE, PURPOSE);
  const flow = ConnectFlowSchema.safeParse(payload?.flow);
  return flow.success ? flow.data : null;
}

export function clearFlow(c: Context<AppEnv>): void {
  clearSealedCookie(c, CONNECT_COOKIE);
}

/** The flow together with its (still existing) app, for pages that show "connecting to …". */
export async function activeConnect(c: Context<AppEnv>): Promise<{ flow: ConnectFlow; app: PartnerApp } | null> {
  const flow = await readFlow(c);
  if (!flow) return null;
  const app = await findAppByClientId(c.var.db, flow.clientId);
  return app ? { flow, app } : null;
}

/**
 * After a sign-in or registration with connect cookies active: where the browser goes next.
 * A paid plan that is not paid yet goes through Stripe Checkout (success comes back to
 * /integrations/connect/stripe-return); otherwise a code is issued and the partner's
 * return_url is returned, and the cookies are cleared. Null when no flow is active.
 */
export async function connectRedirectFor(
  c: Context<AppEnv>,
  profileId: string,
  via: "register" | "login" | null,
): Promise<string | null> {
  const active = await activeConnect(c);
  if (!active) {
    if (await readFlow(c)) clearFlow(c);
    return null;
  }
  const { flow, app } = active;
  if (app.status !== "active") {
    // The sign-in itself stands; only the hand-back to a suspended app is dropped.
    clearFlow(c);
    return null;
  }
  const db = c.var.db;
  const now = Date.now();
  if (via) await recordEvent(db, app.id, via, now);
  const line = LINE_OF_PLAN_TYPE[app.productType];
  await ensureProductLine(db, profileId, line, now);
  if (flow.planId) {
    const plan = await getPlan(db, flow.planId);
    if (plan && plan.priceMinor > 0) {
      const overview = await getAccountOverview(db, profileId);
      const sub = overview.productLines.find((l) => l.productLine === line);
      // Any paid plan already in force on this line counts: never make someone pay twice.
      const paid = sub && sub.plan.price > 0 && isInForce(sub.status);
      if (!paid) {
        const origin = new URL(c.req.url).origin;
        const checkout = await startCheckout(c.env, db, {
          profileId,
          planId: plan.id,
          successUrl: `${origin}/integrations/connect/stripe-return?session_id={CHECKOUT_SESSION_ID}`,
          cancelUrl: `${origin}/integrations/connect/cancelled`,
          origin,
        });
        return checkout.url;
      }
    }
  }
  const url = await finalizeConnect(db, app, profileId, flow, now);
  clearFlow(c);
  return url;
}

/** Confirms a Checkout Session of this profile with billing; true when it is paid. */
export async function confirmPaid(c: Context<AppEnv>, sessionId: string, profileId: string): Promise<boolean> {
  const res = await confirmCheckoutSession(c.env, c.var.db, sessionId, profileId, new URL(c.req.url).origin);
  return res.paid;
}

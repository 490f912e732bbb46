import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import type { AppEnv } from "../env";
import { formError, runFormAction, type FormBody } from "../ui/form";
import { Layout } from "../ui/layout";
import { pageSecurity } from "../ui/security";
import { currentProfile } from "../platform/auth";
import { ApiError } from "../platform/errors";
import {
  cancelLocalCheckout,
  completeLocalCheckout,
  loadLocalInvoice,
  loadLocalPortal,
  localPortalAction,
  openLocalSession,
  type PortalAction,
} from "./local";
import { billingOverview, confirmCheckoutSession, createPortal, isLocalTestMode, listInvoices, startCheckout } from "./service";
import { BillingPage, TestCheckoutPage, TestInvoicePage, TestPortalPage, type BillingPageProps } from "./views";

/** The dashboard billing page and the local test mode's checkout, portal and invoice pages. */
export const billingPageRoutes = new Hono<AppEnv>();

billingPageRoutes.use("/dashboard/billing", pageSecurity);
billingPageRoutes.use("/dashboard/billing/*", pageSecurity);
billingPageRoutes.use("/billing/*", pageSecurity);

const LocalId = z.string().regex(/^[A-Za-z0-9_-]{8,100}$/);
const PortalActionParam = z.enum(["cancel", "renew", "fail"]) satisfies z.ZodType<PortalAction>;
const originOf = (c: Context<AppEnv>) => new URL(c.req.url).origin;

const billingError = (err: unknown) => (err instanceof z.ZodError ? "Choose a plan" : formError(err));

async function renderBilling(c: Context<AppEnv>, profileId: string, extra: Partial<BillingPageProps> = {}, status: ContentfulStatusCode = 200) {
  const user = await currentProfile(c);
  const { lines, hasCustomer } = await billingOverview(c.var.db, profileId);
  let invoices: BillingPageProps["invoices"] = [];
  let charges: BillingPageProps["charges"] = [];
  let error = extra.error ?? null;
  try {
    ({ invoices, charges } = await listInvoices(c.env, c.var.db, profileId, originOf(c)));
  } catch (err) {
    error ??= billingError(err);
  }
  return c.html(
    <Layout title="Billing" user={user}>
      <BillingPage
        lines={lines}
        hasCustomer={hasCustomer}
        invoices={invoices}
        charges={charges}
        localMode={isLocalTestMode(c.env)}
        notice={extra.notice}
        error={error}
      />
    </Layout>,
    status,
  );
}

/** Dashboard pages need a session; without one the browser goes to /login. */
async function sessionProfile(c: Context<AppEnv>) {
  const user = await currentProfile(c);
  if (user) c.set("auth", { profileId: user.id, via: "session" });
  return user;
}

billingPageRoutes.get("/dashboard/billing", async (c) => {
  const user = await sessionProfile(c);
  if (!user) return c.redirect("/login?next=%2Fdashboard%2Fbilling", 303);
  const sessionId = c.req.query("session_id");
  const outcome = c.req.query("checkout");
  let notice: string | null = null;
  let error: string | null = null;
  if (outcome === "canceled") notice = "Checkout canceled: nothing was charged and your plan is unchanged.";
  if (sessionId !== undefined) {
    try {
      // Verified read-back from Stripe; the URL alone never changes a plan.
      const res = await confirmCheckoutSession(c.env, c.var.db, LocalId.parse(sessionId), user.id, originOf(c));
      notice = res.paid ? "Payment confirmed. Your new plan is active." : "Payment is still processing; this page updates when Stripe confirms it.";
    } catch (err) {
      error = err instanceof z.ZodError ? "Unknown checkout session" : billingError(err);
    }
  }
  return renderBilling(c, user.id, { notice, error });
});

/** A billing form: signed out goes to /login; success redirects to the URL `run` returns, failure re-renders. */
async function billingAction(c: Context<AppEnv>, run: (profileId: string, form: FormBody) => Promise<string>) {
  const user = await sessionProfile(c);
  if (!user) return c.redirect("/login?next=%2Fdashboard%2Fbilling", 303);
  return runFormAction(c, {
    run: async (form) => c.redirect(await run(user.id, form), 303),
    onError: ({ message, status }) => renderBilling(c, user.id, { error: message }, status),
    message: billingError,
  });
}

billingPageRoutes.post("/dashboard/billing/checkout", (c) =>
  billingAction(c, async (profileId, form) => {
    const planId = z.string().min(1).max(100).parse(form.planId);
    return (await startCheckout(c.env, c.var.db, { profileId, planId, origin: originOf(c) })).url;
  }),
);

billingPageRoutes.post("/dashboard/billing/portal", (c) =>
  billingAction(c, async (profileId) => {
    const origin = originOf(c);
    return (await createPortal(c.env, c.var.db, profileId, `${origin}/dashboard/billing`, origin)).url;
  }),
);

// ---------- local test mode (only without STRIPE_SECRET_KEY) ----------

billingPageRoutes.use("/billing/*", async (c, next) => {
  if (!isLocalTestMode(c.env)) return c.notFound();
  await next();
});

function notOpen(c: Context<AppEnv>, title: string, text: string, status: ContentfulStatusCode = 404) {
  return c.html(
    <Layout title={title}>
      <div class="card">
        <h1>{title}</h1>
        <p class="muted">{text}</p>
      </div>
    </Layout>,
    status,
  );
}

billingPageRoutes.get("/billing/test-checkout/:id", async (c) => {
  const id = LocalId.safeParse(c.req.param("id"));
  const open = id.success ? await openLocalSession(c.var.db, id.data) : null;
  if (!open) return notOpen(c, "Checkout not found", "This test checkout session does not exist.");
  return c.html(
    <Layout title="Test checkout">
      <TestCheckoutPage sessionId={open.session.id} plan={open.plan} payable={open.payable} />
    </Layout>,
  );
});

billingPageRoutes.post("/billing/test-checkout/:id/:action{pay|cancel}", async (c) => {
  const id = LocalId.safeParse(c.req.param("id"));
  if (!id.success) return notOpen(c, "Checkout not found", "This test checkout session does not exist.");
  try {
    const next =
      c.req.param("action") === "pay"
        ? await completeLocalCheckout(c.var.db, originOf(c), id.data)
        : await cancelLocalCheckout(c.var.db, id.data);
    return c.redirect(next, 303);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return notOpen(c, "Checkout closed", billingError(err), err.status);
  }
});

billingPageRoutes.get("/billing/test-portal/:id", async (c) => {
  const id = LocalId.safeParse(c.req.param("id"));
  const portal = id.success ? await loadLocalPortal(c.var.db, id.data) : null;
  if (!portal || !id.success) return notOpen(c, "Portal session expired", "Open Manage payment again from your dashboard.");
  return c.html(
    <Layout title="Test customer portal">
      <TestPortalPage portalId={id.data} returnUrl={portal.returnUrl} subscriptions={portal.subscriptions} invoices={portal.invoices} />
    </Layout>,
  );
});

billingPageRoutes.post("/billing/test-portal/:id/subscriptions/:sub/:action{cancel|renew|fail}", async (c) => {
  const id = LocalId.safeParse(c.req.param("id"));
  const sub = LocalId.safeParse(c.req.param("sub"));
  if (!id.success || !sub.success) return notOpen(c, "Portal session expired", "Open Manage payment again from your dashboard.");
  const action = PortalActionParam.safeParse(c.req.param("action"));
  if (!action.success) return c.notFound();
  try {
    await localPortalAction(c.var.db, originOf(c), id.data, sub.data, action.data);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return notOpen(c, "Portal", billingError(err), err.status);
  }
  return c.redirect(`/billing/test-portal/${id.data}`, 303);
});

billingPageRoutes.get("/billing/test-invoice/:id", async (c) => {
  const id = LocalId.safeParse(c.req.param("id"));
  const found = id.success ? await loadLocalInvoice(c.var.db, id.data) : null;
  if (!found) return notOpen(c, "Invoice not found", "This test invoice does not exist.");
  return c.html(
    <Layout title={`Invoice ${found.invoice.number ?? ""}`}>
      <TestInvoicePage invoice={found.invoice} lines={found.lines} />
    </Layout>,
  );
});

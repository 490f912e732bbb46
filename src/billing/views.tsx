import type { FC } from "hono/jsx";
import type { ProductLine } from "../db/schema";
import { DataTable } from "../ui/table";
import { ErrorAlert, formatBytes, LINE_LABEL, money } from "../ui/views";
import type { PlanRow } from "../plans/service";
import type { InvoiceObject, SubscriptionObject } from "./stripe-objects";
import type { BillingStatus, PublicCharge, PublicInvoice } from "./service";

export interface LineBilling {
  line: ProductLine;
  status: BillingStatus;
  effective: PlanRow;
  inForce: boolean;
  paidPlans: PlanRow[];
  subscribed: boolean;
}

export interface BillingPageProps {
  lines: LineBilling[];
  hasCustomer: boolean;
  invoices: PublicInvoice[];
  charges: PublicCharge[];
  localMode: boolean;
  notice?: string | null;
  error?: string | null;
}

const per = (p: PlanRow) => (p.billingPeriod === "annual" ? "/yr" : "/mo");
const day = (iso: string | null) => (iso ? iso.slice(0, 10) : "—");
const amount = (n: number, currency: string) => `${currency.toUpperCase() === "USD" ? "$" : `${currency.toUpperCase()} `}${n.toFixed(2)}`;

export const LocalModeBanner: FC = () => (
  <div class="alert secret" role="note" data-testid="local-test-mode">
    <strong>Local test mode.</strong> No Stripe key is configured, so payments run through GellHub's built-in test checkout. No
    card is charged and no money moves.
  </div>
);

/** /dashboard/billing: plan and status per line, change plan, manage payment, invoices. */
export const BillingPage: FC<BillingPageProps> = ({ lines, hasCustomer, invoices, charges, localMode, notice, error }) => (
  <>
    <h1>Billing</h1>
    <p class="muted">
      <a href="/dashboard">← Dashboard</a>
    </p>
    {localMode ? <LocalModeBanner /> : null}
    {notice ? (
      <div class="alert secret" role="status" data-testid="billing-notice">
        {notice}
      </div>
    ) : null}
    <ErrorAlert message={error} />

    <h2>Plans</h2>
    <div class="grid cols3">
      {lines.map((l) => (
        <div class="card" data-line={l.line} data-testid={`billing-${l.line}`}>
          <h3>{LINE_LABEL[l.line]}</h3>
          <p>
            <strong data-testid="plan-name">{l.status.plan.name}</strong> · {money(l.status.plan.price)}{" "}
            <span class={`pill ${l.inForce ? "ok" : "warn"}`} data-testid="plan-status">
              {l.status.stripeStatus}
            </span>
          </p>
          {l.status.currentPeriodEnd ? <p class="muted">Renews or ends on {day(l.status.currentPeriodEnd)}</p> : null}
          <p class="muted" data-testid="plan-limit">
            {l.line === "messaging"
              ? `In force: ${l.effective.name}, ${l.effective.monthlyCredits.toLocaleString("en-US")} AI credits a month`
              : `In force: ${l.effective.name}, storage limit ${formatBytes(l.effective.storageLimitBytes)}`}
          </p>
          {l.subscribed ? (
            <p class="muted">Change or cancel this paid plan under Manage payment.</p>
          ) : l.paidPlans.length ? (
            <form method="post" action="/dashboard/billing/checkout" class="row">
              <label>
                Change plan
                <select name="planId" aria-label={`${LINE_LABEL[l.line]} plan`}>
                  {l.paidPlans.map((p) => (
                    <option value={p.id}>{`${p.name} — ${money(p.priceMinor / 100)}${per(p)}`}</option>
                  ))}
                </select>
              </label>
              <button class="btn" type="submit" style="align-self:end">
                Checkout
              </button>
            </form>
          ) : null}
        </div>
      ))}
    </div>

    <h2>Payment</h2>
    <div class="card">
      {hasCustomer ? (
        <form method="post" action="/dashboard/billing/portal" class="row">
          <span class="muted">Payment methods, plan changes, cancellation and receipts are in the Stripe Customer Portal.</span>
          <button class="btn secondary" type="submit">
            Manage payment
          </button>
        </form>
      ) : (
        <p class="muted">No payment details yet: choose a paid plan above to start.</p>
      )}
    </div>

    <h2>Invoices</h2>
    <div class="card">
      <DataTable
        label="Invoices"
        columns={["Date", "Number", "Period", "Amount", "Status", "PDF"]}
        empty="No invoices yet."
        rows={invoices.map((i) => (
          <tr data-invoice-id={i.id}>
            <td>{day(i.created)}</td>
            <td>{i.number ?? "—"}</td>
            <td>
              {day(i.periodStart)} – {day(i.periodEnd)}
            </td>
            <td>{amount(i.status === "paid" ? i.amountPaid : i.amountDue, i.currency)}</td>
            <td>
              <span class={`pill ${i.status === "paid" ? "ok" : "warn"}`}>{i.status ?? "—"}</span>
            </td>
            <td>
              {i.invoicePdf ? (
                <a href={i.invoicePdf} rel="noopener noreferrer" target="_blank">
                  PDF
                </a>
              ) : i.hostedInvoiceUrl ? (
                <a href={i.hostedInvoiceUrl} rel="noopener noreferrer" target="_blank">
                  View
                </a>
              ) : (
                "—"
              )}
            </td>
          </tr>
        ))}
      />
      {charges.length ? (
        <>
          <h3 style="margin-top:18px">Card charges</h3>
          <DataTable
            label="Card charges"
            columns={["Date", "Description", "Card", "Amount", "Status"]}
            rows={charges.map((ch) => (
              <tr data-charge-id={ch.id}>
                <td>{day(ch.created)}</td>
                <td>{ch.description ?? "—"}</td>
                <td>{ch.card ? `${ch.card.brand ?? "card"} •••• ${ch.card.last4 ?? "????"}` : "—"}</td>
                <td>{amount(ch.amount, ch.currency)}</td>
                <td>{ch.status}</td>
              </tr>
            ))}
          />
        </>
      ) : null}
    </div>
  </>
);

/** The local test mode's stand-in for Stripe Checkout. */
export const TestCheckoutPage: FC<{ sessionId: string; plan: PlanRow; email?: string; payable: boolean }> = ({ sessionId, plan, payable }) => (
  <div class="card" style="max-width:520px;margin:0 auto">
    <LocalModeBanner />
    <h1>Test checkout</h1>
    <p>
      Subscribe to <strong>{plan.name}</strong> ({LINE_LABEL[plan.planType === "clientGallery" ? "gallery" : plan.planType]})
    </p>
    <p class="price">
      {money(plan.priceMinor / 100)} <small>{per(plan)}</small>
    </p>
    {payable ? (
      <div class="row">
        <form method="post" action={`/billing/test-checkout/${sessionId}/pay`}>
          <button class="btn" type="submit">
            Pay with test card
          </button>
        </form>
        <form method="post" action={`/billing/test-checkout/${sessionId}/cancel`}>
          <button class="btn secondary" type="submit">
            Cancel and go back
          </button>
        </form>
      </div>
    ) : (
      <p class="muted">This checkout session is no longer open.</p>
    )}
  </div>
);

/** The local test mode's stand-in for the Stripe Customer Portal. */
export const TestPortalPage: FC<{
  portalId: string;
  returnUrl: string;
  subscriptions: { sub: SubscriptionObject; plan: PlanRow | null }[];
  invoices: InvoiceObject[];
}> = ({ portalId, returnUrl, subscriptions, invoices }) => (
  <div class="card" style="max-width:720px;margin:0 auto">
    <LocalModeBanner />
    <h1>Test customer portal</h1>
    <h2>Subscriptions</h2>
    {subscriptions.length === 0 ? <p class="muted">No subscriptions.</p> : null}
    {subscriptions.map(({ sub, plan }) => (
      <div class="row" data-subscription-id={sub.id} style="margin-bottom:10px">
        <span>
          <strong>{plan?.name ?? "Plan"}</strong> <span class="pill">{sub.status}</span>
        </span>
        {sub.status !== "canceled" ? (
          <>
            <form method="post" action={`/billing/test-portal/${portalId}/subscriptions/${sub.id}/cancel`}>
              <button class="btn danger small" type="submit">
                Cancel subscription
              </button>
            </form>
            <form method="post" action={`/billing/test-portal/${portalId}/subscriptions/${sub.id}/renew`}>
              <button class="btn secondary small" type="submit">
                Simulate renewal
              </button>
            </form>
            <form method="post" action={`/billing/test-portal/${portalId}/subscriptions/${sub.id}/fail`}>
              <button class="btn secondary small" type="submit">
                Simulate failed payment
              </button>
            </form>
          </>
        ) : null}
      </div>
    ))}
    <h2>Invoices</h2>
    <ul>
      {invoices.map((i) => (
        <li>
          {new Date(i.created * 1000).toISOString().slice(0, 10)} · {i.number} · {amount(i.amount_due / 100, i.currency)} · {i.status}
        </li>
      ))}
    </ul>
    <p>
      <a class="btn secondary" href={returnUrl}>
        Return
      </a>
    </p>
  </div>
);

export const TestInvoicePage: FC<{ invoice: InvoiceObject; lines: { description?: string; amount?: number }[] }> = ({ invoice, lines }) => (
  <div class="card" style="max-width:640px;margin:0 auto">
    <LocalModeBanner />
    <h1>Invoice {invoice.number}</h1>
    <p class="muted">
      Issued {new Date(invoice.created * 1000).toISOString().slice(0, 10)} · status {invoice.status}
    </p>
    <DataTable
      label="Invoice lines"
      rows={[
        ...lines.map((l) => (
          <tr>
            <td>{l.description}</td>
            <td>{amount((l.amount ?? 0) / 100, invoice.currency)}</td>
          </tr>
        )),
        <tr>
          <th>Total paid</th>
          <th>{amount(invoice.amount_paid / 100, invoice.currency)}</th>
        </tr>,
      ]}
    />
  </div>
);

/**
 * A small stand-in for api.stripe.com that speaks Stripe's wire format for the calls billing
 * makes: form-encoded bodies with bracket keys, Bearer secret-key auth, JSON objects with
 * `object` fields, `{ object: "list", data }` lists and `{ error: { type, code, message } }`
 * errors. The real SDK talks to it through STRIPE_API_BASE; tests drive its state directly
 * (complete a checkout, update a subscription) and sign events with the SDK's test helper.
 */

type Obj = Record<string, unknown>;

export const FAKE_STRIPE_BASE = "https://stripe-fake.test";
export const FAKE_SECRET_KEY = "sk_test_fake_0123456789abcdefghijkl";
export const FAKE_WEBHOOK_SECRET = "whsec_test_fake_secret_0123456789";

let counter = 0;
const id = (prefix: string) => `${prefix}_fake${Date.now().toString(36)}${(++counter).toString(36)}${Math.random().toString(36).slice(2, 8)}`;
const nowSec = () => Math.floor(Date.now() / 1000);

/** Parses `a[b][0][c]=v&…` (Stripe's encoding) into nested objects and arrays. */
export function parseStripeForm(body: string): Obj {
  const out: Obj = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const parts = rawKey.split(/\[|\]\[|\]/).filter((p) => p !== "");
    let node: Obj | unknown[] = out;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(parts[i + 1]!);
      const key: string | number = Array.isArray(node) ? Number(part) : part;
      const container = node as Record<string | number, unknown>;
      if (last) container[key] = value;
      else {
        container[key] ??= nextIsIndex ? [] : {};
        node = container[key] as Obj | unknown[];
      }
    });
  }
  return out;
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "request-id": id("req"), "stripe-version": "2026-10-28.endive" },
  });
}

function stripeError(status: number, type: string, message: string, code?: string, param?: string): Response {
  return json({ error: { type, message, ...(code ? { code } : {}), ...(param ? { param } : {}) } }, status);
}

const missing = (kind: string, ident: string) => stripeError(404, "invalid_request_error", `No such ${kind}: '${ident}'`, "resource_missing", "id");

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: Obj;
  headers: Record<string, string>;
}

export class FakeStripe {
  customers = new Map<string, Obj>();
  sessions = new Map<string, Obj>();
  subscriptions = new Map<string, Obj>();
  invoices = new Map<string, Obj>();
  charges = new Map<string, Obj>();
  portals = new Map<string, Obj>();
  requests: RecordedRequest[] = [];
  /** Next N requests answer 500 (a Stripe outage). */
  failures = 0;

  /** A fetch that serves FAKE_STRIPE_BASE and passes everything else to `fallback`. */
  fetcher(fallback: typeof fetch): typeof fetch {
    return (async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = new Request(input, init);
      if (new URL(req.url).origin !== FAKE_STRIPE_BASE) return fallback(input, init);
      return this.handle(req);
    }) as typeof fetch;
  }

  async handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const text = req.method === "GET" ? "" : new TextDecoder().decode(await req.arrayBuffer());
    const body = parseStripeForm(text);
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({ method: req.method, path: url.pathname, query, body, headers: Object.fromEntries(req.headers) });
    if (req.headers.get("authorization") !== `Bearer ${FAKE_SECRET_KEY}`) {
      return stripeError(401, "invalid_request_error", "Invalid API Key provided: sk_test_****");
    }
    if (this.failures > 0) {
      this.failures--;
      return stripeError(500, "api_error", "An unknown error occurred");
    }
    const p = url.pathname;
    let m: RegExpMatchArray | null;
    if (req.method === "POST" && p === "/v1/customers") {
      const c = { id: id("cus"), object: "customer", email: body.email ?? null, name: body.name ?? null, metadata: body.metadata ?? {}, created: nowSec(), livemode: false };
      this.customers.set(c.id, c);
      return json(c);
    }
    if (req.method === "POST" && p === "/v1/checkout/sessions") {
      if (body.mode !== "subscription") return stripeError(400, "invalid_request_error", "mode must be subscription here", "parameter_invalid", "mode");
      if (typeof body.customer === "string" && !this.customers.has(body.customer)) return missing("customer", body.customer);
      const sid = id("cs_test");
      const s = {
        id: sid,
        object: "checkout.session",
        mode: body.mode,
        status: "open",
        payment_status: "unpaid",
        client_reference_id: body.client_reference_id ?? null,
        customer: body.customer ?? null,
        subscription: null,
        success_url: body.success_url,
        cancel_url: body.cancel_url ?? null,
        metadata: body.metadata ?? {},
        line_items_params: body.line_items,
        subscription_data_params: body.subscription_data ?? {},
        created: nowSec(),
        expires_at: nowSec() + 86400,
        livemode: false,
        url: `https://checkout.stripe.com/c/pay/${sid}`,
      };
      this.sessions.set(sid, s);
      return json(s);
    }
    if (req.method === "GET" && (m = p.match(/^\/v1\/checkout\/sessions\/([^/]+)$/))) {
      const s = this.sessions.get(m[1]!);
      return s ? json(s) : missing("checkout.session", m[1]!);
    }
    if (req.method === "GET" && (m = p.match(/^\/v1\/subscriptions\/([^/]+)$/))) {
      const s = this.subscriptions.get(m[1]!);
      return s ? json(s) : missing("subscription", m[1]!);
    }
    if (req.method === "POST" && p === "/v1/billing_portal/sessions") {
      if (typeof body.customer !== "string" || !this.customers.has(body.customer)) return missing("customer", String(body.customer));
      const ps = { id: id("bps"), object: "billing_portal.session", customer: body.customer, return_url: body.return_url ?? null, created: nowSec(), livemode: false, url: `https://billing.stripe.com/p/session/${id("test")}` };
      this.portals.set(ps.id, ps);
      return json(ps);
    }
    if (req.method === "GET" && (p === "/v1/invoices" || p === "/v1/charges")) {
      const store = p === "/v1/invoices" ? this.invoices : this.charges;
      const data = [...store.values()].filter((o) => !query.customer || o.customer === query.customer).sort((a, b) => Number(b.created) - Number(a.created));
      const limit = Number(query.limit ?? 10);
      return json({ object: "list", data: data.slice(0, limit), has_more: data.length > limit, url: p });
    }
    return stripeError(404, "invalid_request_error", `Unrecognized request URL (${req.method}: ${p})`);
  }

  /** What the customer does on Stripe's hosted page: pays, creating the subscription, invoice and charge. */
  completeCheckout(sessionId: string, opts: { status?: string; priceId?: string } = {}) {
    const s = this.sessions.get(sessionId);
    if (!s) throw new Error(`no session ${sessionId}`);
    const li = (s.line_items_params as Obj[])[0]!;
    const priceData = li.price_data as Obj | undefined;
    const amount = Number(priceData?.unit_amount ?? 1500);
    const currency = String(priceData?.currency ?? "usd");
    const priceId = opts.priceId ?? (typeof li.price === "string" ? li.price : id("price"));
    const created = nowSec();
    const sub: Obj = {
      id: id("sub"),
      object: "subscription",
      customer: s.customer,
      status: opts.status ?? "active",
      metadata: (s.subscription_data_params as Obj).metadata ?? {},
      created,
      cancel_at_period_end: false,
      livemode: false,
      items: {
        object: "list",
        data: [
          {
            id: id("si"),
            object: "subscription_item",
            price: { id: priceId, object: "price", unit_amount: amount, currency },
            current_period_start: created,
            current_period_end: created + 30 * 86400,
          },
        ],
      },
    };
    this.subscriptions.set(String(sub.id), sub);
    const invoice = this.addInvoice(String(sub.id), "paid");
    Object.assign(s, { status: "complete", payment_status: "paid", subscription: sub.id });
    return { session: s, subscription: sub, invoice };
  }

  /** A new invoice for a subscription (a renewal or a failed attempt), with its card charge. */
  addInvoice(subscriptionId: string, status: "paid" | "open") {
    const sub = this.subscriptions.get(subscriptionId)!;
    const item = ((sub.items as Obj).data as Obj[])[0]!;
    const price = item.price as Obj;
    const invoice: Obj = {
      id: id("in"),
      object: "invoice",
      customer: sub.customer,
      status,
      number: `FAKE-${counter.toString().padStart(4, "0")}`,
      currency: price.currency,
      amount_due: price.unit_amount,
      amount_paid: status === "paid" ? price.unit_amount : 0,
      created: nowSec(),
      period_start: item.current_period_start,
      period_end: item.current_period_end,
      hosted_invoice_url: `https://invoice.stripe.com/i/${id("acct")}`,
      invoice_pdf: `https://pay.stripe.com/invoice/${id("acct")}/pdf`,
      parent: { type: "subscription_details", subscription_details: { subscription: sub.id, metadata: sub.metadata } },
      livemode: false,
    };
    this.invoices.set(String(invoice.id), invoice);
    const charge: Obj = {
      id: id("ch"),
      object: "charge",
      amount: price.unit_amount,
      amount_refunded: 0,
      currency: price.currency,
      customer: sub.customer,
      status: status === "paid" ? "succeeded" : "failed",
      paid: status === "paid",
      created: nowSec(),
      description: "Subscription creation",
      receipt_url: `https://pay.stripe.com/receipts/${id("rcpt")}`,
      payment_method_details: { type: "card", card: { brand: "visa", last4: status === "paid" ? "4242" : "0341" } },
      livemode: false,
    };
    this.charges.set(String(charge.id), charge);
    return invoice;
  }

  updateSubscription(subId: string, patch: Obj) {
    const sub = this.subscriptions.get(subId);
    if (!sub) throw new Error(`no subscription ${subId}`);
    Object.assign(sub, patch);
    return structuredClone(sub);
  }

  setPrice(subId: string, priceId: string) {
    const sub = this.subscriptions.get(subId)!;
    const item = ((sub.items as Obj).data as Obj[])[0]!;
    item.price = { ...(item.price as Obj), id: priceId };
    return structuredClone(sub);
  }

  /** A Stripe event envelope around a snapshot of `object`. */
  event(type: string, object: Obj, created = nowSec()) {
    return {
      id: id("evt"),
      object: "event",
      api_version: "2026-10-28.endive",
      created,
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    };
  }
}

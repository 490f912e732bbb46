import type { FC } from "hono/jsx";
import type { ProductLine } from "../db/schema";
import type { PublicPlan } from "../plans/schemas";
import { ConnectBanner, GoogleButton } from "../connect/views";

export const LINE_LABEL: Record<ProductLine, string> = { gallery: "Client Gallery", drive: "Drive", messaging: "Messaging" };
const TYPE_LABEL = { clientGallery: "Client Gallery", drive: "Drive", messaging: "Messaging" } as const;

export function formatBytes(n: number): string {
  if (n <= 0) return "—";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}

export const money = (price: number) => (price === 0 ? "Free" : `$${price % 1 === 0 ? price : price.toFixed(2)}`);

export const PlanCard: FC<{ plan: PublicPlan }> = ({ plan }) => (
  <div class="card" data-plan-id={plan.id}>
    <h3>{plan.name}</h3>
    <div class="price">
      {money(plan.price)} {plan.price > 0 ? <small>/ {plan.billingPeriod === "annual" ? "year" : "month"}</small> : null}
    </div>
    <p class="muted">{plan.description}</p>
    <ul class="features">
      {plan.features.map((f) => (
        <li>{f}</li>
      ))}
    </ul>
    <p>
      <a class="btn small" href={`/register?plan=${encodeURIComponent(plan.id)}`}>
        Choose {plan.name}
      </a>
    </p>
  </div>
);

export const PlansByLine: FC<{ plans: PublicPlan[] }> = ({ plans }) => (
  <>
    {(["clientGallery", "drive", "messaging"] as const).map((t) => (
      <section aria-labelledby={`plans-${t}`}>
        <h2 id={`plans-${t}`}>{TYPE_LABEL[t]}</h2>
        <div class="grid cols3">
          {plans
            .filter((p) => p.planType === t)
            .map((p) => (
              <PlanCard plan={p} />
            ))}
        </div>
      </section>
    ))}
  </>
);

export const Landing: FC<{ plans: PublicPlan[] }> = ({ plans }) => (
  <>
    <section class="hero">
      <h1>One account for client galleries, files and AI chat.</h1>
      <p class="muted">
        Deliver photos to clients, keep files in a Drive with a Recycle Bin, and answer shoppers with an AI agent trained on
        your knowledge. Integrate everything through one API.
      </p>
      <div class="row">
        <a class="btn" href="/register">
          Create a free account
        </a>
        <a class="btn secondary" href="/docs">
          Read the API reference
        </a>
      </div>
    </section>
    <div id="pricing">
      <PlansByLine plans={plans} />
    </div>
  </>
);

export const ErrorAlert: FC<{ message?: string | null }> = ({ message }) =>
  message ? (
    <div class="alert error" role="alert">
      {message}
    </div>
  ) : null;

/** A product line's storage card: used of limit (files and uploads in progress) as text and a meter. */
export const StorageMeter: FC<{ usedBytes: number; limitBytes: number; style: string }> = ({ usedBytes, limitBytes, style }) => {
  const pct = limitBytes > 0 ? Math.min(100, Math.round((usedBytes / limitBytes) * 1000) / 10) : 100;
  return (
    <div class="card" data-testid="storage-meter" style={style}>
      <div class="row" style="justify-content:space-between">
        <strong>Storage</strong>
        <span class="muted">
          {usedBytes > 0 ? formatBytes(usedBytes) : "0 B"} of {formatBytes(limitBytes)} used ({pct}%)
        </span>
      </div>
      <div class="meter" role="meter" aria-label="Storage used" aria-valuemin={0} aria-valuemax={limitBytes} aria-valuenow={usedBytes}>
        <span style={`width:${pct}%`} />
      </div>
    </div>
  );
};

export const LoginForm: FC<{ error?: string | null; email?: string; next?: string; connectApp?: string | null; googleUrl?: string | null }> = ({
  error,
  email,
  next,
  connectApp,
  googleUrl,
}) => (
  <div class="card" style="max-width:460px;margin:0 auto">
    <h1>Log in</h1>
    <ConnectBanner name={connectApp} />
    <ErrorAlert message={error} />
    <form class="stack" method="post" action="/login">
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <label>
        Email
        <input type="email" name="email" autocomplete="email" required maxlength={254} value={email ?? ""} />
      </label>
      <label>
        Password
        <input type="password" name="password" autocomplete="current-password" required maxlength={128} />
      </label>
      <button class="btn" type="submit">
        Log in
      </button>
    </form>
    <GoogleButton href={googleUrl} />
    <p class="muted">
      New here? <a href="/register">Create an account</a>
    </p>
  </div>
);

export interface RegisterFormProps {
  plans: PublicPlan[];
  error?: string | null;
  values?: { email?: string; displayName?: string; accountType?: string; planId?: string };
  connectApp?: string | null;
  googleUrl?: string | null;
  /** Embedded connect fixes the product line to the app's. */
  lockedType?: "studio" | "drive" | "messaging";
}

export const RegisterForm: FC<RegisterFormProps> = ({ plans, error, values = {}, connectApp, googleUrl, lockedType }) => {
  const accountType = values.accountType ?? "studio";
  const typeOf = { studio: "clientGallery", drive: "drive", messaging: "messaging" } as const;
  return (
    <div class="card" style="max-width:520px;margin:0 auto">
      <h1>Create your account</h1>
      <ConnectBanner name={connectApp} />
      <ErrorAlert message={error} />
      <form class="stack" method="post" action="/register">
        <label>
          Email
          <input type="email" name="email" autocomplete="email" required maxlength={254} value={values.email ?? ""} />
        </label>
        <label>
          Password <span class="muted">(8 to 128 characters)</span>
          <input type="password" name="password" autocomplete="new-password" required minlength={8} maxlength={128} />
        </label>
        <label>
          Studio, shop or display name
          <input type="text" name="displayName" required maxlength={100} value={values.displayName ?? ""} />
        </label>
        <fieldset>
          <legend>Product</legend>
          {(["studio", "drive", "messaging"] as const).map((t) => (
            <label>
              <input type="radio" name="accountType" value={t} checked={accountType === t} disabled={!!lockedType && lockedType !== t} />
              {t === "studio" ? "Client Gallery (studios)" : t === "drive" ? "Drive (files)" : "Messaging (AI chat)"}
            </label>
          ))}
        </fieldset>
        <label>
          Plan
          <select name="planId">
            <option value="">Free plan of the chosen product</option>
            {(["studio", "drive", "messaging"] as const).map((t) => (
              <optgroup label={t === "studio" ? "Client Gallery" : t === "drive" ? "Drive" : "Messaging"}>
                {plans
                  .filter((p) => p.planType === typeOf[t])
                  .map((p) => (
                    <option value={p.id} selected={values.planId === p.id}>
                      {`${p.name} — ${money(p.price)}${p.price > 0 ? (p.billingPeriod === "annual" ? "/yr" : "/mo") : ""}`}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </label>
        <button class="btn" type="submit">
          Create account
        </button>
      </form>
      <GoogleButton href={googleUrl} />
      <p class="muted">
        Already have an account? <a href="/login">Log in</a>
      </p>
    </div>
  );
};

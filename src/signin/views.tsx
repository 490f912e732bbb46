import type { Context } from "hono";
import type { FC } from "hono/jsx";
import { ACCOUNT_TYPE_OF_PLAN_TYPE, type AccountType } from "../accounts/schemas";
import { activeConnect } from "../connect/flow";
import type { AppEnv } from "../env";
import type { PublicPlan } from "../plans/schemas";
import { googleEnabled } from "./google";
import { ErrorAlert, money } from "../ui/views";

const TYPE_LABEL = { clientGallery: "Client Gallery", drive: "Drive", messaging: "Messaging" } as const;

/** What the login and register pages need to know about connect and Google sign-in. */
export interface ConnectPageInfo {
  connectApp: string | null;
  googleUrl: string | null;
  planId?: string;
  lockedType?: AccountType;
}

export async function connectPageInfo(c: Context<AppEnv>): Promise<ConnectPageInfo> {
  const active = await activeConnect(c);
  return {
    connectApp: active?.app.name ?? null,
    googleUrl: googleEnabled(c.env) ? "/api/auth/google" : null,
    planId: active?.flow.planId,
    lockedType: active ? ACCOUNT_TYPE_OF_PLAN_TYPE[active.app.productType] : undefined,
  };
}

/** "You are connecting to <app>" copy on the login and register pages. */
export const ConnectBanner: FC<{ name?: string | null }> = ({ name }) =>
  name ? (
    <div class="alert" role="status" data-testid="connect-banner" style="background:#eef2ff;color:#3730a3">
      You are connecting your GellHub account to <strong>{name}</strong>. After you continue, you will return to {name}.
    </div>
  ) : null;

export const GoogleButton: FC<{ href?: string | null }> = ({ href }) =>
  href ? (
    <p>
      <a class="btn secondary" href={href} data-testid="google-sign-in">
        Continue with Google
      </a>
    </p>
  ) : null;

/** Signed-in user arriving through connect: confirm instead of logging in again. */
export const ContinueAs: FC<{ appName: string; email: string }> = ({ appName, email }) => (
  <div class="card" style="max-width:460px;margin:0 auto">
    <h1>Connect to {appName}</h1>
    <ConnectBanner name={appName} />
    <p>
      You are signed in as <strong>{email}</strong>.
    </p>
    <div class="row">
      <form method="post" action="/integrations/connect/continue">
        <button class="btn" type="submit">
          Continue as {email}
        </button>
      </form>
      <form method="post" action="/integrations/connect/cancel">
        <button class="btn secondary" type="submit">
          Cancel
        </button>
      </form>
    </div>
  </div>
);

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
  lockedType?: AccountType;
}

export const RegisterForm: FC<RegisterFormProps> = ({ plans, error, values = {}, connectApp, googleUrl, lockedType }) => {
  const accountType = values.accountType ?? "studio";
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
                  .filter((p) => ACCOUNT_TYPE_OF_PLAN_TYPE[p.planType] === t)
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

import type { Context } from "hono";
import type { FC } from "hono/jsx";
import { googleEnabled } from "../accounts/google";
import type { AppEnv } from "../env";
import { activeConnect } from "./flow";

const ACCOUNT_TYPE = { clientGallery: "studio", drive: "drive", messaging: "messaging" } as const;

/** What the login and register pages need to know about connect and Google sign-in. */
export interface ConnectPageInfo {
  connectApp: string | null;
  googleUrl: string | null;
  planId?: string;
  lockedType?: "studio" | "drive" | "messaging";
}

export async function connectPageInfo(c: Context<AppEnv>): Promise<ConnectPageInfo> {
  const active = await activeConnect(c);
  return {
    connectApp: active?.app.name ?? null,
    googleUrl: googleEnabled(c.env) ? "/api/auth/google" : null,
    planId: active?.flow.planId,
    lockedType: active ? ACCOUNT_TYPE[active.app.productType] : undefined,
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

/** Stripe Checkout's cancel_url during connect: retry payment or leave the flow. */
export const CheckoutCancelled: FC<{ appName: string | null }> = ({ appName }) => (
  <div class="card" style="max-width:520px;margin:0 auto">
    <h1>Checkout cancelled</h1>
    {appName ? (
      <>
        <p class="muted">You have not been connected to {appName} yet: the plan it asked for needs a payment first.</p>
        <div class="row">
          <form method="post" action="/integrations/connect/continue">
            <button class="btn" type="submit">
              Try payment again
            </button>
          </form>
          <form method="post" action="/integrations/connect/cancel">
            <button class="btn secondary" type="submit">
              Stop connecting
            </button>
          </form>
        </div>
      </>
    ) : (
      <p class="muted">Checkout was cancelled. Nothing was charged.</p>
    )}
  </div>
);

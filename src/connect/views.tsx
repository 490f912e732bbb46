import type { FC } from "hono/jsx";

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

import type { FC } from "hono/jsx";
import { LEVEL_TEXT } from "./share-email-view";

/** The gallery page's "Share by email" form (manage access): email and the manage checkbox. */
export const ShareByEmail: FC<{ action: string }> = ({ action }) => (
  <form method="post" action={action} class="stack" aria-label="Share by email" style="margin-top:16px">
    <h3 style="margin:0">Share by email</h3>
    <label>
      Email
      <input type="email" name="email" required maxlength={254} autocomplete="off" />
    </label>
    <label style="display:flex;gap:8px;align-items:center;font-weight:400">
      <input type="checkbox" name="manage" value="true" /> Can manage (edit and share)
    </label>
    <p class="muted" style="margin:0">
      They get an email with a single-use link (7 days). <a href="/dashboard/emails">Sent emails</a>
    </p>
    <div>
      <button class="btn small" type="submit">
        Share by email
      </button>
    </div>
  </form>
);

export interface AcceptShareProps {
  token: string;
  studio: string;
  gallery: string;
  email: string;
  level: "read" | "write" | "manage";
  /** The signed-in profile's email, if any. */
  signedInAs: string | null;
  /** Whether a login with the invited email exists (sign in) or not (register). */
  accountExists: boolean;
  error?: string | null;
  displayName?: string;
}

/** The invited email, shown and fixed: the link decides it, the form never sends it. */
const InvitedEmail: FC<{ email: string }> = ({ email }) => (
  <label>
    Email
    <input type="email" value={email} readonly aria-readonly="true" />
  </label>
);

/**
 * The page a share link opens (GET spends nothing): who shared what, then either Accept (signed
 * in with the invited email), or sign in / create an account with that email, each of which
 * accepts in the same step.
 */
export const AcceptSharePage: FC<AcceptShareProps> = (p) => {
  const action = `/share/${p.token}`;
  const same = p.signedInAs !== null && p.signedInAs === p.email;
  return (
    <div class="card" style="max-width:560px" data-testid="accept-share">
      <h1>
        {p.studio} shared “{p.gallery}” with you
      </h1>
      <p>
        You can {LEVEL_TEXT[p.level]} this gallery. The invitation is for <strong>{p.email}</strong>.
      </p>
      {p.error ? (
        <p class="alert error" role="alert">
          {p.error}
        </p>
      ) : null}
      {same ? (
        <form method="post" action={action} aria-label="Accept">
          <input type="hidden" name="action" value="accept" />
          <button class="btn" type="submit">
            Accept and open the gallery
          </button>
        </form>
      ) : (
        <>
          {p.signedInAs ? (
            <p class="muted" data-testid="other-account">
              You are signed in as {p.signedInAs}. To accept, continue with {p.email}; that signs you out of {p.signedInAs}.
            </p>
          ) : null}
          {p.accountExists ? (
            <form method="post" action={action} class="stack" aria-label="Sign in and accept">
              <h2 style="margin:8px 0 0">Sign in</h2>
              <input type="hidden" name="action" value="login" />
              <InvitedEmail email={p.email} />
              <label>
                Password
                <input type="password" name="password" required autocomplete="current-password" />
              </label>
              <div>
                <button class="btn" type="submit">
                  Sign in and accept
                </button>
              </div>
            </form>
          ) : (
            <form method="post" action={action} class="stack" aria-label="Create account and accept">
              <h2 style="margin:8px 0 0">Create your account</h2>
              <input type="hidden" name="action" value="register" />
              <InvitedEmail email={p.email} />
              <label>
                Your name
                <input type="text" name="displayName" required maxlength={100} value={p.displayName ?? ""} autocomplete="name" />
              </label>
              <label>
                Password
                <input type="password" name="password" required minlength={8} maxlength={128} autocomplete="new-password" />
              </label>
              <p class="muted" style="margin:0">Your account comes with a free Client Gallery of your own.</p>
              <div>
                <button class="btn" type="submit">
                  Create account and accept
                </button>
              </div>
            </form>
          )}
        </>
      )}
    </div>
  );
};

/** A link that is unknown, used, replaced or expired. */
export const InvalidSharePage: FC<{ state: "unknown" | "used" | "expired" | "revoked" }> = ({ state }) => (
  <div class="card" style="max-width:560px" data-testid="invalid-share">
    <h1>This link is no longer valid</h1>
    <p class="muted">
      {state === "used"
        ? "It was already used. If that was you, the gallery is under Shared with me."
        : state === "expired"
          ? "It expired. Ask the studio to share the gallery again."
          : state === "revoked"
            ? "A newer invitation replaced it: use the link in the latest email."
            : "Check that you copied the whole link from the email."}
    </p>
    <p>
      <a href="/dashboard/shared">Shared with me</a>
    </p>
  </div>
);

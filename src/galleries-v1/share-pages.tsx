import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { secureHeaders } from "hono/secure-headers";
import { LoginBody, RegisterBody } from "../accounts/schemas";
import { authenticate, hasAccount, registerAccount } from "../accounts/service";
import type { AppEnv } from "../env";
import { currentProfile } from "../platform/auth";
import { ApiError } from "../platform/errors";
import { completeSignIn } from "../signin/complete";
import { formText, runFormAction, type FormBody } from "../ui/form";
import { Layout } from "../ui/layout";
import type { Actor } from "./access";
import { acceptShareLink, findShareLink, linkInvalid, sendSoon, ShareParams, shareViaEmail } from "./share-email";
import { AcceptSharePage, InvalidSharePage } from "./share-views";

/** The page a share link opens, `/share/<token>`: GET shows it (spends nothing), POST accepts. */
export const sharePages = new Hono<AppEnv>();

// The token is in the path: never sent to another site as a Referer ("same-origin": with
// "no-referrer" browsers send `Origin: null` on the form POST, which the origin guard refuses),
// never cached, never framed.
sharePages.use(
  "/share/*",
  secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'self'"], scriptSrc: ["'none'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", "data:"], frameAncestors: ["'none'"] },
    referrerPolicy: "same-origin",
  }),
  async (c, next) => {
    await next();
    c.header("Cache-Control", "no-store");
  },
);

async function renderShare(c: Context<AppEnv>, token: string, opts: { error?: string | null; status?: ContentfulStatusCode; form?: FormBody } = {}) {
  const db = c.var.db;
  const [found, user] = await Promise.all([findShareLink(db, token, Date.now()), currentProfile(c)]);
  if (!found || found.state !== "valid") {
    return c.html(
      <Layout title="Invitation" user={user}>
        <InvalidSharePage state={found?.state === "valid" || !found ? "unknown" : found.state} />
      </Layout>,
      found ? 410 : 404,
    );
  }
  return c.html(
    <Layout title="Invitation" user={user}>
      <AcceptSharePage
        token={token}
        studio={found.studio}
        gallery={found.gallery}
        email={found.link.email}
        level={found.link.level}
        signedInAs={user?.email ?? null}
        accountExists={await hasAccount(db, found.link.email)}
        error={opts.error}
        displayName={opts.form ? formText(opts.form.displayName) : undefined}
      />
    </Layout>,
    opts.status ?? 200,
  );
}

sharePages.get("/share/:token", (c) => renderShare(c, c.req.param("token")));

/**
 * Accepting: `action=accept` for a browser signed in with the invited email, `login` (password
 * of that email) or `register` (a new account with that email, free Client Gallery plan). Sign-in
 * and registration end in completeSignIn like every other entry point; then the link is spent and
 * the browser lands on the gallery (303).
 */
sharePages.post("/share/:token", (c) => {
  const token = c.req.param("token");
  return runFormAction(c, {
    run: async (form) => {
      const db = c.var.db;
      const found = await findShareLink(db, token, Date.now());
      if (!found || found.state !== "valid") throw linkInvalid();
      const email = found.link.email;
      const action = formText(form.action);
      let profile: { id: string; email: string } | null;
      if (action === "login") {
        const body = LoginBody.parse({ email, password: formText(form.password) });
        profile = await authenticate(db, body.email, body.password, c.req.header("cf-connecting-ip") ?? "local", Date.now(), c.env.PASSWORD_PEPPER);
        await completeSignIn(c, profile.id, "login");
      } else if (action === "register") {
        const body = RegisterBody.parse({ email, password: formText(form.password), displayName: formText(form.displayName), accountType: "studio" });
        const created = await registerAccount(db, body, Date.now(), c.env.PASSWORD_PEPPER);
        await completeSignIn(c, created.profileId, "register", created.sessionRaw);
        profile = { id: created.profileId, email };
      } else {
        profile = await currentProfile(c);
        if (!profile) throw new ApiError("unauthenticated", "Sign in to accept the invitation");
      }
      const { galleryId } = await acceptShareLink(db, token, profile, Date.now());
      return c.redirect(`/dashboard/galleries/${galleryId}`, 303);
    },
    onError: ({ message, status, error }, form) => {
      if (error instanceof ApiError && error.code === "share_link_invalid") return renderShare(c, token);
      return renderShare(c, token, { error: message, status, form });
    },
  });
});

/** The gallery page's "Share by email" form: the API's rules, the page's session and actor. */
export async function shareFromPage(c: Context<AppEnv>, actor: Actor, galleryId: string, form: FormBody) {
  const now = Date.now();
  const input = ShareParams.parse({ email: formText(form.email), manage: form.manage === undefined ? undefined : formText(form.manage) });
  const shared = await shareViaEmail(c.var.db, c.env, actor, galleryId, { email: input.email, manage: input.manage ?? false }, { origin: new URL(c.req.url).origin, now });
  sendSoon((p) => c.executionCtx.waitUntil(p), c.var.db, c.env, shared, now);
}

import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { profileForGoogleIdentity } from "../accounts/google-identity";
import { ACCOUNT_TYPE_OF_PLAN_TYPE } from "../accounts/schemas";
import { activeConnect } from "../connect/flow";
import type { AppEnv, Env } from "../env";
import { timingSafeEqualStr } from "../platform/crypto";
import { ApiError } from "../platform/errors";
import { authorizationUrl, discover, GOOGLE_ISSUER, newAuthRequest, redeemCode, type VerifiedIdentity } from "../platform/oidc/client";
import { clearSealedCookie, readSealedCookie, setSealedCookie } from "../platform/oidc/sealed-cookie";
import { createRouter } from "../platform/openapi";
import { renderErrorPage } from "../ui/error";
import { completeSignIn } from "./complete";

export const googleRoutes = createRouter();

const OIDC_COOKIE = "gh_oidc";
const OIDC_PURPOSE = "gellhub:oidc:google";
const OIDC_COOKIE_PATH = "/api/auth/google";

/** True when Google sign-in is configured; the UI hides the button otherwise. */
export function googleEnabled(env: Env): boolean {
  return !!(env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET);
}

function config(env: Env) {
  return { issuer: env.OIDC_ISSUER || GOOGLE_ISSUER, clientId: env.GOOGLE_CLIENT_ID!, clientSecret: env.GOOGLE_CLIENT_SECRET! };
}

const callbackUrl = (c: Context<AppEnv>) => `${new URL(c.req.url).origin}/api/auth/google/callback`;
const failPage = (c: Context<AppEnv>, status: number, message: string) => {
  c.header("Cache-Control", "no-store");
  c.header("Referrer-Policy", "no-referrer");
  return renderErrorPage(c, status, "Google sign-in failed", message);
};
/** What the sign-in start remembers in its signed cookie until the callback. */
const OidcCookie = z.object({ state: z.string(), nonce: z.string(), verifier: z.string() });
const redirectResponse = { description: "Redirect", headers: { Location: { schema: { type: "string" as const } } } };
const htmlError = { description: "Error page (HTML)", content: { "text/html": { schema: z.string() } } };

googleRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/auth/google",
    tags: ["Accounts"],
    summary: "Sign in with Google (OpenID Connect, authorization code + PKCE)",
    description: "Redirects to the provider. 404 page when Google sign-in is not configured.",
    responses: { 302: redirectResponse, 404: htmlError },
  }),
  async (c) => {
    if (!googleEnabled(c.env)) return failPage(c, 404, "Google sign-in is not configured on this server.");
    const cfg = config(c.env);
    const meta = await discover(cfg.issuer);
    const req = await newAuthRequest();
    await setSealedCookie(
      c,
      OIDC_COOKIE,
      { state: req.state, nonce: req.nonce, verifier: req.verifier },
      { purpose: OIDC_PURPOSE, maxAgeSeconds: 600, path: OIDC_COOKIE_PATH },
    );
    c.header("Cache-Control", "no-store");
    return c.redirect(authorizationUrl(meta, { clientId: cfg.clientId, redirectUri: callbackUrl(c), ...req }), 302);
  },
);

googleRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/auth/google/callback",
    tags: ["Accounts"],
    summary: "OpenID Connect callback",
    description:
      "Checks state against the signed cookie, redeems the code with the PKCE verifier, verifies the ID token (JWKS, issuer, " +
      "audience, nonce), signs the browser in and redirects to the dashboard, or to the partner when embedded connect is active.",
    request: {
      query: z.object({
        code: z.string().max(2000).optional(),
        state: z.string().max(200).optional(),
        error: z.string().max(200).optional(),
      }),
    },
    responses: { 302: redirectResponse, 400: htmlError, 404: htmlError },
  }),
  async (c) => {
    if (!googleEnabled(c.env)) return failPage(c, 404, "Google sign-in is not configured on this server.");
    const q = c.req.valid("query");
    const sealed = OidcCookie.safeParse(await readSealedCookie(c, OIDC_COOKIE, OIDC_PURPOSE));
    const saved = sealed.success ? sealed.data : null;
    clearSealedCookie(c, OIDC_COOKIE, OIDC_COOKIE_PATH);
    if (!saved) {
      return failPage(c, 400, "The sign-in request expired or did not start here. Please try again.");
    }
    if (q.error) return failPage(c, 400, "Google sign-in was cancelled.");
    if (!q.code || !q.state || !(await timingSafeEqualStr(q.state, saved.state))) {
      return failPage(c, 400, "The sign-in response did not match this browser's request.");
    }
    const cfg = config(c.env);
    let identity: VerifiedIdentity;
    try {
      const meta = await discover(cfg.issuer);
      identity = await redeemCode(cfg, meta, { code: q.code, redirectUri: callbackUrl(c), verifier: saved.verifier, nonce: saved.nonce });
    } catch (err) {
      console.error(JSON.stringify({ requestId: c.get("requestId"), msg: "google sign-in failed", error: String(err) }));
      return failPage(c, 400, "Google's answer could not be verified.");
    }
    let who: Awaited<ReturnType<typeof profileForGoogleIdentity>>;
    try {
      const connect = await activeConnect(c);
      const accountType = connect ? ACCOUNT_TYPE_OF_PLAN_TYPE[connect.app.productType] : "studio";
      who = await profileForGoogleIdentity(c.var.db, identity, accountType, Date.now(), c.env.PASSWORD_PEPPER);
    } catch (err) {
      const known = err instanceof ApiError && (err.code === "google_email_unverified" || err.code === "google_linked_elsewhere");
      if (known && typeof err.detail === "string") return failPage(c, err.status, err.detail);
      throw err;
    }
    const to = await completeSignIn(c, who.profileId, who.created ? "register" : "login", who.sessionRaw);
    c.header("Cache-Control", "no-store");
    return c.redirect(to ?? "/dashboard", 302);
  },
);

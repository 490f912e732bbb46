import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { and, eq, isNull } from "drizzle-orm";
import { activeConnect, connectRedirectFor } from "../connect/flow";
import { profiles } from "../db/schema";
import type { AppEnv, Env } from "../env";
import { renderErrorPage } from "../pages/error";
import { createSession, destroySession, readSessionCookie, setSessionCookie } from "../platform/auth";
import { timingSafeEqualStr } from "../platform/crypto";
import { randomToken } from "../platform/ids";
import { authorizationUrl, discover, GOOGLE_ISSUER, newAuthRequest, redeemCode, type VerifiedIdentity } from "../platform/oidc/client";
import { clearSealedCookie, readSealedCookie, setSealedCookie } from "../platform/oidc/sealed-cookie";
import { createRouter } from "../platform/openapi";
import type { AccountType } from "./schemas";
import { registerAccount } from "./service";

export const googleRoutes = createRouter();

const OIDC_COOKIE = "gh_oidc";
const OIDC_PURPOSE = "gellhub:oidc:google";
const OIDC_COOKIE_PATH = "/api/auth/google";
const ACCOUNT_TYPE_OF_PLAN_TYPE = { clientGallery: "studio", drive: "drive", messaging: "messaging" } as const;

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

/** Finds the profile for a Google identity: by subject, else by verified email (linking it), else creates one. */
async function profileFor(c: Context<AppEnv>, id: VerifiedIdentity): Promise<{ profileId: string; created: boolean; sessionRaw?: string }> {
  const db = c.var.db;
  const bySubject = await db.select({ id: profiles.id }).from(profiles).where(eq(profiles.googleSubject, id.subject)).get();
  if (bySubject) return { profileId: bySubject.id, created: false };
  if (!id.email || !id.emailVerified) throw new Error("unverified_email");
  const byEmail = await db.select({ id: profiles.id, googleSubject: profiles.googleSubject }).from(profiles).where(eq(profiles.email, id.email)).get();
  if (byEmail) {
    const res = await db
      .update(profiles)
      .set({ googleSubject: id.subject })
      .where(and(eq(profiles.id, byEmail.id), isNull(profiles.googleSubject)))
      .run();
    if (res.meta.changes !== 1) throw new Error("linked_elsewhere");
    return { profileId: byEmail.id, created: false };
  }
  const connect = await activeConnect(c);
  const accountType: AccountType = connect ? ACCOUNT_TYPE_OF_PLAN_TYPE[connect.app.productType] : "studio";
  const displayName = (id.name ?? id.email.split("@")[0] ?? "GellHub user").slice(0, 100) || "GellHub user";
  // A random password nobody knows, cleared right after: Google-only accounts have no password.
  const result = await registerAccount(db, { email: id.email, password: randomToken(32), displayName, accountType }, Date.now(), c.env.PASSWORD_PEPPER);
  await db.update(profiles).set({ googleSubject: id.subject, passwordHash: null }).where(eq(profiles.id, result.profileId));
  return { profileId: result.profileId, created: true, sessionRaw: result.sessionRaw };
}

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
    const saved = await readSealedCookie(c, OIDC_COOKIE, OIDC_PURPOSE);
    clearSealedCookie(c, OIDC_COOKIE, OIDC_COOKIE_PATH);
    if (!saved || typeof saved.state !== "string" || typeof saved.nonce !== "string" || typeof saved.verifier !== "string") {
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
    let who: Awaited<ReturnType<typeof profileFor>>;
    try {
      who = await profileFor(c, identity);
    } catch (err) {
      const msg = String((err as Error).message);
      if (msg === "unverified_email") return failPage(c, 400, "Google has not verified this email address.");
      if (msg === "linked_elsewhere") return failPage(c, 400, "This email is already linked to another Google account.");
      throw err;
    }
    const now = Date.now();
    const previous = readSessionCookie(c);
    if (previous) await destroySession(c.var.db, previous);
    setSessionCookie(c, who.sessionRaw ?? (await createSession(c.var.db, who.profileId, now)));
    c.set("auth", { profileId: who.profileId, via: "session" });
    const to = await connectRedirectFor(c, who.profileId, who.created ? "register" : "login");
    c.header("Cache-Control", "no-store");
    return c.redirect(to ?? "/dashboard", 302);
  },
);


import { createRoute, z } from "@hono/zod-openapi";
import { LoginBody, RegisterBody, RegisterResponse } from "../accounts/schemas";
import { authenticate, registerAccount } from "../accounts/service";
import { checkoutAfterRegister } from "../billing/service";
import { isSameOrigin } from "../platform/http";
import { createRouter, errorResponses, jsonBody, jsonResponse } from "../platform/openapi";
import { completeSignIn, signOut } from "./complete";

/** The sign-in edge's JSON API: register, login, logout. */
export const signinRoutes = createRouter();

signinRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/register",
    tags: ["Accounts"],
    summary: "Create an account",
    description:
      "Creates the profile and its product space (studio, drive or messaging) and returns that line's API key once. " +
      "planId must belong to the account type's line. A same-site call also signs the browser in.",
    request: jsonBody(RegisterBody),
    responses: { 201: jsonResponse(RegisterResponse, "Created"), ...errorResponses(400, 409, 415) },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const result = await registerAccount(c.var.db, body, Date.now(), c.env.PASSWORD_PEPPER);
    // A cross-site caller (a partner's backend or page) gets keys, never our session cookie.
    // Same-site, embedded connect sends the browser back to the partner (or through checkout first).
    const connectRedirect = isSameOrigin(c.req.raw) ? await completeSignIn(c, result.profileId, "register", result.sessionRaw) : null;
    // Paid plan: start Stripe Checkout now (unless connect already routed it); the account exists either way.
    const billing =
      result.response.requiresPayment && !connectRedirect
        ? await checkoutAfterRegister(c.env, c.var.db, {
            profileId: result.profileId,
            planId: result.plan.id,
            successUrl: body.successUrl,
            cancelUrl: body.cancelUrl,
            origin: new URL(c.req.url).origin,
          })
        : {};
    return c.json({ ...(result.response as z.infer<typeof RegisterResponse>), ...billing, ...(connectRedirect ? { connectRedirect } : {}) }, 201);
  },
);

signinRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/login",
    tags: ["Accounts"],
    summary: "Sign in with email and password",
    description: "Sets the session cookie. Attempts are limited per email and per IP (429 with Retry-After).",
    request: jsonBody(LoginBody),
    responses: {
      200: jsonResponse(
        z.object({
          profileId: z.string(),
          email: z.string(),
          displayName: z.string(),
          connectRedirect: z.string().optional().openapi({ description: "Where to send the browser while embedded connect is active" }),
        }),
      ),
      ...errorResponses(400, 401, 403, 429),
    },
  }),
  async (c) => {
    const { email, password } = c.req.valid("json");
    const ip = c.req.header("cf-connecting-ip") ?? "local";
    const profile = await authenticate(c.var.db, email, password, ip, Date.now(), c.env.PASSWORD_PEPPER);
    const connectRedirect = await completeSignIn(c, profile.id, "login");
    return c.json({ profileId: profile.id, email: profile.email, displayName: profile.displayName, ...(connectRedirect ? { connectRedirect } : {}) }, 200);
  },
);

signinRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/logout",
    tags: ["Accounts"],
    summary: "Sign out (ends the session)",
    responses: { 200: jsonResponse(z.object({ ok: z.literal(true) })) },
  }),
  async (c) => {
    await signOut(c);
    return c.json({ ok: true as const }, 200);
  },
);

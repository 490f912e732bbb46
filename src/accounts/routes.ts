import { createRoute, z } from "@hono/zod-openapi";
import {
  clearSessionCookie,
  createSession,
  destroySession,
  readSessionCookie,
  requireKeyOrSession,
  requireSession,
  setSessionCookie,
} from "../platform/auth";
import { checkoutAfterRegister } from "../billing/service";
import { connectRedirectFor } from "../connect/flow";
import { isSameOrigin } from "../platform/http";
import { createRouter, errorResponses, jsonBody, jsonResponse } from "../platform/openapi";
import {
  AccountSchema,
  ApiKeySchema,
  CreatedKeySchema,
  CreateKeyBody,
  IdParam,
  LoginBody,
  ProductLineSchema,
  RegisterBody,
  RegisterResponse,
} from "./schemas";
import {
  authenticate,
  createApiKey,
  enableProductLine,
  getAccountOverview,
  listApiKeys,
  registerAccount,
  revokeApiKey,
  rotateApiKey,
} from "./service";

export const accountRoutes = createRouter();

const keyAuth: Record<string, string[]>[] = [{ ApiKey: [] }, { Session: [] }];

accountRoutes.openapi(
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
    if (isSameOrigin(c.req.raw)) setSessionCookie(c, result.sessionRaw);
    // Embedded connect: the browser goes back to the partner (or through checkout first).
    const connectRedirect = isSameOrigin(c.req.raw) ? await connectRedirectFor(c, result.profileId, "register") : null;
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

accountRoutes.openapi(
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
    const now = Date.now();
    const profile = await authenticate(c.var.db, email, password, ip, now, c.env.PASSWORD_PEPPER);
    const previous = readSessionCookie(c);
    if (previous) await destroySession(c.var.db, previous);
    setSessionCookie(c, await createSession(c.var.db, profile.id, now));
    const connectRedirect = await connectRedirectFor(c, profile.id, "login");
    return c.json({ profileId: profile.id, email: profile.email, displayName: profile.displayName, ...(connectRedirect ? { connectRedirect } : {}) }, 200);
  },
);

accountRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/logout",
    tags: ["Accounts"],
    summary: "Sign out (ends the session)",
    responses: { 200: jsonResponse(z.object({ ok: z.literal(true) })) },
  }),
  async (c) => {
    const raw = readSessionCookie(c);
    if (raw) await destroySession(c.var.db, raw);
    clearSessionCookie(c);
    return c.json({ ok: true as const }, 200);
  },
);

accountRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/account",
    tags: ["Accounts"],
    summary: "The calling account and its product lines",
    description: "Answers for any product key (x-api-key) or a dashboard session.",
    middleware: [requireKeyOrSession("any")] as const,
    security: keyAuth,
    responses: { 200: jsonResponse(AccountSchema), ...errorResponses(401) },
  }),
  async (c) => {
    const auth = c.var.auth;
    const overview = await getAccountOverview(c.var.db, auth.profileId);
    return c.json({ ...overview, authenticatedBy: auth.via, keyProductLine: auth.product }, 200);
  },
);

accountRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/account/product-lines",
    tags: ["Accounts"],
    summary: "Enable another product line (free plan) and get its first key once",
    middleware: [requireSession()] as const,
    security: [{ Session: [] }],
    request: jsonBody(z.object({ productLine: ProductLineSchema }).strict()),
    responses: {
      201: jsonResponse(z.object({ productLine: ProductLineSchema, spaceId: z.string(), key: z.string() }), "Enabled"),
      ...errorResponses(400, 401, 409),
    },
  }),
  async (c) => {
    const { productLine } = c.req.valid("json");
    const res = await enableProductLine(c.var.db, c.var.auth.profileId, productLine, Date.now());
    return c.json({ productLine, spaceId: res.spaceId, key: res.rawKey }, 201);
  },
);

accountRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/account/keys",
    tags: ["API keys"],
    summary: "List active API keys (prefix and last 4 only)",
    middleware: [requireSession()] as const,
    security: [{ Session: [] }],
    responses: { 200: jsonResponse(z.object({ keys: z.array(ApiKeySchema) })), ...errorResponses(401) },
  }),
  async (c) => c.json({ keys: await listApiKeys(c.var.db, c.var.auth.profileId) }, 200),
);

accountRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/account/keys",
    tags: ["API keys"],
    summary: "Create an API key (the full key is returned once)",
    middleware: [requireSession()] as const,
    security: [{ Session: [] }],
    request: jsonBody(CreateKeyBody),
    responses: { 201: jsonResponse(CreatedKeySchema, "Created"), ...errorResponses(400, 401, 409) },
  }),
  async (c) => {
    const { productLine, label } = c.req.valid("json");
    const key = await createApiKey(c.var.db, c.var.auth.profileId, productLine, label ?? "Dashboard", Date.now());
    return c.json(key, 201);
  },
);

accountRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/account/keys/{id}/rotate",
    tags: ["API keys"],
    summary: "Rotate a key: the old key stops working now, the new one is returned once",
    middleware: [requireSession()] as const,
    security: [{ Session: [] }],
    request: { params: IdParam },
    responses: { 200: jsonResponse(CreatedKeySchema), ...errorResponses(401, 404) },
  }),
  async (c) => c.json(await rotateApiKey(c.var.db, c.var.auth.profileId, c.req.valid("param").id, Date.now()), 200),
);

accountRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/api/account/keys/{id}",
    tags: ["API keys"],
    summary: "Revoke a key",
    middleware: [requireSession()] as const,
    security: [{ Session: [] }],
    request: { params: IdParam },
    responses: { 200: jsonResponse(z.object({ ok: z.literal(true) })), ...errorResponses(401, 404) },
  }),
  async (c) => {
    await revokeApiKey(c.var.db, c.var.auth.profileId, c.req.valid("param").id, Date.now());
    return c.json({ ok: true as const }, 200);
  },
);

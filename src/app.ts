import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { ZodError } from "zod";
import { accountRoutes } from "./accounts/routes";
import { adminFeature } from "./admin";
import { billingFeature } from "./billing";
import { connectFeature, publicPlansRoutes } from "./connect";
import { consoleFeature } from "./console";
import { getDb } from "./db";
import { ensureDemoData } from "./dev/seed";
import { driveFeature } from "./drive";
import type { AppEnv } from "./env";
import { clientGalleryFeature } from "./client-gallery";
import { galleryFeature } from "./gallery";
import { galleriesV1Feature } from "./galleries-v1";
import { mailFeature } from "./mail";
import { messagingFeature } from "./messaging";
import { signinFeature } from "./signin";
import { ApiError, type ErrorCode } from "./platform/errors";
import { jsonBodyOnly, limitBody, sameOriginOnly } from "./platform/http";
import { newId } from "./platform/ids";
import { zodDetail } from "./platform/openapi";
import { renderErrorPage } from "./ui/error";

/**
 * Routes whose bodies are not (only) JSON: multipart uploads, raw webhook payloads, and the v1
 * galleries API, which Rails clients call with form fields (it caps its bodies itself), and the
 * public widget API (it checks the Origin first, then caps and types its bodies itself).
 */
const NON_JSON_ROUTES = [/^\/api\/upload$/, /^\/api\/drive\/upload$/, /^\/api\/webhooks\//, /^\/api\/v1\//, /^\/api\/messaging\/v1\/agents\/[^/]+\/sources\/upload$/, /^\/api\/messaging\/embed\//];
/** Routes that browsers may call cross-site without an API key (they set no cookie or need none). */
export const CROSS_SITE_ROUTES = [/^\/api\/register$/, /^\/api\/webhooks\//, /^\/api\/integrations\/connect\/(exchange|verify)$/, /^\/api\/messaging\/embed\//, /^\/storage\/s3\//];

const JSON_BODY_LIMIT = 1024 * 1024;

function errorBody(c: Context<AppEnv>, code: ErrorCode, detail?: unknown) {
  return { error: code, ...(detail === undefined ? {} : { detail }), requestId: c.get("requestId") };
}

/** Builds the whole application: shared middleware, then each feature's routes. */
export function createApp() {
  const app = new OpenAPIHono<AppEnv>();

  app.use("*", async (c, next) => {
    c.set("requestId", c.req.header("cf-ray") ?? newId("req"));
    c.set("db", getDb(c.env.DB));
    if (c.env.DEMO_SEED === "true") await ensureDemoData(c.env, (job) => c.executionCtx.waitUntil(job));
    await next();
    c.header("X-Request-Id", c.get("requestId"));
  });

  // The public widget API answers CORS itself (only allowed origins, never `*`), the tus server too (its headers exposed).
  const apiCors = cors({
      origin: "*",
      allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
      allowHeaders: ["Content-Type", "x-api-key", "x-gellhub-integration-client-id", "x-gellhub-embed-id"],
      exposeHeaders: ["X-Request-Id", "Retry-After"],
      maxAge: 600,
    });
  app.use("/api/*", (c, next) => (c.req.path.startsWith("/api/messaging/embed/") || c.req.path.startsWith("/api/v1/uploads") ? next() : apiCors(c, next)));
  app.use("/api/*", async (c, next) => {
    const path = c.req.path;
    if (NON_JSON_ROUTES.some((r) => r.test(path))) return next();
    return limitBody(JSON_BODY_LIMIT, `JSON bodies are limited to ${JSON_BODY_LIMIT} bytes`)(c, async () => {
      await jsonBodyOnly()(c, next);
    });
  });
  app.use("*", async (c, next) => {
    if (CROSS_SITE_ROUTES.some((r) => r.test(c.req.path))) return next();
    return sameOriginOnly()(c, next);
  });

  app.get("/api/health", (c) => c.json({ ok: true }));
  // Clients that ask for /favicon.ico without reading the pages' <link rel="icon">.
  app.get("/favicon.ico", (c) => c.redirect("/favicon.svg", 301));
  app.route("/", publicPlansRoutes);
  app.route("/", accountRoutes);
  app.route("/", connectFeature);
  app.route("/", consoleFeature);
  app.route("/", adminFeature);
  app.route("/", billingFeature);
  app.route("/", galleryFeature);
  app.route("/", clientGalleryFeature);
  app.route("/", driveFeature);
  app.route("/", galleriesV1Feature);
  app.route("/", messagingFeature);
  app.route("/", mailFeature);
  app.route("/", signinFeature);

  app.openAPIRegistry.registerComponent("securitySchemes", "ApiKey", { type: "apiKey", in: "header", name: "x-api-key" });
  app.openAPIRegistry.registerComponent("securitySchemes", "Session", { type: "apiKey", in: "cookie", name: "gh_session" });
  app.openAPIRegistry.registerComponent("schemas", "Error", {
    type: "object",
    required: ["error"],
    properties: {
      error: { type: "string", description: "Stable machine code, e.g. invalid_request" },
      detail: { description: "Human-readable text or a list of validation issues" },
      requestId: { type: "string" },
    },
  });
  app.doc31("/api/openapi.json", (c) => ({
    openapi: "3.1.0",
    info: {
      title: "GellHub API",
      version: "1.0.0",
      description: "Client Gallery, Drive, Messaging, Billing and partner APIs. Authenticate with `x-api-key` (sk_…, drv_…, msg_…).",
    },
    servers: [{ url: new URL(c.req.url).origin }],
  }));

  app.notFound((c) => {
    if (c.req.path.startsWith("/api/")) return c.json(errorBody(c, "not_found", `No route ${c.req.method} ${c.req.path}`), 404);
    return renderErrorPage(c, 404, "Page not found", "The page you asked for does not exist.");
  });

  app.onError((err, c) => {
    const api = c.req.path.startsWith("/api/");
    let status: number;
    let code: ErrorCode;
    let detail: unknown;
    if (err instanceof ApiError) {
      status = err.status;
      code = err.code;
      detail = err.detail;
      for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v);
    } else if (err instanceof ZodError) {
      status = 400;
      code = "invalid_request";
      detail = zodDetail(err);
    } else if (err instanceof HTTPException && err.status < 500) {
      status = err.status;
      code = /malformed json/i.test(err.message) ? "invalid_json" : status === 413 ? "payload_too_large" : "invalid_request";
      detail = err.message || undefined;
    } else {
      console.error(JSON.stringify({ requestId: c.get("requestId"), error: String(err), stack: (err as Error)?.stack }));
      status = 500;
      code = "internal_error";
      detail = "Something went wrong on our side";
    }
    if (!api) return renderErrorPage(c, status, status === 404 ? "Not found" : "Something went wrong", typeof detail === "string" ? detail : code);
    return c.json(errorBody(c, code, detail), status as 400);
  });

  return app;
}

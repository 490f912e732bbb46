import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../platform/errors";
import { jsonBodyOnly, limitBody } from "../platform/http";
import { createRouter, errorResponses, jsonBody, jsonResponse } from "../platform/openapi";
import { relaySse } from "./chat";
import { allowedOriginOf, answerEvents, embedOriginGate, originAllowedSomewhere, refuseForeignOrigin, publicEmbedConfig, publicEmbedHistory, publicEmbedTurn } from "./embed-public";
import { StoredMessageSchema } from "./chat-schemas";
import { longText } from "./schemas";
import { skillUiDoc } from "./skills-ui";

/** The public widget API: no key, no cookies; the embed's Origin allowlist is enforced per request. */
export const embedPublicRoutes = createRouter();

const EMBED_PATHS = "/api/messaging/embed/*";
/** The widget sends one message a turn; the API's JSON cap (app.ts skips these paths so the Origin is checked first). */
export const EMBED_BODY_LIMIT = 64 * 1024;
const CORS_METHODS = "GET, POST, OPTIONS";
const CORS_HEADERS = "Content-Type, x-gellhub-embed-id";

// CORS of its own (the app's `*` skips these paths): a preflight echoes only an allowed Origin;
// every answer, errors included, carries `Vary: Origin` and the allowed Origin, never credentials.
embedPublicRoutes.use(EMBED_PATHS, async (c, next) => {
  if (c.req.method === "OPTIONS") {
    const origin = await originAllowedSomewhere(c.var.db, c);
    const headers: Record<string, string> = { Vary: "Origin" };
    if (origin) {
      Object.assign(headers, {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": CORS_METHODS,
        "Access-Control-Allow-Headers": CORS_HEADERS,
        "Access-Control-Max-Age": "600",
      });
    }
    return c.body(null, origin ? 204 : 403, headers);
  }
  // The Origin first (a foreign site gets 403 whatever its body), then the body's size and type.
  const checkBody = limitBody(EMBED_BODY_LIMIT, `Widget requests are limited to ${EMBED_BODY_LIMIT} bytes`);
  const idOutsideBody = c.req.header("x-gellhub-embed-id") ?? c.req.query("embedId");
  if (idOutsideBody !== undefined || c.req.method !== "POST") {
    await embedOriginGate(c, idOutsideBody);
    await checkBody(c, async () => {
      await jsonBodyOnly()(c, next);
    });
  } else {
    await refuseForeignOrigin(c);
    await checkBody(c, async () => {
      await embedOriginGate(c, await embedIdInBody(c));
      await jsonBodyOnly()(c, next);
    });
  }
  c.res.headers.append("Vary", "Origin");
  const origin = allowedOriginOf(c.req.raw);
  if (origin) {
    c.res.headers.set("Access-Control-Allow-Origin", origin);
    c.res.headers.set("Access-Control-Expose-Headers", "Retry-After");
  } else c.res.headers.delete("Access-Control-Allow-Origin");
  c.res.headers.set("Cache-Control", "no-store");
});

/** The `embedId` of a JSON body, if it has one (the gate's only peek at the body; validation comes after). */
async function embedIdInBody(c: Context<AppEnv>): Promise<string | undefined> {
  try {
    const body: unknown = await c.req.json();
    const id = body && typeof body === "object" ? (body as { embedId?: unknown }).embedId : undefined;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}

const EmbedId = z.string().regex(/^emb_[0-9A-Za-z]{1,64}$/, "an emb_… id");
const VisitorId = z.string().regex(/^[0-9A-Za-z_-]{8,128}$/, "8 to 128 letters, digits, _ or -");

const ConfigSchema = z
  .object({
    embedId: z.string(),
    chatTitle: z.string(),
    accentColor: z.string(),
    launcherIcon: z.string(),
    showLauncher: z.boolean(),
    greeting: z.string(),
    maxUserMessageChars: z.number().int(),
  })
  .openapi("EmbedConfig");

embedPublicRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/messaging/embed/v1/config",
    tags: ["Website widget"],
    summary: "Widget bootstrap: title, accent colour, launcher icon, greeting and the message length limit (Origin must be allowed)",
    request: { query: z.object({ embedId: EmbedId }) },
    responses: { 200: jsonResponse(ConfigSchema), ...errorResponses(400, 403, 404) },
  }),
  async (c) => c.json(await publicEmbedConfig(c, c.req.valid("query").embedId), 200),
);

const EmbedChatBody = z
  .object({
    embedId: EmbedId.optional(),
    visitorId: VisitorId,
    messages: z
      .array(z.object({ role: z.enum(["user", "assistant"]), content: longText(20_000, 1) }).strict())
      .min(1)
      .max(50),
    stream: z.boolean().optional().openapi({ description: "true (or Accept: text/event-stream): Server-Sent Events, `delta` events then `done` with the answer" }),
  })
  .openapi("EmbedChatRequest");

const Status = z.enum(["open", "handoff_requested", "human", "closed"]);

const EmbedAnswer = z
  .object({
    role: z.literal("assistant"),
    content: z.string(),
    ui: skillUiDoc.optional(),
    handoff: z.object({ requested: z.literal(true), url: z.string().optional() }).optional(),
    status: Status.optional(),
    unavailable: z.boolean().optional(),
  })
  .openapi("EmbedChatResponse");

embedPublicRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api/messaging/embed/v1/chat",
    tags: ["Website widget"],
    summary: "One bot turn for a website visitor (embed id in x-gellhub-embed-id or the body); the visitor's history stays on GellHub",
    request: { ...jsonBody(EmbedChatBody), headers: z.object({ "x-gellhub-embed-id": EmbedId.optional() }) },
    responses: {
      200: {
        description: "The assistant's answer (JSON, or Server-Sent Events when asked)",
        content: { "application/json": { schema: EmbedAnswer }, "text/event-stream": { schema: z.string() } },
      },
      ...errorResponses(400, 403, 404, 413, 415, 429, 502),
    },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const last = body.messages.at(-1)!;
    if (last.role !== "user") throw new ApiError("invalid_request", [{ path: "messages", message: "the last message must have role user" }]);
    const embedId = c.req.valid("header")["x-gellhub-embed-id"] ?? body.embedId;
    const stream = body.stream === true || /\btext\/event-stream\b/i.test(c.req.header("accept") ?? "");
    const out = await publicEmbedTurn(c, { embedId, visitorId: body.visitorId, message: last.content, stream });
    if ("events" in out) return relaySse(c, out.events) as never;
    return stream ? (relaySse(c, answerEvents(out.answer)) as never) : c.json(out.answer, 200);
  },
);

embedPublicRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/messaging/embed/v1/history",
    tags: ["Website widget"],
    summary: "The visitor's conversation, oldest first, and its status: a reload restores it, and the widget polls it for staff replies",
    request: { query: z.object({ embedId: EmbedId, visitorId: VisitorId }) },
    responses: {
      200: jsonResponse(
        z.object({
          status: Status,
          messages: z.array(StoredMessageSchema),
        }),
      ),
      ...errorResponses(400, 403, 404),
    },
  }),
  async (c) => {
    const q = c.req.valid("query");
    return c.json(await publicEmbedHistory(c, q.embedId, q.visitorId), 200);
  },
);

import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";

/** Messaging: agents, knowledge sources, chat, conversations and credits, and its dashboard page. */
export const messagingFeature = new OpenAPIHono<AppEnv>();

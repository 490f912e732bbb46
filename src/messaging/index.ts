import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { accountRoutes } from "./routes-account";
import { agentRoutes } from "./routes-agents";
import { chatRoutes } from "./routes-chat";
import { inboxRoutes } from "./routes-inbox";
import { embedSettingsRoutes } from "./routes-embed";
import { embedPublicRoutes } from "./routes-embed-public";
import { embedPageRoutes } from "./embed-page";
import { messagingPageRoutes } from "./pages";
import { knowledgeRoutes } from "./routes-knowledge";
import { skillsRoutes } from "./routes-skills";
import { handoffRoutes } from "./routes-handoff";
import { deliveryRoutes } from "./routes-deliveries";

/** Messaging: agents, knowledge sources, chat, conversations and credits, and its dashboard page. */
export const messagingFeature = new OpenAPIHono<AppEnv>();
messagingFeature.route("/", accountRoutes);
messagingFeature.route("/", agentRoutes);
messagingFeature.route("/", knowledgeRoutes);
messagingFeature.route("/", chatRoutes);
messagingFeature.route("/", inboxRoutes);
messagingFeature.route("/", embedSettingsRoutes);
messagingFeature.route("/", embedPublicRoutes);
messagingFeature.route("/", embedPageRoutes);
messagingFeature.route("/", skillsRoutes);
messagingFeature.route("/", handoffRoutes);
messagingFeature.route("/", deliveryRoutes);
messagingFeature.route("/", messagingPageRoutes);

export { ConversationRoom } from "./conversation.do";
export { topUpFreeCredits } from "./credits";
export { handleWebhookQueue } from "./webhooks/consumer";
export { pruneWebhookLogs } from "./webhooks/deliveries";

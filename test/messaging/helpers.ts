import { env } from "cloudflare:workers";
import { api, ok, registerAccount, type TestAccount } from "../factories";

export interface Agent {
  id: string;
  name: string;
  botDisplayName: string;
  isDefault: boolean;
  sourcesCount: number;
  systemInstructions?: string;
  humanHandoffEnabled?: boolean;
  updatedAt: string;
}

export interface Source {
  id: string;
  agentId: string;
  type: string;
  title: string;
  status: "ready" | "failed";
  failureReason: string | null;
  chunkCount: number;
}

/** The widget settings as `/v1/embed` and `/embed-config` answer them. */
export interface Embed {
  embedEnabled: boolean;
  embedPublicId: string;
  embedAllowedOrigins: string[];
  embedAccentColor: string;
  embedLauncherIcon: string;
  embedShowLauncher: boolean;
  embedGreeting: string;
  chatTitle: string;
  embedShareLink: string;
  embedCodeFloating: string;
  embedCodeButton: string;
}

export interface ChatAnswer {
  role: "assistant";
  content: string;
  creditsCharged: number;
  conversationId: string;
  agentId: string;
}

/** A fresh Messaging account (free plan) with its msg_ key and session. */
export function registerMessaging(): Promise<TestAccount> {
  return registerAccount("messaging");
}

export function createAgent(a: { key: string }, body: Record<string, unknown> = {}) {
  return ok<Agent>(api("POST", "/api/messaging/v1/agents", a, { name: "Sales bot", ...body }), 201);
}

export function addSource(a: { key: string }, agentId: string, body: Record<string, unknown>) {
  return ok<Source>(api("POST", `/api/messaging/v1/agents/${agentId}/sources`, a, body), 201);
}

export function chat(a: { key: string }, content: string, extra: Record<string, unknown> = {}) {
  return api("POST", "/api/messaging/v1/chat", a, { channel: "api", messages: [{ role: "user", content }], ...extra });
}

export async function setCredits(profileId: string, credits: number) {
  await env.DB.prepare("UPDATE messaging_accounts SET credits = ? WHERE profile_id = ?").bind(credits, profileId).run();
}

export async function creditsOf(profileId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT credits FROM messaging_accounts WHERE profile_id = ?").bind(profileId).first<{ credits: number }>();
  return row!.credits;
}

/** The guide's opening-hours Q&A on a fresh agent. */
export const OPENING_HOURS = { type: "qa", question: "What are your opening hours?", answer: "We are open 9am to 5pm, Monday to Friday." };

/** Reads a Server-Sent Events body into its events. */
export async function readSse(res: Response): Promise<{ event: string; data: unknown }[]> {
  const text = await res.text();
  return text
    .split("\n\n")
    .filter((b) => b.trim())
    .map((block) => {
      const lines = block.split("\n");
      const event = lines.find((l) => l.startsWith("event:"))?.slice(6).trim() ?? "message";
      const data = lines.filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trimStart()).join("\n");
      return { event, data: JSON.parse(data) as unknown };
    });
}

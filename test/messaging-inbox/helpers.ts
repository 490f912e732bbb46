import { api, ok } from "../factories";
import { chat, createAgent, registerMessaging, type Agent, type ChatAnswer } from "../messaging/helpers";

export interface Answer extends ChatAnswer {
  status?: string;
  ui?: { type: string; [k: string]: unknown };
  skill?: string;
  handoff?: { requested: true; url?: string };
}

export interface Message {
  id: string;
  role: "user" | "assistant" | "staff";
  content: string;
  createdAt: string;
  authorName?: string;
  ui?: { type: string };
}

export interface Conversation {
  id: string;
  status: string;
  conversationRef: string;
  messageCount: number;
  lastMessagePreview: string;
  messages?: Message[];
}

export const HANDOFF_AGENT = {
  humanHandoffEnabled: true,
  humanHandoffMessage: "A person from our team will reply here shortly.",
  humanHandoffUrl: "https://shop.example/contact",
};

/** A Messaging account whose default agent hands off to a person. */
export async function handoffAccount(agent: Record<string, unknown> = HANDOFF_AGENT) {
  const a = await registerMessaging();
  const created: Agent = await createAgent(a, agent);
  return { a, agent: created };
}

export const say = (a: { key: string }, text: string, ref: string, extra: Record<string, unknown> = {}) => ok<Answer>(chat(a, text, { conversationRef: ref, ...extra }));

export const transcript = (a: { key: string }, id: string) => ok<Conversation & { messages: Message[] }>(api("GET", `/api/messaging/v1/conversations/${id}`, a));

export const reply = (a: { key: string }, id: string, body: Record<string, unknown>) => api("POST", `/api/messaging/v1/conversations/${id}/messages`, a, body);

export const release = (a: { key: string }, id: string) => api("POST", `/api/messaging/v1/conversations/${id}/release`, a);
export const closeConv = (a: { key: string }, id: string) => api("POST", `/api/messaging/v1/conversations/${id}/close`, a);

export async function listByStatus(a: { key: string }, status?: string) {
  const q = status ? `?status=${status}` : "";
  return (await ok<{ conversations: Conversation[] }>(api("GET", `/api/messaging/v1/conversations${q}`, a))).conversations;
}

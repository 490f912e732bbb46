import type { KnowledgeHit } from "../retrieval";

/** What every engine receives: the agent's persona and instructions, the retrieved knowledge, the conversation so far. */
export interface EngineRequest {
  agent: {
    botDisplayName: string;
    botRoleSummary: string;
    systemInstructions: string;
    humanHandoffEnabled: boolean;
    humanHandoffUrl: string | null;
    humanHandoffMessage: string | null;
  };
  knowledge: KnowledgeHit[];
  /** Oldest first; the last one is the user's new message. */
  messages: { role: "user" | "assistant"; content: string }[];
}

/**
 * One chat engine. `stream` yields the answer in pieces; it throws (or its iterator throws)
 * when the engine fails, and the caller then charges nothing.
 */
export interface ChatEngine {
  readonly name: "workers-ai" | "openai-compatible" | "builtin";
  stream(req: EngineRequest): AsyncIterable<string>;
}

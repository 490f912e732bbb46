import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { streamText, type LanguageModel } from "ai";
import { createWorkersAI } from "workers-ai-provider";
import type { ChatEngine, EngineRequest } from "./types";

/** Longest a model turn may take, retries included. */
export const ENGINE_TIMEOUT_MS = 60_000;

/** Default Workers AI model when AI_MODEL is not set. */
export const DEFAULT_WORKERS_AI_MODEL = "@cf/meta/llama-3.1-8b-instruct";

/** The system prompt every model engine gets: persona, instructions, then the retrieved knowledge. */
export function systemPrompt(req: EngineRequest): string {
  const { agent } = req;
  const lines = [
    `You are ${agent.botDisplayName}, a customer assistant.${agent.botRoleSummary ? ` Your role: ${agent.botRoleSummary}` : ""}`,
    agent.systemInstructions ? `Instructions from the business:\n${agent.systemInstructions}` : "",
    "Answer only from the knowledge below. If it does not contain the answer, say honestly that you do not know; never invent facts, prices or policies.",
    agent.humanHandoffEnabled ? `When you cannot help, offer a person: ${agent.humanHandoffMessage || "a team member can take over"}${agent.humanHandoffUrl ? ` (${agent.humanHandoffUrl})` : ""}.` : "",
    "Knowledge:",
    ...(req.knowledge.length
      ? req.knowledge.map((k, i) => (k.kind === "qa" ? `[${i + 1}] Q: ${k.title}\nA: ${k.answer ?? k.text}` : `[${i + 1}] ${k.title}\n${k.text}`))
      : ["(none matched this question)"]),
  ];
  return lines.filter(Boolean).join("\n\n");
}

function modelEngine(name: ChatEngine["name"], model: LanguageModel): ChatEngine {
  return {
    name,
    async *stream(req) {
      // Errors arrive as `error` parts and are rethrown below; the room logs them once.
      // A turn holds its conversation's queue: a stalled upstream must not hold it forever.
      const result = streamText({
        model,
        system: systemPrompt(req),
        messages: req.messages,
        maxRetries: 1,
        temperature: 0.3,
        abortSignal: AbortSignal.timeout(ENGINE_TIMEOUT_MS),
        onError: () => undefined,
      });
      for await (const part of result.fullStream) {
        if (part.type === "text-delta") yield part.text;
        else if (part.type === "error") throw part.error instanceof Error ? part.error : new Error(String(part.error));
        else if (part.type === "abort") throw new Error(`the engine did not finish within ${ENGINE_TIMEOUT_MS} ms`);
      }
    },
  };
}

/** Any OpenAI-compatible chat-completions endpoint (vLLM, Ollama, llama.cpp, a hosted API). */
export function openAICompatibleEngine(cfg: { baseURL: string; apiKey?: string; model: string }): ChatEngine {
  const provider = createOpenAICompatible({ name: "gellhub-upstream", baseURL: cfg.baseURL, apiKey: cfg.apiKey });
  return modelEngine("openai-compatible", provider.chatModel(cfg.model));
}

/** Workers AI through the `AI` binding. */
export function workersAIEngine(binding: Ai, model: string): ChatEngine {
  const workersai = createWorkersAI({ binding });
  return modelEngine("workers-ai", workersai(model as Parameters<typeof workersai>[0]));
}

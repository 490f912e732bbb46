import type { Env } from "../../env";
import { DEFAULT_WORKERS_AI_MODEL, openAICompatibleEngine, workersAIEngine } from "./ai-sdk";
import { builtinEngine } from "./builtin";
import type { ChatEngine } from "./types";

export type { ChatEngine, EngineRequest } from "./types";

/** The engine settings a request carries to the conversation's Durable Object. */
export type EngineConfig = Pick<Env, "AI_BASE_URL" | "AI_API_KEY" | "AI_MODEL">;

/** The engine settings of a deployment. */
export const engineConfigOf = (env: Env): EngineConfig => ({ AI_BASE_URL: env.AI_BASE_URL, AI_API_KEY: env.AI_API_KEY, AI_MODEL: env.AI_MODEL });

/**
 * The platform picks the engine, never the caller: an OpenAI-compatible endpoint when
 * AI_BASE_URL is set (an explicit override), else Workers AI when the `AI` binding exists,
 * else the built-in offline engine.
 */
export function pickEngine(bindings: Pick<Env, "AI">, cfg: EngineConfig): ChatEngine {
  if (cfg.AI_BASE_URL) return openAICompatibleEngine({ baseURL: cfg.AI_BASE_URL, apiKey: cfg.AI_API_KEY, model: cfg.AI_MODEL || "default" });
  if (bindings.AI) return workersAIEngine(bindings.AI, cfg.AI_MODEL || DEFAULT_WORKERS_AI_MODEL);
  return builtinEngine;
}

import { keywords } from "../retrieval";
import type { ChatEngine, EngineRequest } from "./types";

/** Least keyword coverage for a piece of knowledge to count as an answer (below: "don't know"). */
export const MIN_COVERAGE = 0.5;
const GREETING = /^\s*(hi|hello|hey|good (morning|afternoon|evening)|hola|bonjour|hallo)\b[\s!.,]*$/i;

/** The honest answer when the agent's knowledge does not cover a question. */
export function dontKnow(agent: EngineRequest["agent"]): string {
  let text = "I'm sorry, I don't know the answer to that, and I'd rather not guess.";
  if (agent.humanHandoffEnabled) {
    text += " " + (agent.humanHandoffMessage || "I can connect you with a person from our team.");
    if (agent.humanHandoffUrl) text += ` ${agent.humanHandoffUrl}`;
  }
  return text;
}

/** The sentences of `text` that share the most keywords with the question (at most three, in order). */
function bestSentences(text: string, terms: string[]): string {
  // A sentence ends at . ! ? before a space or a line end ("3.20 EUR" stays whole).
  const sentences = text.split(/(?<=[.!?])\s+|\n+/).map((s) => s.trim()).filter(Boolean);
  const scored = sentences.map((s, i) => ({ s, i, n: terms.filter((t) => s.toLowerCase().includes(t.slice(0, Math.max(3, t.length - 2)))).length }));
  const picked = scored.filter((x) => x.n > 0).sort((a, b) => b.n - a.n || a.i - b.i).slice(0, 3).sort((a, b) => a.i - b.i);
  return (picked.length ? picked.map((x) => x.s) : sentences.slice(0, 3)).join(" ");
}

/**
 * The built-in engine: no network, no model. It answers from the agent's own knowledge (a
 * matching Q&A answer first, else the best sentences of the best text), greets in the
 * agent's name, and says honestly that it does not know otherwise.
 */
export function composeBuiltinAnswer(req: EngineRequest): string {
  const question = req.messages.at(-1)?.content ?? "";
  const { agent } = req;
  if (GREETING.test(question)) {
    return `Hi! I'm ${agent.botDisplayName}.${agent.botRoleSummary ? ` ${agent.botRoleSummary.replace(/\.?$/, ".")}` : ""} How can I help?`;
  }
  const terms = keywords(question);
  const relevant = req.knowledge.filter((k) => k.coverage >= MIN_COVERAGE);
  const qa = relevant.filter((k) => k.kind === "qa" && k.answer).sort((a, b) => b.coverage - a.coverage)[0];
  if (qa?.answer) return qa.answer;
  const best = relevant.sort((a, b) => b.coverage - a.coverage)[0];
  if (best) return bestSentences(best.text, terms);
  return dontKnow(agent);
}

export const builtinEngine: ChatEngine = {
  name: "builtin",
  async *stream(req) {
    const answer = composeBuiltinAnswer(req);
    // Word-sized pieces, so streaming clients see the same framing as with a model.
    for (const piece of answer.match(/\S+\s*/g) ?? [answer]) yield piece;
  },
};

import { sql, type SQL } from "drizzle-orm";

/** One retrieved piece of an agent's knowledge. */
export interface KnowledgeHit {
  sourceId: string;
  kind: "text" | "qa" | "url" | "file";
  title: string;
  text: string;
  /** The answer of a Q&A source (null for other kinds). */
  answer: string | null;
  /** Share of the question's keywords found in this piece (0..1). */
  coverage: number;
}

const STOPWORDS = new Set(
  ("a an and are as at be been but by can could do does did for from had has have how i if in into is it its me my of on or our " +
    "please so than that the their them then there these they this to us was we were what when where which who whom why will with " +
    "would you your yours hi hello hey thanks thank tell about any some there's it's i'm im " +
    // Question filler: "how long does it take", "can I get", "I want to know".
    "long take takes taking much many get got know want wanted need like just also still ever really very").split(" "),
);

/** The keywords of a question: lower-cased words, stopwords dropped, at most 12. */
export function keywords(text: string): string[] {
  const words = text.toLowerCase().normalize("NFC").match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.filter((w) => w.length > 1 && !STOPWORDS.has(w)))].slice(0, 12);
}

/** A rough English stem, close enough to FTS5's porter tokenizer for the coverage check. */
export function stem(word: string): string {
  return word.replace(/(ings|ing|ed|es|s|ly|ion|ions)$/u, "").slice(0, 8) || word;
}

/** Share of `terms` whose stem occurs among `text`'s word stems. */
export function coverageOf(terms: string[], text: string): number {
  if (terms.length === 0) return 0;
  const stems = new Set((text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map(stem));
  return terms.filter((t) => stems.has(stem(t))).length / terms.length;
}

/** An FTS5 MATCH expression: the keywords as quoted terms joined by OR (quotes keep user text out of the query syntax). */
export function matchExpression(terms: string[]): string {
  return terms.map((t) => `"${t.replace(/"/g, "")}"`).join(" OR ");
}

type FtsRow = { source_id: string; kind: KnowledgeHit["kind"]; title: string; body: string; answer: string | null };

/**
 * The query for the agent's best knowledge on `question` (BM25 over the FTS5 index, at most
 * `limit`), or null when the question has no keywords. Tenant and agent are both in the WHERE.
 */
export function knowledgeQuery(profileId: string, agentId: string, question: string, limit = 6): SQL | null {
  const terms = keywords(question);
  if (terms.length === 0) return null;
  return sql`SELECT source_id, kind, title, body, answer FROM knowledge_fts
    WHERE knowledge_fts MATCH ${matchExpression(terms)} AND profile_id = ${profileId} AND agent_id = ${agentId}
    ORDER BY bm25(knowledge_fts) LIMIT ${limit}`;
}

/** The rows of knowledgeQuery as hits, each with its keyword coverage of `question`. */
export function toHits(rows: unknown[], question: string): KnowledgeHit[] {
  const terms = keywords(question);
  return (rows as FtsRow[]).map((r) => ({
    sourceId: r.source_id,
    kind: r.kind,
    title: r.title,
    text: r.body,
    answer: r.answer,
    coverage: coverageOf(terms, `${r.title} ${r.body}`),
  }));
}

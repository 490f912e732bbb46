import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db";
import { runBatch } from "./sql-batch";
import { agentSources } from "../db/schema/messaging";
import { ApiError, notFound } from "../platform/errors";
import { newId } from "../platform/ids";
import { getAgent } from "./agents";
import { fetchPublicText } from "./outbound";
import { iso, type CreateSourceInput } from "./schemas";
import { chunkText, csvToText, htmlToText, tidy } from "./text-extract";

/** Per-source and per-agent knowledge limits (bytes of extracted text) and the source count limit. */
export const MAX_SOURCE_BYTES = 256 * 1024;
export const MAX_AGENT_BYTES = 8 * 1024 * 1024;
export const MAX_SOURCES_PER_AGENT = 2000;
/** Largest uploaded file accepted (before extraction). */
export const MAX_UPLOAD_BYTES = 1024 * 1024;
export const FILE_TYPES = { ".txt": "text", ".md": "text", ".html": "html", ".htm": "html", ".csv": "csv" } as const;

type SourceRow = typeof agentSources.$inferSelect;
type Kind = SourceRow["type"];
const byteLength = (s: string) => new TextEncoder().encode(s).byteLength;

export function toSource(s: SourceRow) {
  return {
    id: s.id,
    agentId: s.agentId,
    type: s.type,
    title: s.title,
    url: s.url,
    question: s.question,
    answer: s.answer,
    fileName: s.fileName,
    status: s.status,
    failureReason: s.failureReason,
    sizeBytes: s.sizeBytes,
    chunkCount: s.chunkCount,
    createdAt: iso(s.createdAt),
    updatedAt: iso(s.updatedAt),
  };
}

interface Extracted {
  title: string;
  /** Chunks to index: [title, body, answer]. */
  chunks: { title: string; body: string; answer: string | null }[];
  sizeBytes: number;
}

function fromText(title: string, text: string): Extracted {
  const clean = tidy(text);
  if (byteLength(clean) > MAX_SOURCE_BYTES) throw new ApiError("knowledge_limit_exceeded", `A source holds at most ${MAX_SOURCE_BYTES} bytes of text`);
  return { title, chunks: chunkText(clean).map((body) => ({ title, body, answer: null })), sizeBytes: byteLength(clean) };
}

/**
 * Stores a source with its chunks in one batch. Every statement is conditional on the agent
 * staying within its byte and count limits, so parallel adds never pass them.
 */
async function storeSource(db: Db, profileId: string, agentId: string, base: Partial<SourceRow> & { type: Kind }, ex: Extracted, status: "ready" | "failed", reason: string | null, now: number) {
  const id = newId("src");
  const fits = sql`EXISTS (SELECT 1 FROM agents WHERE id = ${agentId} AND profile_id = ${profileId}
    AND knowledge_bytes + ${ex.sizeBytes} <= ${MAX_AGENT_BYTES} AND sources_count < ${MAX_SOURCES_PER_AGENT})`;
  const exists = sql`EXISTS (SELECT 1 FROM agent_sources WHERE id = ${id})`;
  const statements: SQL[] = [
    sql`INSERT INTO agent_sources (id, profile_id, agent_id, type, title, url, question, answer, file_name, status, failure_reason, size_bytes, chunk_count, created_at, updated_at)
      SELECT ${id}, ${profileId}, ${agentId}, ${base.type}, ${ex.title}, ${base.url ?? null}, ${base.question ?? null}, ${base.answer ?? null},
        ${base.fileName ?? null}, ${status}, ${reason}, ${ex.sizeBytes}, ${ex.chunks.length}, ${now}, ${now} WHERE ${fits}`,
    sql`UPDATE agents SET sources_count = sources_count + 1, knowledge_bytes = knowledge_bytes + ${ex.sizeBytes}, updated_at = ${now}
      WHERE id = ${agentId} AND profile_id = ${profileId} AND ${exists}`,
    ...ex.chunks.map((c) =>
      sql`INSERT INTO knowledge_fts (title, body, answer, profile_id, agent_id, source_id, kind)
        SELECT ${c.title}, ${c.body}, ${c.answer}, ${profileId}, ${agentId}, ${id}, ${base.type} WHERE ${exists}`,
    ),
  ];
  const [inserted] = await runBatch(db, statements);
  if (inserted !== 1) {
    await getAgent(db, profileId, agentId);
    throw new ApiError("knowledge_limit_exceeded", `An agent holds at most ${MAX_SOURCES_PER_AGENT} sources and ${MAX_AGENT_BYTES} bytes of knowledge`);
  }
  return getSource(db, profileId, agentId, id);
}

/** Fetches and extracts a URL source; failures become a reason, never an exception (the URL rule aside). */
async function extractUrl(url: string, fetcher?: typeof fetch): Promise<{ ex: Extracted; reason: string | null }> {
  try {
    const page = await fetchPublicText(url, fetcher);
    const html = page.contentType.includes("html");
    const { title, text } = html ? htmlToText(page.body) : { title: "", text: page.body };
    const ex = fromText(title || url, text);
    if (ex.chunks.length === 0) return { ex, reason: "the page has no readable text" };
    return { ex, reason: null };
  } catch (err) {
    if (err instanceof ApiError && err.code === "url_not_allowed") throw err;
    const reason = err instanceof ApiError ? String(err.detail) : err instanceof Error ? err.message : "fetch failed";
    return { ex: { title: url, chunks: [], sizeBytes: 0 }, reason };
  }
}

/** Adds a text, Q&A or URL source to one of the profile's agents. */
export async function addSource(db: Db, profileId: string, agentId: string, input: CreateSourceInput, now: number, fetcher?: typeof fetch) {
  await getAgent(db, profileId, agentId);
  if (input.type === "text") return storeSource(db, profileId, agentId, { type: "text" }, fromText(input.title, input.content), "ready", null, now);
  if (input.type === "qa") {
    const ex: Extracted = {
      title: input.question,
      chunks: [{ title: input.question, body: input.answer, answer: input.answer }],
      sizeBytes: byteLength(input.question) + byteLength(input.answer),
    };
    return storeSource(db, profileId, agentId, { type: "qa", question: input.question, answer: input.answer }, ex, "ready", null, now);
  }
  if (input.type === "file") return storeFileText(db, profileId, agentId, input.fileName, input.content, now);
  const { ex, reason } = await extractUrl(input.url, fetcher);
  return storeSource(db, profileId, agentId, { type: "url", url: input.url }, ex, reason ? "failed" : "ready", reason, now);
}

/** Adds an uploaded file (.txt, .md, .html, .csv) as a source. */
export async function addFileSource(db: Db, profileId: string, agentId: string, file: File, now: number) {
  await getAgent(db, profileId, agentId);
  if (file.size > MAX_UPLOAD_BYTES) throw new ApiError("payload_too_large", `Files are limited to ${MAX_UPLOAD_BYTES} bytes`);
  return storeFileText(db, profileId, agentId, file.name, new TextDecoder().decode(await file.arrayBuffer()), now);
}

/** A file's text as a source, extracted by its extension. */
async function storeFileText(db: Db, profileId: string, agentId: string, fileName: string, raw: string, now: number) {
  const name = fileName.slice(0, 200) || "upload.txt";
  const ext = (/\.[^.]+$/.exec(name.toLowerCase())?.[0] ?? "") as keyof typeof FILE_TYPES;
  const kind = FILE_TYPES[ext];
  if (!kind) throw new ApiError("unsupported_media_type", "Upload a .txt, .md, .html or .csv file");
  const text = kind === "html" ? htmlToText(raw).text : kind === "csv" ? csvToText(raw) : raw;
  const ex = fromText(name, text);
  const reason = ex.chunks.length === 0 ? "the file has no readable text" : null;
  return storeSource(db, profileId, agentId, { type: "file", fileName: name }, ex, reason ? "failed" : "ready", reason, now);
}

/** The agent's sources, newest first. */
export async function listSources(db: Db, profileId: string, agentId: string) {
  await getAgent(db, profileId, agentId);
  return db
    .select()
    .from(agentSources)
    .where(and(eq(agentSources.profileId, profileId), eq(agentSources.agentId, agentId)))
    .orderBy(desc(agentSources.createdAt), desc(agentSources.id))
    .all();
}

export async function getSource(db: Db, profileId: string, agentId: string, sourceId: string): Promise<SourceRow> {
  const row = await db
    .select()
    .from(agentSources)
    .where(and(eq(agentSources.id, sourceId), eq(agentSources.agentId, agentId), eq(agentSources.profileId, profileId)))
    .get();
  if (!row) throw notFound("source");
  return row;
}

/** Deletes a source, its chunks and its share of the agent's counts, in one batch. */
export async function deleteSource(db: Db, profileId: string, agentId: string, sourceId: string, now: number): Promise<void> {
  const src = await getSource(db, profileId, agentId, sourceId);
  const [deleted] = await runBatch(db, [
    sql`DELETE FROM agent_sources WHERE id = ${sourceId} AND profile_id = ${profileId}`,
    sql`UPDATE agents SET sources_count = sources_count - 1, knowledge_bytes = knowledge_bytes - ${src.sizeBytes}, updated_at = ${now}
      WHERE id = ${agentId} AND profile_id = ${profileId} AND NOT EXISTS (SELECT 1 FROM agent_sources WHERE id = ${sourceId})
        AND changes() = 1`,
    sql`DELETE FROM knowledge_fts WHERE source_id = ${sourceId} AND profile_id = ${profileId}`,
  ]);
  if (deleted !== 1) throw notFound("source");
}

/** Fetches a URL source again and replaces its chunks (a failure keeps the old chunks out and records why). */
export async function refreshSource(db: Db, profileId: string, agentId: string, sourceId: string, now: number, fetcher?: typeof fetch) {
  const src = await getSource(db, profileId, agentId, sourceId);
  if (src.type !== "url" || !src.url) throw new ApiError("invalid_request", "Only URL sources can be refreshed");
  const { ex, reason } = await extractUrl(src.url, fetcher);
  const delta = ex.sizeBytes - src.sizeBytes;
  const [updated] = await runBatch(db, [
    sql`UPDATE agents SET knowledge_bytes = knowledge_bytes + ${delta}, updated_at = ${now}
      WHERE id = ${agentId} AND profile_id = ${profileId} AND knowledge_bytes + ${delta} <= ${MAX_AGENT_BYTES}`,
    sql`UPDATE agent_sources SET title = ${ex.title}, status = ${reason ? "failed" : "ready"}, failure_reason = ${reason},
        size_bytes = ${ex.sizeBytes}, chunk_count = ${ex.chunks.length}, updated_at = ${now}
      WHERE id = ${sourceId} AND profile_id = ${profileId} AND changes() = 1`,
    sql`DELETE FROM knowledge_fts WHERE source_id = ${sourceId} AND profile_id = ${profileId} AND changes() = 1`,
    ...ex.chunks.map((c) =>
      sql`INSERT INTO knowledge_fts (title, body, answer, profile_id, agent_id, source_id, kind)
        SELECT ${c.title}, ${c.body}, NULL, ${profileId}, ${agentId}, ${sourceId}, 'url'
        WHERE (SELECT updated_at FROM agent_sources WHERE id = ${sourceId}) = ${now}`,
    ),
  ]);
  if (updated !== 1) throw new ApiError("knowledge_limit_exceeded", `An agent holds at most ${MAX_AGENT_BYTES} bytes of knowledge`);
  return getSource(db, profileId, agentId, sourceId);
}

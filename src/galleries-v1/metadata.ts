import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../db";
import { isUniqueViolation } from "../db/batch";
import { galleryMetadata, metadataFields, type MetadataFieldType } from "../db/schema";
import { ApiError, notFound } from "../platform/errors";
import { newId } from "../platform/ids";
import { userText } from "../platform/text";
import { authorizeGallery, type Actor } from "./access";

type FieldRow = typeof metadataFields.$inferSelect;

export function toV1Field(f: FieldRow) {
  return { id: f.id, name: f.name, field_type: f.fieldType, options: f.options ?? null, created_at: new Date(f.createdAt).toISOString() };
}

export async function listFields(db: Db, studioId: string) {
  const rows = await db.select().from(metadataFields).where(eq(metadataFields.studioId, studioId)).orderBy(asc(metadataFields.name)).all();
  return { custom_metadata_fields: rows.map(toV1Field) };
}

export async function createField(db: Db, studioId: string, input: { name: string; fieldType: MetadataFieldType; options?: string[] }, now: number) {
  if (input.fieldType === "select" && !input.options?.length) throw new ApiError("invalid_request", [{ path: "options", message: "a select field needs options" }]);
  const row: FieldRow = { id: newId("cmf"), studioId, name: input.name, fieldType: input.fieldType, options: input.fieldType === "select" ? [...new Set(input.options)] : null, createdAt: now };
  try {
    await db.insert(metadataFields).values(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError("name_conflict", [{ path: "name", message: "a field with this name exists" }]);
    throw err;
  }
  return toV1Field(row);
}

/** Deletes a field and every gallery's value of it. */
export async function deleteField(db: Db, studioId: string, id: string) {
  const [, del] = await db.batch([
    db.delete(galleryMetadata).where(and(eq(galleryMetadata.fieldId, id), eq(galleryMetadata.studioId, studioId))),
    db.delete(metadataFields).where(and(eq(metadataFields.id, id), eq(metadataFields.studioId, studioId))),
  ]);
  if (del.meta.changes !== 1) throw notFound("custom metadata field");
}

/** The gallery's values (read access), each with its field. */
export async function getGalleryMetadata(db: Db, actor: Actor, id: string) {
  await authorizeGallery(db, actor, id, "read");
  const rows = await db
    .select({ field: metadataFields, value: galleryMetadata.value })
    .from(galleryMetadata)
    .innerJoin(metadataFields, eq(metadataFields.id, galleryMetadata.fieldId))
    .where(eq(galleryMetadata.collectionId, id))
    .orderBy(asc(metadataFields.name))
    .all();
  return {
    custom_metadata: rows.map((r) => ({ custom_metadata_field: r.field.id, name: r.field.name, field_type: r.field.fieldType, value: typedValue(r.field.fieldType, r.value) })),
  };
}

function typedValue(type: MetadataFieldType, stored: string): string | number | boolean {
  if (type === "number") return Number(stored);
  if (type === "boolean") return stored === "true";
  return stored;
}

const FieldText = userText({ max: 1000 });
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A value in its field type's canonical text form, or the reason it does not fit. */
export function canonicalValue(field: Pick<FieldRow, "fieldType" | "options">, value: unknown): { ok: string } | { error: string } {
  const text = typeof value === "number" || typeof value === "boolean" ? String(value) : value;
  if (typeof text !== "string") return { error: "must be a string, number or boolean" };
  switch (field.fieldType) {
    case "number": {
      const n = Number(text.trim());
      return text.trim() !== "" && Number.isFinite(n) ? { ok: String(n) } : { error: "must be a number" };
    }
    case "boolean":
      if (["true", "1"].includes(text)) return { ok: "true" };
      if (["false", "0"].includes(text)) return { ok: "false" };
      return { error: "must be true or false" };
    case "date": {
      const d = new Date(`${text}T00:00:00Z`);
      return DATE.test(text) && !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text) ? { ok: text } : { error: "must be a date YYYY-MM-DD" };
    }
    case "select":
      return field.options?.includes(text) ? { ok: text } : { error: `must be one of: ${(field.options ?? []).join(", ")}` };
    default: {
      const parsed = FieldText.safeParse(text);
      return parsed.success ? { ok: parsed.data } : { error: parsed.error.issues[0]?.message ?? "invalid text" };
    }
  }
}

/**
 * Sets values of the gallery (write access). Each entry names a field of the studio and a value
 * valid for its type; `null` or "" clears it. One bad entry rejects the whole update (400, each
 * problem listed) and nothing is written.
 */
export async function updateGalleryMetadata(db: Db, actor: Actor, id: string, entries: { key: string; fieldId: string; value: unknown }[], now: number) {
  await authorizeGallery(db, actor, id, "write");
  const ids = [...new Set(entries.map((e) => e.fieldId))];
  const fields = ids.length ? await db.select().from(metadataFields).where(and(eq(metadataFields.studioId, actor.studioId), inArray(metadataFields.id, ids))).all() : [];
  const byId = new Map(fields.map((f) => [f.id, f]));
  const problems: { path: string; message: string }[] = [];
  const writes: { fieldId: string; value: string | null }[] = [];
  for (const e of entries) {
    const field = byId.get(e.fieldId);
    if (!field) {
      problems.push({ path: `custom_metadata.${e.key}.custom_metadata_field`, message: "unknown custom metadata field" });
      continue;
    }
    if (e.value === null || e.value === "") {
      writes.push({ fieldId: field.id, value: null });
      continue;
    }
    const v = canonicalValue(field, e.value);
    if ("error" in v) problems.push({ path: `custom_metadata.${e.key}.value`, message: v.error });
    else writes.push({ fieldId: field.id, value: v.ok });
  }
  if (problems.length) throw new ApiError("invalid_request", problems);
  const stmts = writes.map((w) =>
    w.value === null
      ? db.delete(galleryMetadata).where(and(eq(galleryMetadata.collectionId, id), eq(galleryMetadata.fieldId, w.fieldId)))
      : db
          .insert(galleryMetadata)
          .values({ collectionId: id, fieldId: w.fieldId, studioId: actor.studioId, value: w.value, updatedAt: now })
          .onConflictDoUpdate({ target: [galleryMetadata.collectionId, galleryMetadata.fieldId], set: { value: w.value, updatedAt: now } }),
  );
  if (stmts.length) await db.batch(stmts as [(typeof stmts)[0], ...typeof stmts]);
  return getGalleryMetadata(db, actor, id);
}

import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { OWNER_KINDS } from "./storage";

/** One part of an R2 multipart upload as `complete` wants it back. */
export interface UploadPartRef {
  partNumber: number;
  etag: string;
}

/**
 * A tus upload (src/uploads): an R2 multipart upload under `storage_key` plus the state the
 * protocol needs. Bytes live in R2 only: full parts in the multipart upload, the remainder below
 * one part in the small `tail_key` object. Writers hold a lease (`lease_id` until `lease_until`)
 * taken and renewed with conditional UPDATEs, so two PATCHes never write the same upload; part
 * numbers are handed out by the same UPDATEs and never reused, so a writer that lost its lease
 * can only write parts nobody references. The quota is reserved through an upload intent on the
 * same storage key once the length is known.
 */
export const tusUploads = sqliteTable(
  "tus_uploads",
  {
    id: text("id").primaryKey(),
    ownerKind: text("owner_kind", { enum: OWNER_KINDS }).notNull(),
    ownerId: text("owner_id").notNull(),
    /** Who created it (`owner` or `member:<id>`): only they see it, others get 404. */
    creator: text("creator").notNull(),
    storageKey: text("storage_key").notNull().unique(),
    multipartId: text("multipart_id"),
    /** Null while the length is deferred (Upload-Defer-Length: 1). */
    length: integer("length"),
    /** The largest length this upload may declare (the plan's limit when it was created). */
    maxLength: integer("max_length").notNull(),
    offset: integer("offset").notNull().default(0),
    partSize: integer("part_size").notNull(),
    parts: text("parts", { mode: "json" }).$type<UploadPartRef[]>().notNull().default(sql`'[]'`),
    nextPart: integer("next_part").notNull().default(1),
    tailKey: text("tail_key"),
    tailSize: integer("tail_size").notNull().default(0),
    /** The Upload-Metadata header as the client sent it (returned by HEAD). */
    metadata: text("metadata").notNull().default(""),
    filename: text("filename").notNull().default(""),
    contentType: text("content_type").notNull(),
    leaseId: text("lease_id"),
    leaseUntil: integer("lease_until").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    completedAt: integer("completed_at"),
    /** Where inject_uploads put it (gallery and file id), so a second inject adds nothing. */
    injectedInto: text("injected_into"),
    injectedFileId: text("injected_file_id"),
  },
  (t) => [index("tus_uploads_owner_idx").on(t.ownerKind, t.ownerId, t.creator), index("tus_uploads_expires_idx").on(t.expiresAt)],
);

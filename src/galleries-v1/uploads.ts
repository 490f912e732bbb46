import { z } from "@hono/zod-openapi";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Context } from "hono";
import type { Db } from "../db";
import { inChunks } from "../db/batch";
import { files, galleryFolders, galleryTeamRights, studios } from "../db/schema";
import type { AppEnv } from "../env";
import { currentProfile } from "../platform/auth";
import { ApiError } from "../platform/errors";
import { newId } from "../platform/ids";
import { uploadRecipe, type StorageSpace } from "../platform/storage";
import { makeFileVariants, type ImageEnv } from "../gallery/images";
import { getStudio } from "../gallery/service";
import { storageLimitOf } from "../plans/service";
import { findUploads, markInjected, type TusUpload, type Uploader } from "../uploads/service";
import { actorFor, authorizeGallery, pageActorFor, teamsOfMember, type Actor } from "./access";
import { toV1Asset } from "./galleries";
import { List, Str } from "./params";
import { baseName, joinPath, parentOf } from "./paths";
import { Dirname } from "./schemas";

/** inject_uploads' parameters: the tus upload ids and the folder path (created when missing). */
export const InjectUploadsParams = z.object({ uids: List(Str(64), 100).refine((a) => a.length > 0, "send at least one upload id"), prefix: Dirname });

/** The creator id of an actor's uploads: the studio itself, or one member. */
export const creatorOf = (actor: Actor) => (actor.kind === "owner" ? "owner" : `member:${actor.memberId}`);

/** A studio's storage: its bytes, keys under `gallery/<studioId>/`, the Client Gallery plan's limit. */
async function studioSpaceOf(db: Db, studioId: string): Promise<StorageSpace> {
  const studio = await db.select({ profileId: studios.profileId }).from(studios).where(eq(studios.id, studioId)).get();
  if (!studio) throw new ApiError("not_found", "studio not found");
  return { owner: { kind: "studio", id: studioId }, keyPrefix: `gallery/${studioId}/`, limitBytes: () => storageLimitOf(db, studio.profileId, "clientGallery") };
}

/**
 * Who may use the tus server: the studio key (the owner), a member key with write on at least
 * one gallery (403 `write_access_required` otherwise), or a dashboard session (same origin
 * only, as every cookie-authenticated change): the owner, or with `X-GellHub-Gallery` whoever
 * the signed-in user is for that gallery. Uploads count against the studio.
 */
export async function uploaderFor(c: Context<AppEnv>): Promise<Uploader> {
  const db = c.var.db;
  let actor: Actor;
  if (c.req.header("x-api-key") !== undefined) {
    actor = await actorFor(c);
  } else {
    const profile = await currentProfile(c);
    if (!profile) throw new ApiError("missing_api_key", "Send your API key in the x-api-key header");
    // The dashboard names the gallery it uploads for, so a signed-in member acts as that member.
    const galleryId = c.req.header("x-gellhub-gallery");
    const pageActor = galleryId ? await pageActorFor(db, profile, galleryId) : null;
    if (galleryId && !pageActor) throw new ApiError("not_found", "gallery not found");
    actor = pageActor ?? { kind: "owner", studioId: (await getStudio(db, profile.id)).id };
  }
  if (actor.kind === "member") {
    const writable = await db
      .select({ id: galleryTeamRights.collectionId })
      .from(galleryTeamRights)
      .where(and(sql`${galleryTeamRights.teamId} IN ${teamsOfMember(actor.memberId)}`, inArray(galleryTeamRights.level, ["write", "manage"])))
      .limit(1)
      .get();
    if (!writable) throw new ApiError("write_access_required", "Uploading needs write access to at least one gallery");
  }
  return { space: await studioSpaceOf(db, actor.studioId), creator: creatorOf(actor) };
}

/** Creates each missing folder of `path` (and its parents); 409 `name_conflict` when an asset holds one of the names. */
async function ensureFolder(db: Db, studioId: string, collectionId: string, path: string, now: number) {
  if (path === "") return;
  const chain: string[] = [];
  for (let p = path; p !== ""; p = parentOf(p)) chain.unshift(p);
  const blocked = await db
    .select({ name: files.name, folderPath: files.folderPath })
    .from(files)
    .where(and(eq(files.collectionId, collectionId), inArray(sql`${files.folderPath} || '/' || ${files.name}`, chain)))
    .all();
  if (blocked.length) throw new ApiError("name_conflict", blocked.map((b) => ({ path: joinPath(b.folderPath, b.name), message: "an asset has this name" })));
  await db
    .insert(galleryFolders)
    .values(chain.map((p) => ({ collectionId, path: p, studioId, createdAt: now })))
    .onConflictDoNothing()
    .run();
}

/** `name`, or `name (2).ext`, `name (3).ext`… whichever is free in the folder among `taken`. */
function freeName(name: string, taken: Set<string>): string {
  if (!taken.has(name)) return name;
  const dot = name.lastIndexOf(".");
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
  for (let i = 2; ; i++) {
    const candidate = `${stem} (${i})${ext}`.slice(-255);
    if (!taken.has(candidate)) return candidate;
  }
}

async function takenNames(db: Db, collectionId: string, folder: string): Promise<Set<string>> {
  const [assets, folders] = await Promise.all([
    db.select({ name: files.name }).from(files).where(and(eq(files.collectionId, collectionId), eq(files.folderPath, folder))).all(),
    db.select({ path: galleryFolders.path }).from(galleryFolders).where(eq(galleryFolders.collectionId, collectionId)).all(),
  ]);
  const names = new Set(assets.map((a) => a.name));
  for (const f of folders) if (parentOf(f.path) === folder) names.add(baseName(f.path));
  return names;
}

/**
 * inject_uploads: each finished tus upload of the caller becomes an asset of the gallery in
 * folder `prefix` (created when missing), named by its filename metadata (a free variant when
 * the name is taken). Write access on the gallery. Unknown, expired, another creator's or
 * unfinished uploads -> 409 `uploads_not_ready` listing them, nothing injected. The asset row
 * takes the upload's object as it is (no copy): the quota reservation becomes used bytes in
 * the same batch. An upload already injected adds nothing and answers its asset again.
 */
export async function injectUploads(db: Db, env: ImageEnv, actor: Actor, collectionId: string, input: { uids: string[]; prefix: string }, now: number) {
  await authorizeGallery(db, actor, collectionId, "write");
  const uids = [...new Set(input.uids)];
  const rows = await findUploads(db, { ownerKind: "studio", ownerId: actor.studioId, creator: creatorOf(actor) }, uids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const unknown = uids.filter((u) => {
    const row = byId.get(u);
    return !row || (row.expiresAt <= now && !row.injectedFileId);
  });
  const unfinished = uids.filter((u) => !unknown.includes(u) && byId.get(u)!.completedAt === null);
  if (unknown.length || unfinished.length) {
    throw new ApiError("uploads_not_ready", { message: "Only finished uploads of your own can be injected; nothing was injected", unknown, unfinished });
  }
  const fresh = uids.map((u) => byId.get(u)!).filter((r) => !r.injectedFileId);
  if (fresh.length) await ensureFolder(db, actor.studioId, collectionId, input.prefix, now);
  const space = await studioSpaceOf(db, actor.studioId);
  const taken = await takenNames(db, collectionId, input.prefix);
  for (const upload of fresh) await injectOne(db, env, space, actor.studioId, collectionId, input.prefix, upload, taken, now);
  const fileIds = uids.map((u) => byId.get(u)!.injectedFileId).filter((f): f is string => !!f);
  const assets = await inChunks(fileIds, (chunk) => db.select().from(files).where(inArray(files.id, chunk)).all());
  const order = new Map(fileIds.map((id, i) => [id, i]));
  return { assets: assets.sort((a, b) => order.get(a.id)! - order.get(b.id)!).map(toV1Asset) };
}

async function injectOne(db: Db, env: ImageEnv, space: StorageSpace, studioId: string, collectionId: string, folder: string, upload: TusUpload, taken: Set<string>, now: number) {
  const fileId = newId("gf");
  const name = freeName(upload.filename, taken);
  const findRow = () => db.select().from(files).where(and(eq(files.storageKey, upload.storageKey), isNull(files.linkedFrom))).get().then((r) => r ?? null);
  const { row, created } = await uploadRecipe.complete(db, env.FILES, space, {
    storageKey: upload.storageKey,
    now,
    // Columns in table order: id, studio_id, collection_id, storage_key, name, content_type, size_bytes, client_name, folder_path, created_at, linked_from, thumb_key, web_key.
    insertRow: (intent, object, guard) =>
      db
        .insert(files)
        .select(
          sql`SELECT ${fileId}, ${studioId}, ${collectionId}, ${intent.storageKey}, ${name}, ${intent.contentType}, ${object.size}, ${upload.filename}, ${folder}, ${now}, NULL, NULL, NULL
            WHERE ${guard}`,
        ),
    findRow,
    claimCondition: () => sql`EXISTS (SELECT 1 FROM collections WHERE id = ${collectionId} AND studio_id = ${studioId})`,
  });
  taken.add(row.name);
  await markInjected(db, upload.id, row.collectionId, row.id);
  // Thumbnail and web size like any gallery upload (past the engine's size caps: none, generic icon).
  if (created) await makeFileVariants(db, env, row);
  upload.injectedFileId = row.id;
}

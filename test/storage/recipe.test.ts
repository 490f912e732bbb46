import { env } from "cloudflare:workers";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db";
import { driveFiles, drives, uploadIntents } from "../../src/db/schema";
import { ApiError } from "../../src/platform/errors";
import { getUploadIntent, uploadRecipe, type NewUpload, type StorageSpace, type UploadCompletion } from "../../src/platform/storage";

type FileRow = typeof driveFiles.$inferSelect;

// The recipe as a feature that is neither Gallery nor Drive would use it: its own space, key
// layout and checks. Rows go to drive_files only because the owner is a drive.
const db = getDb(env.DB);
const NOW = Date.UTC(2026, 10, 23, 9, 0, 0);

async function newSpace(limit: number) {
  const id = `dr_recipe_${crypto.randomUUID()}`;
  await db.insert(drives).values({ id, profileId: `pr_${crypto.randomUUID()}`, name: "Recipe test", createdAt: NOW });
  let limitReads = 0;
  const space: StorageSpace = {
    owner: { kind: "drive", id },
    keyPrefix: `drive/${id}/`,
    limitBytes: async () => {
      limitReads++;
      return limit;
    },
  };
  return { space, id, limitReads: () => limitReads };
}

const usage = async (id: string) => (await db.select({ used: drives.usedBytes, reserved: drives.reservedBytes }).from(drives).where(eq(drives.id, id)).get())!;

function upload(space: StorageSpace, sizeBytes: number): NewUpload {
  const fileId = `df_${crypto.randomUUID().slice(0, 8)}`;
  return { storageKey: `${space.keyPrefix}${fileId}/notes.txt`, sizeBytes, contentType: "Text/Plain; charset=utf-8", meta: { fileId } };
}

function completion(driveId: string, storageKey: string, extra: Pick<UploadCompletion<FileRow>, "sizeBytes" | "checkIntent"> = {}): UploadCompletion<FileRow> {
  return {
    storageKey,
    now: NOW,
    ...extra,
    insertRow: (i, object, guard) =>
      db
        .insert(driveFiles)
        .select(
          sql`SELECT ${i.meta.fileId}, ${driveId}, NULL, 'notes.txt', 'notes.txt', ${i.contentType}, ${object.size}, ${i.storageKey}, NULL, NULL, ${NOW}, ${NOW} WHERE ${guard}`,
        ),
    findRow: async () => (await db.select().from(driveFiles).where(and(eq(driveFiles.storageKey, storageKey), eq(driveFiles.driveId, driveId))).get()) ?? null,
  };
}

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe("uploadRecipe", () => {
  it("reserves within the space's limit, normalises the type, and refuses past it with 413 storage_limit_exceeded", async () => {
    const { space, id } = await newSpace(10);
    const first = upload(space, 10);
    expect(await uploadRecipe.reserve(db, space, first, NOW, NOW + 60_000)).toEqual({ storageKey: first.storageKey, contentType: "text/plain" });
    expect(await usage(id)).toEqual({ used: 0, reserved: 10 });
    const err = await rejection(uploadRecipe.reserve(db, space, upload(space, 1), NOW, NOW + 60_000));
    expect([err.code, err.status]).toEqual(["storage_limit_exceeded", 413]);
    expect(await usage(id)).toEqual({ used: 0, reserved: 10 });
  });

  it("treats a key outside the space's prefix as unknown, before any lookup or limit read", async () => {
    const { space, id, limitReads } = await newSpace(100);
    const other = await newSpace(100);
    const theirs = upload(other.space, 5);
    await uploadRecipe.reserve(db, other.space, theirs, NOW, NOW + 60_000);
    const err = await rejection(uploadRecipe.complete(db, env.FILES, space, completion(id, theirs.storageKey)));
    expect([err.code, err.status]).toEqual(["not_found", 404]);
    expect(limitReads()).toBe(0);
  });

  it("runs the feature's checks first, then refuses a size other than the presign's", async () => {
    const { space, id } = await newSpace(100);
    const u = upload(space, 5);
    await uploadRecipe.reserve(db, space, u, NOW, NOW + 60_000);
    const featureSays = new ApiError("upload_incomplete_or_mismatch", "folder_differs_from_presign");
    const checkIntent = () => {
      throw featureSays;
    };
    const first = await rejection(uploadRecipe.complete(db, env.FILES, space, completion(id, u.storageKey, { sizeBytes: 6, checkIntent })));
    expect(first).toBe(featureSays);
    const size = await rejection(uploadRecipe.complete(db, env.FILES, space, completion(id, u.storageKey, { sizeBytes: 6 })));
    expect([size.code, size.status, size.detail]).toEqual(["upload_incomplete_or_mismatch", 400, "size_bytes_differs_from_presign"]);
    expect(await getUploadIntent(db, space.owner, u.storageKey)).not.toBeNull();
  });

  it("proxies: the Worker PUTs, the feature's row lands with the bytes moved from reserved to used; a repeat returns it", async () => {
    const { space, id } = await newSpace(100);
    const u = upload(space, 5);
    const done = await uploadRecipe.proxy(db, env.FILES, space, async () => u, new Blob(["hello"]), NOW, (key) =>
      uploadRecipe.complete(db, env.FILES, space, completion(id, key)),
    );
    expect(done.created).toBe(true);
    expect(done.row).toMatchObject({ storageKey: u.storageKey, sizeBytes: 5, contentType: "text/plain" });
    expect(await usage(id)).toEqual({ used: 5, reserved: 0 });
    const again = await uploadRecipe.complete(db, env.FILES, space, completion(id, u.storageKey));
    expect(again).toMatchObject({ created: false, row: { id: done.row.id } });
  });

  it("drops the intent and releases the reservation when the proxy PUT fails", async () => {
    const { space, id } = await newSpace(100);
    const u = upload(space, 5);
    const failing = { put: async () => Promise.reject(new Error("R2 down")), delete: (k: string) => env.FILES.delete(k) } as unknown as R2Bucket;
    await expect(uploadRecipe.proxy(db, failing, space, async () => u, new Blob(["hello"]), NOW, async () => "unreached")).rejects.toThrow("R2 down");
    expect(await usage(id)).toEqual({ used: 0, reserved: 0 });
    expect(await db.select().from(uploadIntents).where(eq(uploadIntents.storageKey, u.storageKey)).get()).toBeUndefined();
  });
});

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db";
import { purgeExpiredTrash, TRASH_RETENTION_MS } from "../../src/drive/service";
import { api, driveRow, list, mkdir, ok, registerDrive, upload } from "./helpers";

interface TrashItem {
  id: string;
  type: "file" | "folder";
  name: string;
  originalParentId: string | null;
  sizeBytes: number;
  fileCount: number;
  deletedAt: string;
  purgeAt: string;
}

const trash = (a: { key: string }) => ok<{ items: TrashItem[] }>(api("GET", "/api/drive/trash", a));

describe("Recycle Bin", () => {
  it("moves a folder with its whole subtree to the bin as one item, and restores it in place", async () => {
    const a = await registerDrive();
    const parent = await mkdir(a, "parent");
    const top = await mkdir(a, "top", parent.id);
    const sub = await mkdir(a, "sub", top.id);
    await upload(a, "one.txt", "1111", top.id);
    await upload(a, "two.txt", "22", sub.id);
    expect((await api("DELETE", `/api/drive/items/${top.id}?type=folder`, a)).status).toBe(204);

    expect((await list(a, `?parentId=${parent.id}`)).folders).toEqual([]);
    expect((await api("GET", `/api/drive?parentId=${sub.id}`, a)).status).toBe(404);
    expect((await api("GET", `/api/drive/items/${sub.id}?type=folder`, a)).status).toBe(404);
    const bin = await trash(a);
    expect(bin.items).toHaveLength(1);
    expect(bin.items[0]).toMatchObject({ id: top.id, type: "folder", name: "top", originalParentId: parent.id, sizeBytes: 6, fileCount: 2 });
    expect(Date.parse(bin.items[0]!.purgeAt) - Date.parse(bin.items[0]!.deletedAt)).toBe(TRASH_RETENTION_MS);
    // Bytes in the bin still count until deleted forever.
    expect(await driveRow(a.driveId)).toEqual({ used: 6, reserved: 0 });

    const restored = await ok<{ restored: unknown[] }>(api("POST", "/api/drive/trash", a, { fileIds: [], folderIds: [top.id] }));
    expect(restored.restored).toEqual([{ id: top.id, type: "folder", name: "top", parentId: parent.id }]);
    expect((await list(a, `?parentId=${sub.id}`)).files.map((f) => f.name)).toEqual(["two.txt"]);
    expect((await list(a, `?parentId=${top.id}`)).files.map((f) => f.name)).toEqual(["one.txt"]);
    expect((await trash(a)).items).toEqual([]);
  });

  it("keeps an item trashed before its folder as its own bin item", async () => {
    const a = await registerDrive();
    const folder = await mkdir(a, "folder");
    const early = await upload(a, "early.txt", "e", folder.id);
    await upload(a, "late.txt", "l", folder.id);
    await ok(api("DELETE", `/api/drive/items/${early.id}?type=file`, a), 204);
    await ok(api("DELETE", `/api/drive/items/${folder.id}?type=folder`, a), 204);
    const items = (await trash(a)).items;
    expect(items.map((i) => `${i.type}:${i.name}:${i.fileCount}`).sort()).toEqual(["file:early.txt:1", "folder:folder:1"]);
    await ok(api("POST", "/api/drive/trash", a, { folderIds: [folder.id] }));
    expect((await list(a, `?parentId=${folder.id}`)).files.map((f) => f.name)).toEqual(["late.txt"]);
    expect((await trash(a)).items.map((i) => i.id)).toEqual([early.id]);
  });

  it("restores to the root when the original folder is gone, and suffixes a name taken meanwhile", async () => {
    const a = await registerDrive();
    const folder = await mkdir(a, "gone");
    const file = await upload(a, "doc.txt", "x", folder.id);
    await ok(api("DELETE", `/api/drive/items/${file.id}?type=file`, a), 204);
    await ok(api("DELETE", `/api/drive/items/${folder.id}?type=folder`, a), 204);
    await ok(api("DELETE", "/api/drive/trash", a, { folderIds: [folder.id] }));
    await upload(a, "doc.txt", "y");
    const res = await ok<{ restored: { parentId: string | null; name: string }[] }>(api("POST", "/api/drive/trash", a, { fileIds: [file.id] }));
    expect(res.restored[0]).toMatchObject({ parentId: null, name: "doc (1).txt" });
    expect((await list(a)).files.map((f) => f.name).sort()).toEqual(["doc (1).txt", "doc.txt"]);
  });

  it("restores a file into its folder when that folder comes back in the same request", async () => {
    const a = await registerDrive();
    const top = await mkdir(a, "top");
    const inner = await mkdir(a, "inner", top.id);
    const file = await upload(a, "x.txt", "x", inner.id);
    await ok(api("DELETE", `/api/drive/items/${file.id}?type=file`, a), 204);
    await ok(api("DELETE", `/api/drive/items/${top.id}?type=folder`, a), 204);
    const res = await ok<{ restored: { id: string; parentId: string | null }[] }>(api("POST", "/api/drive/trash", a, { fileIds: [file.id], folderIds: [top.id] }));
    expect(res.restored.find((r) => r.id === file.id)!.parentId).toBe(inner.id);
    expect((await list(a, `?parentId=${inner.id}`)).files.map((f) => f.id)).toEqual([file.id]);
  });

  it("restores a folder whose name was reused with a suffix instead of failing", async () => {
    const a = await registerDrive();
    const first = await mkdir(a, "Reports");
    await ok(api("DELETE", `/api/drive/items/${first.id}?type=folder`, a), 204);
    await mkdir(a, "Reports");
    const res = await ok<{ restored: { name: string }[] }>(api("POST", "/api/drive/trash", a, { folderIds: [first.id] }));
    expect(res.restored[0]!.name).toBe("Reports (1)");
  });

  it("deletes forever: rows and R2 objects gone, quota freed", async () => {
    const a = await registerDrive();
    const folder = await mkdir(a, "f");
    const inner = await upload(a, "inner.bin", "123456", folder.id);
    const loose = await upload(a, "loose.bin", "1234");
    expect(await driveRow(a.driveId)).toEqual({ used: 10, reserved: 0 });
    await ok(api("DELETE", `/api/drive/items/${folder.id}?type=folder`, a), 204);
    await ok(api("DELETE", `/api/drive/items/${loose.id}?type=file`, a), 204);
    const res = await ok(api("DELETE", "/api/drive/trash", a, { fileIds: [loose.id], folderIds: [folder.id] }));
    expect(res).toEqual({ deletedFiles: 1, deletedFolders: 1 });
    expect(await driveRow(a.driveId)).toEqual({ used: 0, reserved: 0 });
    expect(await env.FILES.head(inner.storageKey)).toBeNull();
    expect(await env.FILES.head(loose.storageKey)).toBeNull();
    const rows = await env.DB.prepare("SELECT (SELECT count(*) FROM drive_files WHERE drive_id = ?1) + (SELECT count(*) FROM drive_folders WHERE drive_id = ?1) AS n")
      .bind(a.driveId)
      .first<{ n: number }>();
    expect(rows!.n).toBe(0);
    expect((await trash(a)).items).toEqual([]);
    const storage = await ok<{ usedBytes: number }>(api("GET", "/api/drive/storage", a));
    expect(storage.usedBytes).toBe(0);
  });

  it("refuses to restore or purge ids that are not bin items, all or nothing", async () => {
    const a = await registerDrive();
    const live = await upload(a, "live.txt", "x");
    const binned = await upload(a, "binned.txt", "y");
    await ok(api("DELETE", `/api/drive/items/${binned.id}?type=file`, a), 204);
    for (const method of ["POST", "DELETE"]) {
      const res = await api(method, "/api/drive/trash", a, { fileIds: [binned.id, live.id] });
      expect(res.status).toBe(404);
    }
    expect((await trash(a)).items.map((i) => i.id)).toEqual([binned.id]);
    expect(await env.FILES.head(binned.storageKey)).not.toBeNull();
    // Trashing twice is a 404: the item is not live anymore.
    expect((await api("DELETE", `/api/drive/items/${binned.id}?type=file`, a)).status).toBe(404);
  });

  it("restores and deletes forever 100 files of one request (the maximum) in one go", async () => {
    const a = await registerDrive();
    const now = Date.now();
    const ids = Array.from({ length: 100 }, (_, i) => `df_many${String(i).padStart(3, "0")}`);
    await env.DB.batch(
      ids.map((id, i) =>
        env.DB.prepare(
          "INSERT INTO drive_files (id, drive_id, folder_id, name, name_key, content_type, size_bytes, storage_key, deleted_at, created_at, updated_at) VALUES (?, ?, NULL, ?, ?, 'text/plain', 1, ?, ?, ?, ?)",
        ).bind(id, a.driveId, `f${i}.txt`, `f${i}.txt`, `drive/${a.driveId}/${id}/f.txt`, now, now, now),
      ),
    );
    const restored = await ok<{ restored: unknown[] }>(api("POST", "/api/drive/trash", a, { fileIds: ids }));
    expect(restored.restored).toHaveLength(100);
    expect((await list(a, "?limit=500")).files).toHaveLength(100);
    await env.DB.prepare("UPDATE drive_files SET deleted_at = ? WHERE drive_id = ?").bind(now, a.driveId).run();
    expect(await ok(api("DELETE", "/api/drive/trash", a, { fileIds: ids }))).toEqual({ deletedFiles: 100, deletedFolders: 0 });
    expect((await trash(a)).items).toEqual([]);
  });

  it("rejects bad trash bodies with 400", async () => {
    const a = await registerDrive();
    for (const body of [{}, { fileIds: [] }, { fileIds: "x" }, { fileIds: [1] }, { folderIds: Array.from({ length: 101 }, (_, i) => `fld_${i}`) }, { fileIds: ["a"], x: 1 }]) {
      expect((await api("POST", "/api/drive/trash", a, body)).status, JSON.stringify(body)).toBe(400);
      expect((await api("DELETE", "/api/drive/trash", a, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await api("DELETE", "/api/drive/items/x?type=folders", a)).status).toBe(400);
  });

  it("the cron purges bin items older than 30 days and keeps younger ones", async () => {
    const a = await registerDrive();
    const old = await mkdir(a, "old");
    const oldFile = await upload(a, "old.txt", "12345", old.id);
    const young = await upload(a, "young.txt", "123");
    await ok(api("DELETE", `/api/drive/items/${old.id}?type=folder`, a), 204);
    await ok(api("DELETE", `/api/drive/items/${young.id}?type=file`, a), 204);
    const now = Date.now();
    await env.DB.prepare("UPDATE drive_folders SET deleted_at = ? WHERE id = ?").bind(now - TRASH_RETENTION_MS - 1000, old.id).run();
    await env.DB.prepare("UPDATE drive_files SET deleted_at = ? WHERE trashed_with = ?").bind(now - TRASH_RETENTION_MS - 1000, old.id).run();
    const purged = await purgeExpiredTrash(getDb(env.DB), env.FILES, now);
    expect(purged).toBeGreaterThanOrEqual(1);
    expect((await trash(a)).items.map((i) => i.id)).toEqual([young.id]);
    expect(await env.FILES.head(oldFile.storageKey)).toBeNull();
    expect(await driveRow(a.driveId)).toEqual({ used: 3, reserved: 0 });
  });

  it("the scheduled handler runs the bin purge", async () => {
    const a = await registerDrive();
    const f = await upload(a, "x.txt", "xx");
    await ok(api("DELETE", `/api/drive/items/${f.id}?type=file`, a), 204);
    await env.DB.prepare("UPDATE drive_files SET deleted_at = 1 WHERE id = ?").bind(f.id).run();
    const worker = (await import("../../src/index")).default;
    await worker.scheduled({ scheduledTime: Date.now(), cron: "*/15 * * * *", noRetry() {} } as ScheduledController, env);
    expect((await trash(a)).items).toEqual([]);
    expect(await driveRow(a.driveId)).toEqual({ used: 0, reserved: 0 });
  });
});

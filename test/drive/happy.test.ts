import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db";
import { purgeExpiredTrash, TRASH_RETENTION_MS } from "../../src/drive/service";
import { api, ok, registerDrive, submitForm } from "../factories";
import { drivePage, driveRow, list, mkdir, trash, upload, type DriveFile, type Folder, type Listing } from "./helpers";

describe("folders and listing", () => {
  it("lists an empty root with the root breadcrumb", async () => {
    const a = await registerDrive();
    const root = await list(a);
    expect(root).toMatchObject({ parentId: null, folder: null, breadcrumbs: [{ id: null, name: "My Drive" }], folders: [], files: [], nextCursor: null });
  });

  it("creates nested folders and lists a folder with breadcrumbs from the root", async () => {
    const a = await registerDrive();
    const docs = await mkdir(a, "My Folder");
    expect(docs).toMatchObject({ type: "folder", name: "My Folder", parentId: null, isIntegrationAppFolder: false });
    expect(docs.id).toMatch(/^fld_/);
    const y2024 = await mkdir(a, "2024", docs.id);
    await upload(a, "notes.txt", "abc", y2024.id);
    const inner = await list(a, `?parentId=${y2024.id}`);
    expect(inner.breadcrumbs).toEqual([
      { id: null, name: "My Drive" },
      { id: docs.id, name: "My Folder" },
      { id: y2024.id, name: "2024" },
    ]);
    expect(inner.files.map((f) => f.name)).toEqual(["notes.txt"]);
    expect(inner.files[0]).toMatchObject({ folderId: y2024.id, sizeBytes: 3, contentType: "text/plain" });
    expect(inner.files[0]!.url).toContain("/api/drive/media?t=");
    const root = await list(a);
    expect(root.folders.map((f) => f.name)).toEqual(["My Folder"]);
    expect(root.files).toEqual([]);
  });

  it("creates a folder with the documented body (parentId null)", async () => {
    const a = await registerDrive();
    const res = await api("POST", "/api/drive", a, { name: "My Folder", parentId: null });
    expect(res.status).toBe(201);
  });

  it("gives a clashing file name a desktop-style (n) suffix", async () => {
    const a = await registerDrive();
    const names = [];
    for (let i = 0; i < 3; i++) names.push((await upload(a, "report.pdf", "x")).name);
    expect(names).toEqual(["report.pdf", "report (1).pdf", "report (2).pdf"]);
    expect((await upload(a, "README", "x")).name).toBe("README");
    expect((await upload(a, "README", "x")).name).toBe("README (1)");
  });

  it("orders folders first, then files, by name, and pages through a folder with the cursor", async () => {
    const a = await registerDrive();
    const parent = await mkdir(a, "big");
    for (const n of ["c", "A", "b"]) await mkdir(a, `dir ${n}`, parent.id);
    for (let i = 0; i < 7; i++) await upload(a, `file-${i}.txt`, "x", parent.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Listing = await list(a, `?parentId=${parent.id}&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.folders.map((f) => `d:${f.name}`), ...page.files.map((f) => `f:${f.name}`));
      expect(page.folders.length + page.files.length).toBeLessThanOrEqual(3);
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen).toEqual(["d:dir A", "d:dir b", "d:dir c", ...Array.from({ length: 7 }, (_, i) => `f:file-${i}.txt`)]);
  });

  it("pages a folder of 10,000 files quickly from its first page", async () => {
    const a = await registerDrive();
    const folder = await mkdir(a, "huge");
    const now = Date.now();
    const stmts = [];
    for (let i = 0; i < 10_000; i++) {
      const id = `df_bulk${String(i).padStart(6, "0")}`;
      stmts.push(
        env.DB.prepare(
          "INSERT INTO drive_files (id, drive_id, folder_id, name, name_key, content_type, size_bytes, storage_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'text/plain', 1, ?, ?, ?)",
        ).bind(id, a.driveId, folder.id, `f${i}.txt`, `f${i}.txt`, `drive/${a.driveId}/${id}/f.txt`, now, now),
      );
    }
    for (let i = 0; i < stmts.length; i += 1000) await env.DB.batch(stmts.slice(i, i + 1000));
    const t0 = Date.now();
    const first = await list(a, `?parentId=${folder.id}`);
    const elapsed = Date.now() - t0;
    expect(first.files).toHaveLength(100);
    expect(first.nextCursor).not.toBeNull();
    const second = await list(a, `?parentId=${folder.id}&cursor=${first.nextCursor}`);
    expect(second.files[0]!.name > first.files[99]!.name).toBe(true);
    expect(elapsed).toBeLessThan(2000);
    const plan = await env.DB.prepare(
      "EXPLAIN QUERY PLAN SELECT * FROM drive_files WHERE drive_id = ? AND folder_id = ? AND deleted_at IS NULL ORDER BY name_key, id LIMIT 101",
    )
      .bind(a.driveId, folder.id)
      .all();
    expect(JSON.stringify(plan.results)).toContain("drive_files_folder_idx");
    expect(JSON.stringify(plan.results)).not.toContain("TEMP B-TREE");
  });
});

describe("item metadata, rename and move", () => {
  it("returns file metadata with url and mediaToken, and folder metadata with breadcrumbs", async () => {
    const a = await registerDrive();
    const f = await mkdir(a, "Docs");
    const file = await upload(a, "a.txt", "hello", f.id);
    const meta = await ok<DriveFile>(api("GET", `/api/drive/items/${file.id}?type=file`, a));
    expect(meta).toMatchObject({ id: file.id, name: "a.txt", folderId: f.id, sizeBytes: 5 });
    expect(meta.url).toBe(`http://localhost/api/drive/media?t=${meta.mediaToken}`);
    const folder = await ok<Folder & { breadcrumbs: unknown[] }>(api("GET", `/api/drive/items/${f.id}?type=folder`, a));
    expect(folder).toMatchObject({ id: f.id, name: "Docs", breadcrumbs: [{ id: null, name: "My Drive" }, { id: f.id, name: "Docs" }] });
    // type is inferred from the id when omitted; the wrong type is a 404
    expect((await api("GET", `/api/drive/items/${f.id}`, a)).status).toBe(200);
    expect((await api("GET", `/api/drive/items/${f.id}?type=file`, a)).status).toBe(404);
    expect((await api("GET", `/api/drive/items/${file.id}?type=dir`, a)).status).toBe(400);
  });

  it("renames and moves files and folders", async () => {
    const a = await registerDrive();
    const src = await mkdir(a, "src");
    const dst = await mkdir(a, "dst");
    const file = await upload(a, "old.txt", "x", src.id);
    const moved = await ok<DriveFile>(api("PATCH", `/api/drive/items/${file.id}?type=file`, a, { name: "New name", targetFolderId: dst.id }));
    expect(moved).toMatchObject({ name: "New name", folderId: dst.id });
    const renamed = await ok<Folder>(api("PATCH", `/api/drive/items/${src.id}?type=folder`, a, { name: "source" }));
    expect(renamed).toMatchObject({ name: "source", parentId: null });
    const nested = await ok<Folder>(api("PATCH", `/api/drive/items/${src.id}?type=folder`, a, { targetFolderId: dst.id }));
    expect(nested.parentId).toBe(dst.id);
    const back = await ok<Folder>(api("PATCH", `/api/drive/items/${src.id}?type=folder`, a, { targetFolderId: null }));
    expect(back.parentId).toBeNull();
    const toRoot = await ok<DriveFile>(api("PATCH", `/api/drive/items/${file.id}?type=file`, a, { targetFolderId: null }));
    expect(toRoot.folderId).toBeNull();
  });
});

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

describe("Drive dashboard page", () => {
  it("renders breadcrumbs, the storage meter, uploads and the nav link, with a nonce CSP", async () => {
    const a = await registerDrive();
    const f = await mkdir(a, "Holidays");
    await upload(a, "beach.png", "png", f.id, "image/png");
    await upload(a, "doc.pdf", "%PDF-1.4", f.id, "application/pdf");
    const { status, html, csp } = await drivePage(a, `?folder=${f.id}`);
    expect(status).toBe(200);
    expect(html).toContain('href="/dashboard/drive">Drive</a>');
    expect(html).toContain('aria-label="Breadcrumb"');
    expect(html).toContain('data-testid="storage-meter"');
    expect(html).toContain(`data-folder-id="${f.id}"`);
    expect(html).toContain('data-preview="image"');
    expect(html).toContain('data-preview="pdf"');
    expect(csp).toMatch(/script-src 'nonce-[^']+'/);
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it("creates, renames, moves and deletes through forms, then restores and deletes forever from the bin", async () => {
    const a = await registerDrive();
    const created = await submitForm(a, "/dashboard/drive/folders", { name: "Projects", parentId: "", back: "/dashboard/drive" });
    expect(created.status).toBe(303);
    const projects = (await list(a)).folders.find((f) => f.name === "Projects")!;
    const file = await upload(a, "plan.txt", "plan");
    expect((await submitForm(a, `/dashboard/drive/items/${file.id}/rename`, { type: "file", name: "plan-v2.txt", back: "/dashboard/drive" })).status).toBe(303);
    expect((await submitForm(a, `/dashboard/drive/items/${file.id}/move`, { type: "file", targetFolderId: projects.id, back: "/dashboard/drive" })).status).toBe(303);
    expect((await list(a, `?parentId=${projects.id}`)).files.map((x) => x.name)).toEqual(["plan-v2.txt"]);
    const dup = await submitForm(a, "/dashboard/drive/folders", { name: "projects", parentId: "", back: "/dashboard/drive" });
    expect(dup.status).toBe(409);
    expect(await dup.text()).toContain("already exists");
    const loop = await submitForm(a, `/dashboard/drive/items/${projects.id}/move`, { type: "folder", targetFolderId: projects.id, back: "/dashboard/drive" });
    expect(loop.status).toBe(400);

    expect((await submitForm(a, `/dashboard/drive/items/${projects.id}/delete`, { type: "folder", back: "/dashboard/drive" })).status).toBe(303);
    const bin = await drivePage(a, "?view=trash");
    expect(bin.html).toContain(`data-trash-id="${projects.id}"`);
    expect(bin.html).toContain("(1 file(s))");
    const restore = await submitForm(a, "/dashboard/drive/trash/restore", { type: "folder", id: projects.id, back: "/dashboard/drive?view=trash" });
    expect(restore.status).toBe(303);
    expect(restore.headers.get("location")).toBe("/dashboard/drive?view=trash");
    expect((await list(a, `?parentId=${projects.id}`)).files).toHaveLength(1);
    await submitForm(a, `/dashboard/drive/items/${projects.id}/delete`, { type: "folder", back: "/dashboard/drive" });
    expect((await submitForm(a, "/dashboard/drive/trash/delete", { type: "folder", id: projects.id, back: "/dashboard/drive?view=trash" })).status).toBe(303);
    expect((await ok<{ items: unknown[] }>(api("GET", "/api/drive/trash", a))).items).toEqual([]);
  });
});

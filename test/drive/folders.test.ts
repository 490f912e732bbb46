import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, list, mkdir, ok, registerDrive, upload, type DriveFile, type Folder, type Listing } from "./helpers";

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

  it("refuses a second folder of the same name in one parent with 409 name_conflict, case-insensitively", async () => {
    const a = await registerDrive();
    await mkdir(a, "Photos");
    const dup = await api("POST", "/api/drive", a, { name: "photos" });
    expect(dup.status).toBe(409);
    expect(await dup.json()).toMatchObject({ error: "name_conflict" });
    const other = await mkdir(a, "Other");
    expect((await mkdir(a, "Photos", other.id)).name).toBe("Photos");
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

  it("rejects a garbled cursor and unknown parents", async () => {
    const a = await registerDrive();
    expect((await api("GET", "/api/drive?cursor=not-a-cursor", a)).status).toBe(400);
    expect((await api("GET", "/api/drive?parentId=fld_nope", a)).status).toBe(404);
    expect((await api("GET", "/api/drive?limit=0", a)).status).toBe(400);
    expect((await api("GET", "/api/drive?limit=501", a)).status).toBe(400);
    expect((await api("GET", "/api/drive?includeIntegrationAppFolders=yes", a)).status).toBe(400);
  });

  it("rejects bad folder bodies with 400 and writes nothing", async () => {
    const a = await registerDrive();
    for (const body of [{}, { name: "" }, { name: "   " }, { name: "a/b" }, { name: ".." }, { name: "x".repeat(256) }, { name: 5 }, { name: "ok", extra: 1 }, { name: "ok", parentId: "x".repeat(65) }]) {
      const res = await api("POST", "/api/drive", a, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.json()).toMatchObject({ error: "invalid_request" });
    }
    expect((await api("POST", "/api/drive", a, { name: "x", parentId: "fld_missing" })).status).toBe(404);
    expect((await list(a)).folders).toEqual([]);
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

  it("refuses to move a folder into itself or a descendant with 400 invalid_move", async () => {
    const a = await registerDrive();
    const top = await mkdir(a, "top");
    const mid = await mkdir(a, "mid", top.id);
    const leaf = await mkdir(a, "leaf", mid.id);
    for (const target of [top.id, mid.id, leaf.id]) {
      const res = await api("PATCH", `/api/drive/items/${top.id}?type=folder`, a, { targetFolderId: target });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: "invalid_move" });
    }
    expect((await list(a)).folders.map((f) => f.id)).toEqual([top.id]);
  });

  it("refuses a move or rename onto a taken folder name with 409, and suffixes a moved file", async () => {
    const a = await registerDrive();
    const one = await mkdir(a, "one");
    const two = await mkdir(a, "two");
    await mkdir(a, "same", two.id);
    const same = await mkdir(a, "same", one.id);
    const res = await api("PATCH", `/api/drive/items/${same.id}?type=folder`, a, { targetFolderId: two.id });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: "name_conflict" });
    expect((await api("PATCH", `/api/drive/items/${one.id}?type=folder`, a, { name: "TWO" })).status).toBe(409);
    expect((await api("PATCH", `/api/drive/items/${one.id}?type=folder`, a, { name: "One" })).status).toBe(200);
    await upload(a, "a.txt", "1", two.id);
    const b = await upload(a, "a.txt", "2", one.id);
    const moved = await ok<DriveFile>(api("PATCH", `/api/drive/items/${b.id}?type=file`, a, { targetFolderId: two.id }));
    expect(moved.name).toBe("a (1).txt");
  });

  it("rejects bad PATCH bodies and unknown targets without changing anything", async () => {
    const a = await registerDrive();
    const f = await mkdir(a, "f");
    for (const body of [{}, { name: "" }, { name: "a\\b" }, { targetFolderId: 3 }, { name: "ok", other: true }]) {
      const res = await api("PATCH", `/api/drive/items/${f.id}?type=folder`, a, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await api("PATCH", `/api/drive/items/${f.id}?type=folder`, a, { targetFolderId: "fld_unknown" })).status).toBe(404);
    expect((await api("PATCH", `/api/drive/items/fld_unknown?type=folder`, a, { name: "x" })).status).toBe(404);
    const text = await api("PATCH", `/api/drive/items/${f.id}?type=folder`, a);
    expect(text.status).toBe(400);
    expect((await list(a)).folders).toMatchObject([{ id: f.id, name: "f", parentId: null }]);
  });
});

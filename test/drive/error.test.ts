import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db";
import { purgeItems } from "../../src/drive/service";
import { connectedDrive, createPartnerApp } from "../connect/helpers";
import { api, call, keyHeaders, ok, putPresigned, registerAccount, registerDrive } from "../factories";
import { drivePage, driveRow, INTEGRATION_HEADER, list, mkdir, presign, trash, upload, uploadForm, type DriveFile } from "./helpers";

describe("folders and listing", () => {
  it("refuses a second folder of the same name in one parent with 409 name_conflict, case-insensitively", async () => {
    const a = await registerDrive();
    await mkdir(a, "Photos");
    const dup = await api("POST", "/api/drive", a, { name: "photos" });
    expect(dup.status).toBe(409);
    expect(await dup.json()).toMatchObject({ error: "name_conflict" });
    const other = await mkdir(a, "Other");
    expect((await mkdir(a, "Photos", other.id)).name).toBe("Photos");
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

describe("uploads", () => {
  it("deletes the object and releases the reservation when the PUT size differs", async () => {
    const a = await registerDrive();
    const p = await presign(a, { fileName: "x.txt", contentType: "text/plain", sizeBytes: 5 });
    expect(await driveRow(a.driveId)).toEqual({ used: 0, reserved: 5 });
    await putPresigned(p, "toolong");
    const res = await api("POST", "/api/drive/upload/complete", a, { storageKey: p.storageKey });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "upload_incomplete_or_mismatch", detail: "size_mismatch_object_deleted" });
    expect(await env.FILES.head(p.storageKey)).toBeNull();
    expect(await driveRow(a.driveId)).toEqual({ used: 0, reserved: 0 });
  });

  it("refuses uploads past the plan's limit with 413 and reports used bytes and the limit", async () => {
    const a = await registerDrive();
    const storage = await ok<{ usedBytes: number; limitBytes: number }>(api("GET", "/api/drive/storage", a));
    expect(storage.usedBytes).toBe(0);
    expect(storage.limitBytes).toBeGreaterThan(0);
    await env.DB.prepare("UPDATE drives SET used_bytes = ? WHERE id = ?").bind(storage.limitBytes - 5, a.driveId).run();
    const pres = await api("POST", "/api/drive/upload/presign", a, { fileName: "big.bin", sizeBytes: 6 });
    expect(pres.status).toBe(413);
    expect(await pres.json()).toMatchObject({ error: "storage_limit_exceeded" });
    const proxied = await uploadForm(a, "big.bin", "123456");
    expect(proxied.status).toBe(413);
    expect((await uploadForm(a, "fits.bin", "12345")).status).toBe(201);
    expect(await ok(api("GET", "/api/drive/storage", a))).toEqual({ usedBytes: storage.limitBytes, limitBytes: storage.limitBytes });
    expect((await list(a)).files.map((f) => f.name)).toEqual(["fits.bin"]);
  });

  it("concurrent presigns past the limit: the ones that fit succeed, the rest get 413", async () => {
    const a = await registerDrive();
    const { limitBytes } = await ok<{ limitBytes: number }>(api("GET", "/api/drive/storage", a));
    await env.DB.prepare("UPDATE drives SET used_bytes = ? WHERE id = ?").bind(limitBytes - 30, a.driveId).run();
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => api("POST", "/api/drive/upload/presign", a, { fileName: `f${i}`, sizeBytes: 10 })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(3);
    expect(results.filter((r) => r.status === 413)).toHaveLength(3);
  });

  it("rejects bad presign, complete and multipart input with 4xx", async () => {
    const a = await registerDrive();
    for (const body of [{}, { fileName: "", sizeBytes: 1 }, { fileName: "a", sizeBytes: -1 }, { fileName: "a", sizeBytes: 1.5 }, { fileName: "a", sizeBytes: 6 * 1024 ** 3 }, { fileName: "a", sizeBytes: 1, x: 1 }, { fileName: "a".repeat(256), sizeBytes: 1 }]) {
      expect((await api("POST", "/api/drive/upload/presign", a, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await api("POST", "/api/drive/upload/presign", a, { fileName: "a", sizeBytes: 1, folderId: "fld_nope" })).status).toBe(404);
    for (const body of [{}, { storageKey: "" }, { storageKey: "k".repeat(513) }, { storageKey: "x", sizeBytes: "1" }]) {
      expect((await api("POST", "/api/drive/upload/complete", a, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await api("POST", "/api/drive/upload/complete", a, { storageKey: `drive/${a.driveId}/df_x/none` })).status).toBe(404);
    const noFile = new FormData();
    noFile.append("folderId", "");
    expect((await call("/api/drive/upload", { method: "POST", headers: keyHeaders(a), body: noFile })).status).toBe(400);
    expect((await uploadForm(a, "x.txt", "x", "fld_nope")).status).toBe(404);
    const wrongType = await call("/api/drive/upload/presign", { method: "POST", headers: keyHeaders(a, { "content-type": "text/plain" }), body: "x" });
    expect(wrongType.status).toBe(415);
    expect(await driveRow(a.driveId)).toEqual({ used: 0, reserved: 0 });
  });

  it("a file can't be completed into a folder that went to the bin meanwhile", async () => {
    const a = await registerDrive();
    const folder = await mkdir(a, "target");
    const p = await presign(a, { fileName: "x.txt", contentType: "text/plain", sizeBytes: 1, folderId: folder.id });
    await putPresigned(p, "x");
    await ok(api("DELETE", `/api/drive/items/${folder.id}?type=folder`, a), 204);
    expect((await api("POST", "/api/drive/upload/complete", a, { storageKey: p.storageKey })).status).toBe(404);
    expect(await driveRow(a.driveId)).toEqual({ used: 0, reserved: 0 });
  });
});

describe("Recycle Bin", () => {
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

  it("rejects bad trash bodies with 400", async () => {
    const a = await registerDrive();
    for (const body of [{}, { fileIds: [] }, { fileIds: "x" }, { fileIds: [1] }, { folderIds: Array.from({ length: 101 }, (_, i) => `fld_${i}`) }, { fileIds: ["a"], x: 1 }]) {
      expect((await api("POST", "/api/drive/trash", a, body)).status, JSON.stringify(body)).toBe(400);
      expect((await api("DELETE", "/api/drive/trash", a, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await api("DELETE", "/api/drive/items/x?type=folders", a)).status).toBe(400);
  });
});

describe("Drive dashboard page", () => {
  it("tells an account without Drive to enable it", async () => {
    const studio = await registerAccount("studio");
    const res = await drivePage(studio);
    expect(res.status).toBe(404);
    expect(res.html).toContain("Drive is not enabled");
  });
});

describe("partner-app folders", () => {
  it("refuses a body client id that differs from the header", async () => {
    const app = await createPartnerApp("drive");
    const user = await connectedDrive(app);
    const res = await api("POST", "/api/drive/upload/presign", user, { fileName: "x", sizeBytes: 1, integrationClientId: "other" }, { [INTEGRATION_HEADER]: app.clientId });
    expect(res.status).toBe(400);
  });
});

describe("deleting forever at the same time", () => {
  // Requests sent through the Worker's fetch in one test run one after another, so the race is
  // driven one level down: ten purges of the same selection interleave at their D1 awaits.
  it("reports each trashed item deleted by exactly one of ten parallel purges, and frees its bytes once", async () => {
    const a = await registerDrive();
    const file = await upload(a, "twice.txt", "x".repeat(1000));
    const folder = await mkdir(a, "Gone");
    await upload(a, "inside.txt", "y".repeat(500), folder.id);
    const before = (await driveRow(a.driveId)).used;
    await ok(api("DELETE", `/api/drive/items/${file.id}?type=file`, a), 204);
    await ok(api("DELETE", `/api/drive/items/${folder.id}?type=folder`, a), 204);
    const ctx = { driveId: a.driveId, profileId: a.profileId, via: "apiKey" as const, app: null };
    const runs = await Promise.allSettled(
      Array.from({ length: 10 }, () => purgeItems(getDb(env.DB), env.FILES, ctx, { fileIds: [file.id], folderIds: [folder.id] })),
    );
    const done = runs.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    expect(done.reduce((n, d) => n + d.deletedFiles, 0)).toBe(1);
    expect(done.reduce((n, d) => n + d.deletedFolders, 0)).toBe(1);
    expect((await driveRow(a.driveId)).used).toBe(before - 1500);
    expect((await trash(a)).items).toEqual([]);
  });
});

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, call, driveRow, fetchUrl, keyHeaders, list, mkdir, ok, registerDrive, upload, uploadForm, type DriveFile } from "./helpers";
import { documentedPresignedUpload } from "./documented-upload.js";

const workerFetch = (url: string, init?: RequestInit) => fetchUrl(url, init);

describe("documented examples", () => {
  it("cURL - List Drive files: GET /api/drive with x-api-key", async () => {
    const a = await registerDrive();
    const res = await call("/api/drive", { headers: { "x-api-key": a.key } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ folders: [], files: [] });
  });

  it("cURL - Upload to Drive: multipart folderId + file", async () => {
    const a = await registerDrive();
    const folder = await mkdir(a, "FOLDER");
    const form = new FormData();
    form.append("folderId", folder.id);
    form.append("file", new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])], "image.jpg", { type: "image/jpeg" }));
    const res = await call("/api/drive/upload", { method: "POST", headers: { "x-api-key": a.key }, body: form });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ name: "image.jpg", folderId: folder.id, contentType: "image/jpeg", sizeBytes: 4 });
  });

  it("JavaScript - Drive presigned upload runs unchanged, into a folder and into the root", async () => {
    const a = await registerDrive();
    const folder = await mkdir(a, "uploads");
    const logged: unknown[][] = [];
    const file = new File(["hello drive"], "hello.txt", { type: "text/plain" });
    await documentedPresignedUpload(workerFetch, { files: [file] }, { log: (...x) => logged.push(x) }, a.key, folder.id);
    expect(logged[0]![0]).toBe("Uploaded:");
    expect(logged[0]![1]).toMatchObject({ name: "hello.txt", folderId: folder.id, sizeBytes: 11, contentType: "text/plain" });
    const untyped = new File([new Uint8Array(3)], "blob.bin");
    await documentedPresignedUpload(workerFetch, { files: [untyped] }, { log: (...x) => logged.push(x) }, a.key, null);
    expect(logged[1]![1]).toMatchObject({ name: "blob.bin", folderId: null, contentType: "application/octet-stream" });
    const stored = await env.FILES.get((logged[0]![1] as DriveFile).storageKey);
    expect(await stored!.text()).toBe("hello drive");
    expect(await driveRow(a.driveId)).toEqual({ used: 14, reserved: 0 });
  });

  it("the example's retry loop gets the documented retryable 409 when the object is not there yet", async () => {
    const a = await registerDrive();
    const p = await ok<{ storageKey: string; uploadUrl: string; headers: Record<string, string> }>(
      api("POST", "/api/drive/upload/presign", a, { fileName: "x.txt", contentType: "text/plain", sizeBytes: 2, folderId: null }),
    );
    const early = await api("POST", "/api/drive/upload/complete", a, { storageKey: p.storageKey, fileName: "x.txt", contentType: "text/plain", sizeBytes: 2, folderId: null });
    expect(early.status).toBe(409);
    expect(await early.json()).toMatchObject({ error: "upload_incomplete_or_mismatch", detail: "object_not_visible_yet_retry_complete" });
    await fetchUrl(p.uploadUrl, { method: "PUT", headers: p.headers, body: "ok" });
    const done = await api("POST", "/api/drive/upload/complete", a, { storageKey: p.storageKey });
    expect(done.status).toBe(201);
    const again = await api("POST", "/api/drive/upload/complete", a, { storageKey: p.storageKey });
    expect(again.status).toBe(200);
    expect((await list(a)).files).toHaveLength(1);
  });
});

describe("uploads", () => {
  it("picks the key on the server under drive/{driveId}/", async () => {
    const a = await registerDrive();
    const f = await upload(a, "../../etc/passwd", "x");
    expect(f.storageKey).toMatch(new RegExp(`^drive/${a.driveId}/df_[A-Za-z0-9]+/etc_passwd$`));
    expect(f.name).toBe("passwd");
  });

  it("deletes the object and releases the reservation when the PUT size differs", async () => {
    const a = await registerDrive();
    const p = await ok<{ storageKey: string; uploadUrl: string; headers: Record<string, string> }>(
      api("POST", "/api/drive/upload/presign", a, { fileName: "x.txt", contentType: "text/plain", sizeBytes: 5 }),
    );
    expect(await driveRow(a.driveId)).toEqual({ used: 0, reserved: 5 });
    await fetchUrl(p.uploadUrl, { method: "PUT", headers: p.headers, body: "toolong" });
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
    const p = await ok<{ storageKey: string; uploadUrl: string; headers: Record<string, string> }>(
      api("POST", "/api/drive/upload/presign", a, { fileName: "x.txt", contentType: "text/plain", sizeBytes: 1, folderId: folder.id }),
    );
    await fetchUrl(p.uploadUrl, { method: "PUT", headers: p.headers, body: "x" });
    await ok(api("DELETE", `/api/drive/items/${folder.id}?type=folder`, a), 204);
    expect((await api("POST", "/api/drive/upload/complete", a, { storageKey: p.storageKey })).status).toBe(404);
    expect(await driveRow(a.driveId)).toEqual({ used: 0, reserved: 0 });
  });
});

describe("media", () => {
  it("streams with safe headers, Range and 304, and only inline for allowlisted media", async () => {
    const a = await registerDrive();
    const img = await upload(a, "photo.png", "0123456789", null, "image/png");
    const html = await upload(a, "page.html", "<script>alert(1)</script>", null, "text/html");
    const meta = await ok<DriveFile>(api("GET", `/api/drive/items/${img.id}`, a));
    const full = await fetchUrl(meta.url!);
    expect(full.status).toBe(200);
    expect(full.headers.get("content-type")).toBe("image/png");
    expect(full.headers.get("x-content-type-options")).toBe("nosniff");
    expect(full.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    expect(full.headers.get("content-disposition")).toMatch(/^inline/);
    expect(await full.text()).toBe("0123456789");
    const part = await fetchUrl(meta.url!, { headers: { range: "bytes=2-4" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 2-4/10");
    expect(await part.text()).toBe("234");
    const cached = await fetchUrl(meta.url!, { headers: { "if-none-match": full.headers.get("etag")! } });
    expect(cached.status).toBe(304);
    const h = await ok<DriveFile>(api("GET", `/api/drive/items/${html.id}`, a));
    const page = await fetchUrl(h.url!);
    expect(page.headers.get("content-type")).toBe("application/octet-stream");
    expect(page.headers.get("content-disposition")).toMatch(/^attachment/);
  });

  it("refuses tampered tokens and stops serving files in the bin", async () => {
    const a = await registerDrive();
    const f = await upload(a, "a.txt", "x");
    const meta = await ok<DriveFile>(api("GET", `/api/drive/items/${f.id}`, a));
    expect((await call(`/api/drive/media?t=${meta.mediaToken}x`)).status).toBe(403);
    expect((await call("/api/drive/media")).status).toBe(400);
    await ok(api("DELETE", `/api/drive/items/${f.id}?type=file`, a), 204);
    expect((await fetchUrl(meta.url!)).status).toBe(404);
  });

  it("a gallery media token never opens a drive URL", async () => {
    const a = await registerDrive();
    const f = await upload(a, "a.txt", "x");
    const meta = await ok<DriveFile>(api("GET", `/api/drive/items/${f.id}`, a));
    expect((await call(`/api/media?t=${meta.mediaToken}`)).status).toBe(403);
  });
});

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { connectedDrive, createPartnerApp } from "../connect/helpers";
import { api, call, fetchUrl, ok, putPresigned, registerDrive } from "../factories";
import { documentedPresignedUpload } from "./documented-upload.js";
import { driveRow, INTEGRATION_HEADER, list, mkdir, presign, upload, uploadForm, uploadPresigned, type DriveFile } from "./helpers";

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
    await documentedPresignedUpload(fetchUrl, { files: [file] }, { log: (...x) => logged.push(x) }, a.key, folder.id);
    expect(logged[0]![0]).toBe("Uploaded:");
    expect(logged[0]![1]).toMatchObject({ name: "hello.txt", folderId: folder.id, sizeBytes: 11, contentType: "text/plain" });
    const untyped = new File([new Uint8Array(3)], "blob.bin");
    await documentedPresignedUpload(fetchUrl, { files: [untyped] }, { log: (...x) => logged.push(x) }, a.key, null);
    expect(logged[1]![1]).toMatchObject({ name: "blob.bin", folderId: null, contentType: "application/octet-stream" });
    const stored = await env.FILES.get((logged[0]![1] as DriveFile).storageKey);
    expect(await stored!.text()).toBe("hello drive");
    expect(await driveRow(a.driveId)).toEqual({ used: 14, reserved: 0 });
  });

  it("the example's retry loop gets the documented retryable 409 when the object is not there yet", async () => {
    const a = await registerDrive();
    const p = await presign(a, { fileName: "x.txt", contentType: "text/plain", sizeBytes: 2, folderId: null });
    const early = await api("POST", "/api/drive/upload/complete", a, { storageKey: p.storageKey, fileName: "x.txt", contentType: "text/plain", sizeBytes: 2, folderId: null });
    expect(early.status).toBe(409);
    expect(await early.json()).toMatchObject({ error: "upload_incomplete_or_mismatch", detail: "object_not_visible_yet_retry_complete" });
    await putPresigned(p, "ok");
    const done = await api("POST", "/api/drive/upload/complete", a, { storageKey: p.storageKey });
    expect(done.status).toBe(201);
    const again = await api("POST", "/api/drive/upload/complete", a, { storageKey: p.storageKey });
    expect(again.status).toBe(200);
    expect((await list(a)).files).toHaveLength(1);
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
});

describe("partner-app folders", () => {
  it("puts uploads with the header into a top-level folder named after the app, created on first use", async () => {
    const app = await createPartnerApp("drive");
    const user = await connectedDrive(app);
    const h = { [INTEGRATION_HEADER]: app.clientId };
    expect((await list(user)).folders).toEqual([]);

    const first = await uploadPresigned(user, "a.txt", "aaa", null, h);
    const root = await list(user);
    expect(root.folders).toHaveLength(1);
    const appFolder = root.folders[0]!;
    expect(appFolder).toMatchObject({ name: "Partner " + app.redirectUri.match(/partner(\d+)/)![1], isIntegrationAppFolder: true, integrationClientId: app.clientId, parentId: null });
    expect(first.folderId).toBe(appFolder.id);

    // The JSON field works like the header; the proxy upload and folder creation land there too.
    const second = await uploadPresigned(user, "b.txt", "bb", null, {}, { integrationClientId: app.clientId });
    expect(second.folderId).toBe(appFolder.id);
    const third = await ok<DriveFile>(uploadForm(user, "c.txt", "c", null, "text/plain", h), 201);
    expect(third.folderId).toBe(appFolder.id);
    const sub = await mkdir(user, "exports", null, h);
    expect(sub.parentId).toBe(appFolder.id);
    const inSub = await uploadPresigned(user, "d.txt", "d", sub.id, h);
    expect(inSub.folderId).toBe(sub.id);
    expect((await list(user)).folders).toHaveLength(1);
    expect((await list(user, `?parentId=${appFolder.id}`)).files.map((f) => f.name)).toEqual(["a.txt", "b.txt", "c.txt"]);
  });
});

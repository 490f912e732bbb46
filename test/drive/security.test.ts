import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mediaTokenKey, mintMediaToken } from "../../src/platform/storage";
import { registerAccount } from "../factories";
import { api, call, dash, driveRow, fetchUrl, list, mkdir, ok, registerDrive, upload, uploadForm, type DriveFile } from "./helpers";

describe("tenant isolation", () => {
  it("answers 404 to another drive's ids on every route and verb, and changes nothing", async () => {
    const a = await registerDrive();
    const b = await registerDrive();
    const folder = await mkdir(a, "private");
    const file = await upload(a, "secret.txt", "secret", folder.id);
    const binned = await upload(a, "binned.txt", "b");
    const binnedFolder = await mkdir(a, "binned folder");
    await ok(api("DELETE", `/api/drive/items/${binned.id}?type=file`, a), 204);
    await ok(api("DELETE", `/api/drive/items/${binnedFolder.id}?type=folder`, a), 204);
    const bFolder = await mkdir(b, "mine");
    const bFile = await upload(b, "mine.txt", "m");
    const pres = await ok<{ storageKey: string; uploadUrl: string; headers: Record<string, string> }>(
      api("POST", "/api/drive/upload/presign", a, { fileName: "p.txt", contentType: "text/plain", sizeBytes: 1 }),
    );
    await fetchUrl(pres.uploadUrl, { method: "PUT", headers: pres.headers, body: "p" });

    const attempts: [string, string, unknown][] = [
      ["GET", `/api/drive?parentId=${folder.id}`, undefined],
      ["POST", "/api/drive", { name: "x", parentId: folder.id }],
      ["POST", "/api/drive/upload/presign", { fileName: "x", sizeBytes: 1, folderId: folder.id }],
      ["POST", "/api/drive/upload/complete", { storageKey: pres.storageKey }],
      ["GET", `/api/drive/items/${file.id}?type=file`, undefined],
      ["GET", `/api/drive/items/${folder.id}?type=folder`, undefined],
      ["PATCH", `/api/drive/items/${file.id}?type=file`, { name: "pwned" }],
      ["PATCH", `/api/drive/items/${folder.id}?type=folder`, { name: "pwned" }],
      ["PATCH", `/api/drive/items/${bFile.id}?type=file`, { targetFolderId: folder.id }],
      ["PATCH", `/api/drive/items/${bFolder.id}?type=folder`, { targetFolderId: folder.id }],
      ["DELETE", `/api/drive/items/${file.id}?type=file`, undefined],
      ["DELETE", `/api/drive/items/${folder.id}?type=folder`, undefined],
      ["POST", "/api/drive/trash", { fileIds: [binned.id] }],
      ["POST", "/api/drive/trash", { folderIds: [binnedFolder.id] }],
      ["DELETE", "/api/drive/trash", { fileIds: [binned.id] }],
      ["DELETE", "/api/drive/trash", { folderIds: [binnedFolder.id] }],
    ];
    for (const [method, path, body] of attempts) {
      const res = await api(method, path, b, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(404);
      expect(await res.json()).toMatchObject({ error: "not_found" });
    }
    expect((await uploadForm(b, "x.txt", "x", folder.id)).status).toBe(404);
    const dashPres = await dash("POST", "/api/dashboard/drive/upload/presign", b, { fileName: "x", sizeBytes: 1, folderId: folder.id });
    expect(dashPres.status).toBe(404);
    expect((await dash("GET", `/api/dashboard/drive?parentId=${folder.id}`, b)).status).toBe(404);
    expect((await dash("POST", "/api/dashboard/drive/upload/complete", b, { storageKey: pres.storageKey })).status).toBe(404);

    // A's things are untouched; B's lists and bin never show them.
    expect((await list(a, `?parentId=${folder.id}`)).files.map((f) => f.name)).toEqual(["secret.txt"]);
    expect((await list(a)).folders.map((f) => f.name)).toEqual(["private"]);
    expect((await ok<{ items: unknown[] }>(api("GET", "/api/drive/trash", a))).items).toHaveLength(2);
    expect((await ok<{ items: unknown[] }>(api("GET", "/api/drive/trash", b))).items).toEqual([]);
    const bRoot = await list(b);
    expect(bRoot.folders.map((f) => f.name)).toEqual(["mine"]);
    expect(bRoot.files.map((f) => f.name)).toEqual(["mine.txt"]);
    expect(await env.FILES.head(pres.storageKey)).not.toBeNull();
    expect((await driveRow(a.driveId)).reserved).toBe(1);
    expect(await ok(api("GET", "/api/drive/storage", b))).toMatchObject({ usedBytes: 1 });
  });

  it("a media token opens only its own drive's object: a token naming A's key for drive B is a 404", async () => {
    const a = await registerDrive();
    const b = await registerDrive();
    const f = await upload(a, "a.txt", "aaa");
    const meta = await ok<DriveFile>(api("GET", `/api/drive/items/${f.id}`, a));
    expect(await (await fetchUrl(meta.url!)).text()).toBe("aaa");
    const secret = mediaTokenKey(env, "http://localhost");
    const forged = await mintMediaToken(secret, "drive", { key: f.storageKey, owner: { kind: "drive", id: b.driveId } }, Date.now());
    expect((await call(`/api/drive/media?t=${forged}`)).status).toBe(404);
    const studioKind = await mintMediaToken(secret, "drive", { key: f.storageKey, owner: { kind: "studio", id: a.driveId } }, Date.now());
    expect((await call(`/api/drive/media?t=${studioKind}`)).status).toBe(403);
    const expired = await mintMediaToken(secret, "drive", { key: f.storageKey, owner: { kind: "drive", id: a.driveId } }, Date.now() - 2 * 3600_000);
    expect((await call(`/api/drive/media?t=${expired}`)).status).toBe(403);
  });

  it("publishes every Drive route in the OpenAPI document", async () => {
    const doc = (await (await call("/api/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths["/api/drive"]!).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/api/drive/items/{id}"]!).sort()).toEqual(["delete", "get", "patch"]);
    expect(Object.keys(doc.paths["/api/drive/trash"]!).sort()).toEqual(["delete", "get", "post"]);
    for (const p of ["/api/drive/upload", "/api/drive/upload/presign", "/api/drive/upload/complete", "/api/drive/storage", "/api/drive/media"]) expect(doc.paths[p], p).toBeDefined();
  });
});

describe("authentication", () => {
  it("needs a drive key on every API route: none -> 401, another line's key -> 403, a session cookie -> 401", async () => {
    const a = await registerDrive();
    const gallery = await registerAccount("studio");
    const routes: [string, string, unknown][] = [
      ["GET", "/api/drive", undefined],
      ["POST", "/api/drive", { name: "x" }],
      ["POST", "/api/drive/upload/presign", { fileName: "x", sizeBytes: 1 }],
      ["POST", "/api/drive/upload/complete", { storageKey: "x" }],
      ["GET", "/api/drive/items/df_x?type=file", undefined],
      ["PATCH", "/api/drive/items/df_x?type=file", { name: "y" }],
      ["DELETE", "/api/drive/items/df_x?type=file", undefined],
      ["GET", "/api/drive/trash", undefined],
      ["POST", "/api/drive/trash", { fileIds: ["x"] }],
      ["DELETE", "/api/drive/trash", { fileIds: ["x"] }],
      ["GET", "/api/drive/storage", undefined],
    ];
    for (const [method, path, body] of routes) {
      const init: RequestInit = { method, headers: body ? { "content-type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined };
      expect((await call(path, init)).status, `${method} ${path}`).toBe(401);
      expect((await api(method, path, gallery, body)).status, `${method} ${path}`).toBe(403);
      expect((await dash(method, path, a, body)).status, `${method} ${path}`).toBe(401);
    }
    expect((await uploadForm(gallery, "x.txt", "x")).status).toBe(403);
    // Dashboard JSON routes take the session only.
    expect((await api("GET", "/api/dashboard/drive", a)).status).toBe(401);
  });

  it("the dashboard refuses cross-site state changes", async () => {
    const a = await registerDrive();
    const res = await call("/api/dashboard/drive/upload/presign", {
      method: "POST",
      headers: { cookie: a.cookie, origin: "https://evil.example", "content-type": "application/json" },
      body: JSON.stringify({ fileName: "x", sizeBytes: 1 }),
    });
    expect(res.status).toBe(403);
  });

  it("a profile without a Drive gets 404 from drive routes through the dashboard", async () => {
    const studio = await registerAccount("studio");
    expect((await dash("GET", "/api/dashboard/drive", studio)).status).toBe(404);
  });
});

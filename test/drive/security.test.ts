import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mediaTokenKey, mintMediaToken } from "../../src/platform/storage";
import { connectedDrive, createPartnerApp } from "../connect/helpers";
import { api, call, dash, expectLoginRedirect, fetchUrl, ok, putPresigned, registerAccount, registerDrive, submitForm } from "../factories";
import { drivePage, driveRow, INTEGRATION_HEADER, list, mkdir, presign, trash, upload, uploadForm, uploadPresigned, type DriveFile, type Folder, type Listing } from "./helpers";

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
    const pres = await presign(a, { fileName: "p.txt", contentType: "text/plain", sizeBytes: 1 });
    await putPresigned(pres, "p");

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

describe("uploads", () => {
  it("picks the key on the server under drive/{driveId}/", async () => {
    const a = await registerDrive();
    const f = await upload(a, "../../etc/passwd", "x");
    expect(f.storageKey).toMatch(new RegExp(`^drive/${a.driveId}/df_[A-Za-z0-9]+/etc_passwd$`));
    expect(f.name).toBe("passwd");
  });
});

describe("media", () => {
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

describe("Drive dashboard page", () => {
  it("sends visitors without a session to the login page", async () => {
    await expectLoginRedirect("/dashboard/drive", "/login?next=%2Fdashboard%2Fdrive");
  });

  it("never redirects a form anywhere but back to the Drive page", async () => {
    const a = await registerDrive();
    const res = await submitForm(a, "/dashboard/drive/folders", { name: "x", parentId: "", back: "https://evil.example/" });
    expect(res.headers.get("location")).toBe("/dashboard/drive");
    const res2 = await submitForm(a, "/dashboard/drive/folders", { name: "y", parentId: "", back: "//evil.example" });
    expect(res2.headers.get("location")).toBe("/dashboard/drive");
  });

  it("rejects bad form input with the page and an error, and another account's ids with 404", async () => {
    const a = await registerDrive();
    const b = await registerDrive();
    const f = await mkdir(a, "mine");
    expect((await submitForm(a, "/dashboard/drive/folders", { name: "", parentId: "" })).status).toBe(400);
    expect((await submitForm(a, `/dashboard/drive/items/${f.id}/rename`, { type: "nope", name: "x" })).status).toBe(400);
    expect((await submitForm(a, "/dashboard/drive/trash/restore", { type: "file", id: "" })).status).toBe(400);
    for (const [path, fields] of [
      [`/dashboard/drive/items/${f.id}/rename`, { type: "folder", name: "x" }],
      [`/dashboard/drive/items/${f.id}/move`, { type: "folder", targetFolderId: "" }],
      [`/dashboard/drive/items/${f.id}/delete`, { type: "folder" }],
      ["/dashboard/drive/folders", { name: "x", parentId: f.id }],
      ["/dashboard/drive/trash/restore", { type: "folder", id: f.id }],
      ["/dashboard/drive/trash/delete", { type: "folder", id: f.id }],
    ] as const) {
      expect((await submitForm(b, path, fields)).status, path).toBe(404);
    }
    expect((await drivePage(b, `?folder=${f.id}`)).status).toBe(404);
    expect((await list(a)).folders.map((x) => x.name)).toEqual(["mine"]);
    // Cross-site form posts are refused.
    const evil = await call("/dashboard/drive/folders", { method: "POST", headers: { cookie: a.cookie, origin: "https://evil.example" }, body: new URLSearchParams({ name: "z" }) });
    expect(evil.status).toBe(403);
  });

  it("hides integration app folders unless asked, and shows their tree read-only", async () => {
    const app = await createPartnerApp("drive");
    const user = await connectedDrive(app);
    const file = await uploadPresigned(user, "sync.txt", "s", null, { "x-gellhub-integration-client-id": app.clientId });
    const appFolder = file.folderId!;
    expect((await drivePage(user)).html).not.toContain(`data-folder-id="${appFolder}"`);
    expect((await drivePage(user, "?apps=1")).html).toContain(`data-folder-id="${appFolder}"`);
    const inside = await drivePage(user, `?folder=${appFolder}&apps=1`);
    expect(inside.html).toContain('data-testid="read-only"');
    expect(inside.html).not.toContain('id="uploader"');
    expect(inside.html).not.toContain(`/dashboard/drive/items/${file.id}/delete`);
    for (const [path, fields] of [
      [`/dashboard/drive/items/${file.id}/rename`, { type: "file", name: "x" }],
      [`/dashboard/drive/items/${file.id}/delete`, { type: "file" }],
      [`/dashboard/drive/items/${appFolder}/delete`, { type: "folder" }],
      ["/dashboard/drive/folders", { name: "x", parentId: appFolder }],
    ] as const) {
      expect((await submitForm(user, path, fields)).status, path).toBe(403);
    }
  });
});

describe("partner-app folders", () => {
  it("refuses an app the account is not linked to with 403, and an unknown client id too", async () => {
    const linked = await createPartnerApp("drive");
    const other = await createPartnerApp("drive");
    const user = await connectedDrive(linked);
    for (const clientId of [other.clientId, "unknown_client"]) {
      const h = { [INTEGRATION_HEADER]: clientId };
      const pres = await api("POST", "/api/drive/upload/presign", user, { fileName: "x", sizeBytes: 1 }, h);
      expect(pres.status).toBe(403);
      expect(await pres.json()).toMatchObject({ error: "integration_not_linked" });
      expect((await api("POST", "/api/drive/upload/presign", user, { fileName: "x", sizeBytes: 1, integrationClientId: clientId })).status).toBe(403);
      expect((await uploadForm(user, "x.txt", "x", null, "text/plain", h)).status).toBe(403);
      expect((await api("POST", "/api/drive", user, { name: "x" }, h)).status).toBe(403);
      expect((await api("GET", "/api/drive", user, undefined, h)).status).toBe(403);
    }
    expect((await list(user)).folders).toEqual([]);
    // A plain drive account that never connected anything.
    const plain = await registerDrive();
    expect((await api("POST", "/api/drive/upload/presign", plain, { fileName: "x", sizeBytes: 1 }, { [INTEGRATION_HEADER]: linked.clientId })).status).toBe(403);
  });

  it("keeps full API access with the header; without it the app tree is read-only", async () => {
    const app = await createPartnerApp("drive");
    const user = await connectedDrive(app);
    const h = { [INTEGRATION_HEADER]: app.clientId };
    const file = await uploadPresigned(user, "a.txt", "a", null, h);
    const appFolderId = file.folderId!;
    const mine = await mkdir(user, "mine");

    for (const [method, path, body] of [
      ["PATCH", `/api/drive/items/${file.id}?type=file`, { name: "renamed.txt" }],
      ["PATCH", `/api/drive/items/${file.id}?type=file`, { targetFolderId: mine.id }],
      ["PATCH", `/api/drive/items/${mine.id}?type=folder`, { targetFolderId: appFolderId }],
      ["DELETE", `/api/drive/items/${file.id}?type=file`, undefined],
      ["DELETE", `/api/drive/items/${appFolderId}?type=folder`, undefined],
      ["POST", "/api/drive", { name: "sneaky", parentId: appFolderId }],
      ["POST", "/api/drive/upload/presign", { fileName: "x", sizeBytes: 1, folderId: appFolderId }],
    ] as const) {
      const res = await api(method, path, user, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(await res.json()).toMatchObject({ error: "integration_folder_read_only" });
    }
    // Reads are fine without the header.
    expect((await api("GET", `/api/drive/items/${file.id}`, user)).status).toBe(200);

    expect((await ok<DriveFile>(api("PATCH", `/api/drive/items/${file.id}?type=file`, user, { name: "renamed.txt" }, h))).name).toBe("renamed.txt");
    await ok(api("DELETE", `/api/drive/items/${file.id}?type=file`, user, undefined, h), 204);
    expect((await api("POST", "/api/drive/trash", user, { fileIds: [file.id] })).status).toBe(403);
    await ok(api("POST", "/api/drive/trash", user, { fileIds: [file.id] }, h));
    // The app's folder always stays at the top level.
    const move = await api("PATCH", `/api/drive/items/${appFolderId}?type=folder`, user, { targetFolderId: mine.id }, h);
    expect(move.status).toBe(400);
    expect(await move.json()).toMatchObject({ error: "invalid_move" });
    // With the header, new items must go inside the app's tree.
    const outside = await api("POST", "/api/drive/upload/presign", user, { fileName: "x", sizeBytes: 1, folderId: mine.id }, h);
    expect(outside.status).toBe(403);
    expect(await outside.json()).toMatchObject({ error: "outside_integration_folder" });
  });

  it("the browser hides app folders at the root unless asked, and treats their tree as read-only", async () => {
    const app = await createPartnerApp("drive");
    const user = await connectedDrive(app);
    const file = await uploadPresigned(user, "a.txt", "a", null, { [INTEGRATION_HEADER]: app.clientId });
    const appFolderId = file.folderId!;
    await mkdir(user, "mine");

    const hidden = await ok<Listing>(dash("GET", "/api/dashboard/drive", user));
    expect(hidden.folders.map((f) => f.name)).toEqual(["mine"]);
    const shown = await ok<Listing>(dash("GET", "/api/dashboard/drive?includeIntegrationAppFolders=1", user));
    expect(shown.folders.map((f: Folder) => f.isIntegrationAppFolder).sort()).toEqual([false, true]);
    const inside = await ok<Listing>(dash("GET", `/api/dashboard/drive?parentId=${appFolderId}&includeIntegrationAppFolders=1`, user));
    expect(inside.readOnly).toBe(true);
    expect(inside.files.map((f) => f.name)).toEqual(["a.txt"]);
    // API keys always see them.
    expect((await list(user)).folders).toHaveLength(2);

    const pres = await dash("POST", "/api/dashboard/drive/upload/presign", user, { fileName: "x", sizeBytes: 1, folderId: appFolderId });
    expect(pres.status).toBe(403);
    expect(await pres.json()).toMatchObject({ error: "integration_folder_read_only" });
    // The dashboard never speaks for an app, even when a header is sent.
    const spoof = await dash("POST", "/api/dashboard/drive/upload/presign", user, { fileName: "x", sizeBytes: 1, folderId: appFolderId, integrationClientId: app.clientId });
    expect(spoof.status).toBe(403);
  });
});

import { describe, expect, it } from "vitest";
import { connectViaRegister, createPartnerApp, exchange, type PartnerApp } from "../connect/helpers";
import { api, dash, list, mkdir, ok, registerDrive, uploadForm, uploadPresigned, type DriveFile, type Folder, type Listing } from "./helpers";

const HEADER = "x-gellhub-integration-client-id";

/** A drive account that completed embedded connect with `app`, as the partner's backend sees it. */
async function connected(app: PartnerApp) {
  const flow = await connectViaRegister(app, "drive");
  const res = await exchange(flow.code, app);
  if (res.status !== 200) throw new Error(`exchange: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { driveApiKey: string; profileId: string };
  const cookie = `gh_session=${flow.browser.cookies.get("gh_session")}`;
  return { key: body.driveApiKey, cookie, profileId: body.profileId };
}

describe("partner-app folders", () => {
  it("puts uploads with the header into a top-level folder named after the app, created on first use", async () => {
    const app = await createPartnerApp("drive");
    const user = await connected(app);
    const h = { [HEADER]: app.clientId };
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

  it("refuses an app the account is not linked to with 403, and an unknown client id too", async () => {
    const linked = await createPartnerApp("drive");
    const other = await createPartnerApp("drive");
    const user = await connected(linked);
    for (const clientId of [other.clientId, "unknown_client"]) {
      const h = { [HEADER]: clientId };
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
    expect((await api("POST", "/api/drive/upload/presign", plain, { fileName: "x", sizeBytes: 1 }, { [HEADER]: linked.clientId })).status).toBe(403);
  });

  it("refuses a body client id that differs from the header", async () => {
    const app = await createPartnerApp("drive");
    const user = await connected(app);
    const res = await api("POST", "/api/drive/upload/presign", user, { fileName: "x", sizeBytes: 1, integrationClientId: "other" }, { [HEADER]: app.clientId });
    expect(res.status).toBe(400);
  });

  it("keeps full API access with the header; without it the app tree is read-only", async () => {
    const app = await createPartnerApp("drive");
    const user = await connected(app);
    const h = { [HEADER]: app.clientId };
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
    const user = await connected(app);
    const file = await uploadPresigned(user, "a.txt", "a", null, { [HEADER]: app.clientId });
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

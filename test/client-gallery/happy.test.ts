import { describe, expect, it } from "vitest";
import { api, Browser, call, callWith, ok, sessionHeaders, submitForm } from "../factories";
import { favorite, readZip, share, sharedGallery, visitor, type Share } from "./helpers";

describe("share settings", () => {
  it("shares a collection: the first POST turns the link on and GET reads it back without secrets", async () => {
    const { s, col, files, link } = await sharedGallery({ password: "letmein", pin: "1234", expiresAt: "2099-12-31", downloads: "web" });
    expect(link).toMatchObject({ collectionId: col.id, enabled: true, passwordProtected: true, pinProtected: true, downloads: "web", expired: false });
    expect(link.url).toMatch(/^http:\/\/localhost\/g\/[A-Za-z0-9_-]{22}$/);
    expect(link.expiresAt).toBe("2100-01-01T00:00:00.000Z");
    const read = await ok<Share & Record<string, unknown>>(api("GET", `/api/collections/${col.id}/share`, s));
    expect(read).toEqual(link);
    expect(JSON.stringify(read)).not.toMatch(/letmein|1234|pbkdf2/);
    const cover = await share(s, col.id, { coverFileId: files[1]!.id });
    expect(cover.coverFileId).toBe(files[1]!.id);
    expect(cover.url).toBe(link.url);
  });

  it("answers a collection never shared with the defaults and no URL", async () => {
    const { s } = await sharedGallery();
    const col = await ok<{ id: string }>(api("POST", "/api/collections", s, { name: "Other" }), 201);
    expect(await ok(api("GET", `/api/collections/${col.id}/share`, s))).toMatchObject({ enabled: false, url: null, passwordProtected: false, downloads: "original" });
  });
});

describe("the public page", () => {
  it("shows studio, collection, date, folders' files as a lazy grid of signed thumbnails and a viewer, with a strict CSP", async () => {
    const { files, path } = await sharedGallery();
    const res = await call(path);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Smith wedding");
    expect(html).toContain("2026-06-15");
    expect(html).toContain('id="viewer"');
    for (const f of files) expect(html).toContain(`data-id="${f.id}"`);
    expect(html.match(/<img [^>]*loading="lazy"/g)?.length).toBe(files.length);
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'nonce-[^']+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("cache-control")).toContain("no-store");
    // The grid's image URLs are signed media URLs that serve the bytes.
    const src = /<img src="([^"]+)"[^>]*loading="lazy"/.exec(html)![1]!.replace(/&amp;/g, "&");
    const img = await call(new URL(src).pathname + new URL(src).search);
    expect(img.status).toBe(200);
  });

  it("plays a video through Range requests", async () => {
    const { s, col, path } = await sharedGallery({}, 0);
    const { uploadFile, bytes } = await import("../gallery/helpers");
    await uploadFile(s, col.id, "clip.mp4", bytes(4096, 9), "video/mp4");
    const data = JSON.parse(/<script type="application\/json" id="gallery-data">(.*?)<\/script>/s.exec(await (await call(path)).text())![1]!);
    expect(data.items[0]).toMatchObject({ kind: "video", name: "clip.mp4" });
    const src = new URL(data.items[0].src);
    const part = await call(src.pathname + src.search, { headers: { range: "bytes=100-199" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 100-199/4096");
    expect((await part.arrayBuffer()).byteLength).toBe(100);
  });

  it("asks for the password, then sets an HttpOnly cookie scoped to that gallery", async () => {
    const { path } = await sharedGallery({ password: "letmein" });
    const b = new Browser();
    const first = await b.fetch(path);
    expect(first.status).toBe(401);
    expect(await first.text()).toContain('name="password"');
    const unlock = await b.postForm(`${path}/unlock`, { password: "letmein" });
    expect(unlock.status).toBe(303);
    const cookie = unlock.headers.get("set-cookie")!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toContain(`Path=${path}`);
    expect((await b.fetch(path)).status).toBe(200);
  });
});

describe("favorites, downloads and activity", () => {
  it("keeps favorites per email, zips exactly those files byte for byte, and the owner sees both", async () => {
    const { s, col, files, path } = await sharedGallery({}, 4);
    const jane = await visitor(path);
    await favorite(jane, path, "Jane@Example.com", [files[0]!.id, files[2]!.id]);
    const bob = await visitor(path);
    await favorite(bob, path, "bob@example.com", [files[3]!.id]);

    const list = await ok<{ email: string; favorites: string[] }>(jane.fetch(`${path}/favorites`));
    expect(list).toEqual({ email: "jane@example.com", favorites: [files[0]!.id, files[2]!.id] });

    const zip = await jane.fetch(`${path}/download?list=favorites`);
    expect(zip.status).toBe(200);
    expect(zip.headers.get("content-type")).toBe("application/zip");
    expect(zip.headers.get("content-disposition")).toContain("Smith wedding - favorites.zip");
    const entries = readZip(new Uint8Array(await zip.arrayBuffer()));
    expect(entries.map((e) => e.name)).toEqual(["IMG_1.jpg", "IMG_3.jpg"]);
    const { bytes } = await import("../gallery/helpers");
    expect(entries[0]!.data).toEqual(bytes(500, 10));
    expect(entries[1]!.data).toEqual(bytes(502, 12));

    const all = readZip(new Uint8Array(await (await jane.fetch(`${path}/download?list=all`)).arrayBuffer()));
    expect(all.map((e) => e.name)).toEqual(["IMG_1.jpg", "IMG_2.jpg", "IMG_3.jpg", "IMG_4.jpg"]);

    const single = await jane.fetch(`${path}/files/${files[1]!.id}/download`);
    expect(single.status).toBe(200);
    expect(single.headers.get("content-disposition")).toMatch(/^attachment; filename="IMG_2.jpg"/);
    expect(new Uint8Array(await single.arrayBuffer())).toEqual(bytes(501, 11));

    const favs = await ok<{ email: string; files: { name: string }[] }[]>(api("GET", `/api/collections/${col.id}/favorites`, s));
    expect(favs).toEqual([
      { email: "bob@example.com", files: [{ id: files[3]!.id, name: "IMG_4.jpg" }] },
      { email: "jane@example.com", files: [{ id: files[0]!.id, name: "IMG_1.jpg" }, { id: files[2]!.id, name: "IMG_3.jpg" }] },
    ]);
    const activity = await ok<{ kind: string; email: string | null; detail: string }[]>(api("GET", `/api/collections/${col.id}/activity`, s));
    expect(activity.filter((a) => a.kind === "download").map((a) => a.detail)).toEqual(["IMG_2.jpg", "ZIP of all 4 files", "ZIP of 2 favorites"]);
    expect(activity.filter((a) => a.kind === "favorite" && a.email === "jane@example.com").map((a) => a.detail).sort()).toEqual(["IMG_1.jpg", "IMG_3.jpg"]);

    // The dashboard's collection page shows the link, each client's favorites with copyable names, and the activity.
    const page = await (await call(`/dashboard/gallery?collection=${col.id}`, { headers: sessionHeaders(s) })).text();
    expect(page).toContain("Share with your client");
    expect(page).toContain(path);
    expect(page).toContain("IMG_1.jpg, IMG_3.jpg");
    expect(page).toContain("Copy file names");
    expect(page).toContain("ZIP of 2 favorites");
  });

  it("saves share settings from the dashboard form and rotates the link there", async () => {
    const { s, col, path } = await sharedGallery();
    const saved = await submitForm(s, `/dashboard/client-gallery/collections/${col.id}/share`, { enabled: "on", password: "secret1", downloads: "none", expiresAt: "2099-01-01", pin: "" });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe(`/dashboard/gallery?collection=${col.id}#share`);
    const read = await ok<Share>(api("GET", `/api/collections/${col.id}/share`, s));
    expect(read).toMatchObject({ passwordProtected: true, pinProtected: false, downloads: "none", expiresAt: "2099-01-02T00:00:00.000Z" });
    const rotated = await submitForm(s, `/dashboard/client-gallery/collections/${col.id}/share/regenerate`);
    expect(rotated.status).toBe(303);
    const after = await ok<Share>(api("GET", `/api/collections/${col.id}/share`, s));
    expect(new URL(after.url!).pathname).not.toBe(path);
    expect((await call(path)).status).toBe(404);
    const bad = await submitForm(s, `/dashboard/client-gallery/collections/${col.id}/share`, { enabled: "on", pin: "12" });
    expect(bad.status).toBe(400);
  });

  it("counts a view once per visitor IP every 30 minutes, whatever the reloads", async () => {
    const { s, col, path } = await sharedGallery({}, 1);
    for (const ip of ["203.0.113.1", "203.0.113.1", "203.0.113.1", "203.0.113.2"]) {
      expect((await callWith({}, path, { headers: { "cf-connecting-ip": ip } })).status).toBe(200);
    }
    const activity = await ok<{ kind: string }[]>(api("GET", `/api/collections/${col.id}/activity`, s));
    expect(activity.filter((a) => a.kind === "view")).toHaveLength(2);
  });
});

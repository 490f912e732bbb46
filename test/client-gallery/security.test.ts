import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, Browser, call, ok, registerAccount, registerStudio, sessionHeaders, submitForm } from "../factories";
import { createCollection } from "../gallery/helpers";
import { favorite, share, sharedGallery, visitor } from "./helpers";

describe("owner API authentication and tenant isolation", () => {
  it("requires a gallery key on every share route", async () => {
    const { s, col } = await sharedGallery({}, 0);
    const drive = await registerAccount("drive");
    for (const [method, path] of [
      ["GET", `/api/collections/${col.id}/share`],
      ["POST", `/api/collections/${col.id}/share`],
      ["GET", `/api/collections/${col.id}/favorites`],
      ["GET", `/api/collections/${col.id}/activity`],
    ] as const) {
      const init = (h: Record<string, string>) => ({ method, headers: { "content-type": "application/json", ...h }, body: method === "POST" ? "{}" : undefined });
      expect((await call(path, init({}))).status, path).toBe(401);
      expect((await call(path, init({ "x-api-key": drive.key }))).status, path).toBe(403);
      expect((await call(path, init(sessionHeaders(s)))).status, path).toBe(401);
    }
  });

  it("answers 404 to another studio for share settings, favorites and activity, and changes nothing", async () => {
    const { s, col, files, path, link } = await sharedGallery({ password: "letmein" });
    const b = await visitor(path, "letmein");
    await favorite(b, path, "jane@example.com", [files[0]!.id]);
    const other = await registerStudio();
    for (const [method, p, body] of [
      ["GET", `/api/collections/${col.id}/share`],
      ["POST", `/api/collections/${col.id}/share`, { password: null, regenerateSlug: true }],
      ["GET", `/api/collections/${col.id}/favorites`],
      ["GET", `/api/collections/${col.id}/activity`],
    ] as const) {
      const res = await api(method, p, other, body);
      expect(res.status, `${method} ${p}`).toBe(404);
      expect(await res.text()).not.toMatch(/jane@example.com|IMG_1|\/g\//);
    }
    const form = await submitForm(other, `/dashboard/client-gallery/collections/${col.id}/share`, { enabled: "on", downloads: "original" });
    expect(form.status).toBe(404);
    expect(await ok(api("GET", `/api/collections/${col.id}/share`, s))).toMatchObject({ url: link.url, passwordProtected: true });
    // The other studio cannot use A's file as its cover either.
    const mine = await createCollection(other);
    expect((await api("POST", `/api/collections/${mine.id}/share`, other, { coverFileId: files[0]!.id })).status).toBe(404);
  });

  it("a visitor of one gallery cannot favorite or download another gallery's files, and its cookie opens nothing else", async () => {
    const a = await sharedGallery({ password: "alpha" });
    const b = await sharedGallery({ password: "bravo" });
    const v = await visitor(a.path, "alpha");
    await favorite(v, a.path, "jane@example.com", [a.files[0]!.id]);
    const res = await v.fetch(`${a.path}/favorites/${b.files[0]!.id}`, { method: "PUT", headers: { "content-type": "application/json" }, body: '{"favorite":true}' });
    expect(res.status).toBe(404);
    expect((await v.fetch(`${a.path}/files/${b.files[0]!.id}/download`)).status).toBe(404);
    // A's cookie is scoped to A's path and signed for A: replayed on B it counts for nothing.
    const cookie = [...v.cookies].map(([k, x]) => `${k}=${x}`).join("; ");
    expect((await call(b.path, { headers: { cookie } })).status).toBe(401);
    expect((await call(`${b.path}/download?list=all`, { headers: { cookie } })).status).toBe(401);
    const rows = await env.DB.prepare("SELECT collection_id FROM gallery_favorites WHERE email = 'jane@example.com' AND collection_id = ?").bind(b.col.id).all();
    expect(rows.results).toEqual([]);
  });

  it("refuses a forged or tampered visitor cookie", async () => {
    const { path } = await sharedGallery({ password: "letmein" });
    const v = await visitor(path, "letmein");
    const [name, value] = [...v.cookies][0]!;
    const [h, p, sig] = value.split(".");
    const claims = JSON.parse(atob(p!.replace(/-/g, "+").replace(/_/g, "/")));
    const forged = btoa(JSON.stringify({ ...claims, e: "mallory@example.com" })).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
    expect((await call(path, { headers: { cookie: `${name}=${h}.${forged}.${sig}` } })).status).toBe(401);
    expect((await call(path, { headers: { cookie: `${name}=${value}` } })).status).toBe(200);
  });

  it("refuses cross-site state changes on the public endpoints", async () => {
    const { path, files } = await sharedGallery();
    const res = await call(`${path}/email`, { method: "POST", headers: { origin: "https://evil.example", "content-type": "application/json" }, body: '{"email":"a@b.co"}' });
    expect(res.status).toBe(403);
    const put = await call(`${path}/favorites/${files[0]!.id}`, { method: "PUT", headers: { origin: "https://evil.example", "content-type": "application/json" }, body: '{"favorite":true}' });
    expect(put.status).toBe(403);
  });
});

describe("password", () => {
  it("limits wrong passwords: the 6th attempt from one IP within 10 minutes is 429 even when right", async () => {
    const { path } = await sharedGallery({ password: "letmein" });
    const b = new Browser();
    const attempt = (password: string) => b.fetch(`${path}/unlock`, { method: "POST", headers: { "cf-connecting-ip": "203.0.113.9" }, body: new URLSearchParams({ password }) });
    for (let i = 0; i < 5; i++) {
      const res = await attempt("wrong");
      expect(res.status).toBe(401);
      expect(await res.text()).toContain("That password is not right");
    }
    const blocked = await attempt("letmein");
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(b.cookies.size).toBe(0);
    // Another IP is not blocked by this one's guesses.
    const other = await b.fetch(`${path}/unlock`, { method: "POST", headers: { "cf-connecting-ip": "198.51.100.7" }, body: new URLSearchParams({ password: "letmein" }) });
    expect(other.status).toBe(303);
  });

  it("a new password signs every visitor out of the gallery", async () => {
    const { s, col, path } = await sharedGallery({ password: "letmein" });
    const v = await visitor(path, "letmein");
    expect((await v.fetch(path)).status).toBe(200);
    await share(s, col.id, { password: "changed" });
    expect((await v.fetch(path)).status).toBe(401);
  });

  it("the password page and JSON endpoints reveal nothing of the gallery before the password", async () => {
    const { files, path } = await sharedGallery({ password: "letmein" });
    const page = await (await call(path)).text();
    expect(page).not.toContain("IMG_1");
    expect(page).not.toContain("/api/media");
    expect((await call(`${path}/download?list=all`)).status).toBe(401);
    expect((await call(`${path}/files/${files[0]!.id}/download`)).status).toBe(401);
    expect(await (await call(`${path}/favorites`)).json()).toMatchObject({ error: "password_required" });
  });
});

describe("deleting a shared collection", () => {
  it("takes its link, its clients' email addresses and favorites and its activity with it; another studio's delete changes nothing", async () => {
    const { s, col, files, path } = await sharedGallery();
    const b = await visitor(path);
    await favorite(b, path, "jane@example.com", [files[0]!.id]);
    const count = async () =>
      Promise.all(["gallery_shares", "gallery_favorites", "gallery_activity"].map(async (t) => (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${t} WHERE collection_id = ?`).bind(col.id).first<{ n: number }>())!.n));
    const other = await registerStudio();
    expect((await api("DELETE", `/api/collections/${col.id}`, other)).status).toBe(404);
    const before = await count();
    expect(before.every((n) => n > 0)).toBe(true);
    expect((await api("DELETE", `/api/collections/${col.id}`, s)).status).toBeLessThan(300);
    expect(await count()).toEqual([0, 0, 0]);
    expect((await call(path)).status).toBe(404);
  });
});

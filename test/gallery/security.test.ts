import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mediaTokenKey, mintMediaToken, presignPut, s3Config } from "../../src/platform/storage";
import { api, call, expectLoginRedirect, fetchUrl, keyHeaders, putPresigned, registerAccount, registerStudio, sessionHeaders, submitForm } from "../factories";
import { bytes, complete, createCategory, createCollection, presign, presignedUpload, studioRow, studioWithFile, uploadFile } from "./helpers";

describe("authentication", () => {
  const routes: [string, string][] = [
    ["GET", "/api/collections"],
    ["POST", "/api/collections"],
    ["GET", "/api/categories"],
    ["POST", "/api/categories"],
    ["POST", "/api/upload"],
    ["POST", "/api/upload/presign"],
    ["POST", "/api/upload/complete"],
    ["GET", "/api/collections/col_x/files"],
    ["GET", "/api/studio/storage"],
  ];

  it("requires a gallery key: none -> 401, a drive key -> 403, a session cookie alone -> 401", async () => {
    const drive = await registerAccount("drive");
    const s = await registerStudio();
    for (const [method, path] of routes) {
      const init = (headers: Record<string, string>) => ({ method, headers: { "content-type": "application/json", ...headers }, body: method === "POST" ? "{}" : undefined });
      expect((await call(path, init({}))).status, `${method} ${path}`).toBe(401);
      expect((await call(path, init({ "x-api-key": drive.key }))).status, `${method} ${path}`).toBe(403);
      expect((await call(path, init(sessionHeaders(s)))).status, `${method} ${path}`).toBe(401);
    }
  });
});

describe("tenant isolation", () => {
  async function twoStudios() {
    const a = await registerStudio();
    const b = await registerStudio();
    const cat = await createCategory(a, "A's");
    const col = await createCollection(a, { name: "A's shoot", categoryId: cat.id });
    const file = await uploadFile(a, col.id, "secret.jpg", bytes(32));
    return { a, b, cat, col, file };
  }

  it("answers 404 to another studio on every route that takes an id, and lists never leak", async () => {
    const { a, b, cat, col, file } = await twoStudios();
    const cases: [string, string, unknown?][] = [
      ["GET", `/api/collections/${col.id}`],
      ["PATCH", `/api/collections/${col.id}`, { name: "pwned" }],
      ["DELETE", `/api/collections/${col.id}`],
      ["GET", `/api/collections/${col.id}/files`],
      ["DELETE", `/api/collections/${col.id}/files/${file.id}`],
      ["PATCH", `/api/categories/${cat.id}`, { name: "pwned" }],
      ["DELETE", `/api/categories/${cat.id}`],
      ["POST", "/api/collections", { name: "x", categoryId: cat.id }],
      ["POST", "/api/upload/presign", { collectionId: col.id, fileName: "x.jpg", contentType: "image/jpeg", sizeBytes: 1 }],
      ["POST", "/api/upload/complete", { storageKey: file.storageKey }],
    ];
    for (const [method, path, body] of cases) {
      const res = await api(method, path, b, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await res.text()).not.toContain("secret.jpg");
    }
    const form = new FormData();
    form.append("collectionId", col.id);
    form.append("file", new File(["x"], "x.jpg", { type: "image/jpeg" }));
    expect((await call("/api/upload", { method: "POST", headers: keyHeaders(b), body: form })).status).toBe(404);

    expect(await (await api("GET", "/api/collections", b)).json()).toEqual([]);
    expect(await (await api("GET", "/api/categories", b)).json()).toEqual([]);
    expect(await (await api("GET", `/api/collections?categoryId=${cat.id}`, b)).json()).toEqual([]);
    expect(await (await api("GET", "/api/studio/storage", b)).json()).toMatchObject({ usedBytes: 0 });

    // A's data is untouched.
    expect(await (await api("GET", `/api/collections/${col.id}`, a)).json()).toMatchObject({ name: "A's shoot", categoryId: cat.id, fileCount: 1 });
    expect(await (await api("GET", "/api/categories", a)).json()).toMatchObject([{ name: "A's" }]);
    expect(await studioRow(b.studioId)).toEqual({ used: 0, reserved: 0 });
  });
});

describe("/dashboard/gallery", () => {
  it("sends a visitor without a session to the login page", async () => {
    await expectLoginRedirect("/dashboard/gallery", "/login?next=%2Fdashboard%2Fgallery");
  });

  it("keeps another studio out: its collection is a 404 page and its ids are refused by every form", async () => {
    const a = await registerStudio();
    const b = await registerStudio();
    const cat = await createCategory(a, "A-only");
    const col = await createCollection(a, { name: "A private" });
    const file = await uploadFile(a, col.id, "a.jpg", bytes(5));
    const page = await call(`/dashboard/gallery?collection=${col.id}`, { headers: sessionHeaders(b) });
    expect(page.status).toBe(404);
    expect(await page.text()).not.toContain("A private");
    for (const path of [
      `/dashboard/gallery/collections/${col.id}`,
      `/dashboard/gallery/collections/${col.id}/delete`,
      `/dashboard/gallery/collections/${col.id}/files/${file.id}/delete`,
      `/dashboard/gallery/categories/${cat.id}/rename`,
      `/dashboard/gallery/categories/${cat.id}/delete`,
    ]) {
      const res = await submitForm(b, path, { name: "pwned" });
      expect(res.status, path).toBe(404);
    }
    expect(await (await call(`/api/collections/${col.id}`, { headers: keyHeaders(a) })).json()).toMatchObject({ name: "A private", fileCount: 1 });
  });

  it("refuses a cross-site form post", async () => {
    const s = await registerStudio();
    const res = await call("/dashboard/gallery/categories", {
      method: "POST",
      headers: { cookie: s.cookie, origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ name: "x" }),
    });
    expect(res.status).toBe(403);
    expect(await (await call("/api/categories", { headers: keyHeaders(s) })).json()).toEqual([]);
  });
});

describe("presigned URL integrity", () => {
  it("refuses a tampered signature, key, expiry or Content-Type with 403 and stores nothing", async () => {
    const { p, col, s } = await presignedUpload(4);
    const u = new URL(p.uploadUrl);
    const sig = u.searchParams.get("X-Amz-Signature")!;
    const variants: [string, Record<string, string>][] = [];
    const badSig = new URL(u);
    badSig.searchParams.set("X-Amz-Signature", (sig[0] === "a" ? "b" : "a") + sig.slice(1));
    variants.push([badSig.toString(), p.headers]);
    const otherKey = new URL(u);
    otherKey.pathname = otherKey.pathname.replace(col.id, "col_someoneElse0000");
    variants.push([otherKey.toString(), p.headers]);
    const longer = new URL(u);
    longer.searchParams.set("X-Amz-Expires", "604800");
    variants.push([longer.toString(), p.headers]);
    variants.push([p.uploadUrl, { "Content-Type": "text/html" }]);
    const unsigned = new URL(u);
    unsigned.searchParams.delete("X-Amz-Signature");
    variants.push([unsigned.toString(), p.headers]);
    for (const [url, headers] of variants) {
      const res = await fetchUrl(url, { method: "PUT", headers, body: "evil" });
      expect(res.status, url).toBe(403);
    }
    const listed = await env.FILES.list({ prefix: `gallery/${s.studioId}/` });
    expect(listed.objects).toHaveLength(0);
  });

  it("refuses an expired URL with 403 and stores nothing", async () => {
    const { s, p } = await presignedUpload(4);
    const config = s3Config(env, "http://localhost/");
    const old = await presignPut(config, p.storageKey, "image/jpeg", Date.now() - 16 * 60_000);
    const res = await fetchUrl(old.uploadUrl, { method: "PUT", headers: old.headers, body: "late" });
    expect(res.status).toBe(403);
    expect(await env.FILES.head(p.storageKey)).toBeNull();
    expect((await complete(s, p)).status).toBe(409);
  });

  it("rejects a storage key of another studio at complete with 404", async () => {
    const a = await presignedUpload(4);
    const b = await registerStudio();
    await putPresigned(a.p, "abcd");
    const res = await complete(b, a.p);
    expect(res.status).toBe(404);
    expect(await studioRow(b.studioId)).toEqual({ used: 0, reserved: 0 });
    expect((await complete(a.s, a.p)).status).toBe(201);
  });

  it("refuses presigning into another studio's collection with 404", async () => {
    const a = await registerStudio();
    const b = await registerStudio();
    const col = await createCollection(a);
    const res = await presign(b, col.id, "x.jpg", "image/jpeg", 1);
    expect(res.status).toBe(404);
    expect(await studioRow(b.studioId)).toEqual({ used: 0, reserved: 0 });
  });
});

describe("GET /api/media", () => {
  it("makes HTML, SVG and XML download as octet-stream so they never run on our origin", async () => {
    for (const [name, type] of [
      ["page.html", "text/html"],
      ["logo.svg", "image/svg+xml"],
      ["feed.xml", "application/xml"],
    ] as const) {
      const { listed } = await studioWithFile(name, type, "<script>alert(1)</script>");
      const res = await fetchUrl(listed.url);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/octet-stream");
      expect(res.headers.get("content-disposition")).toMatch(/^attachment; /);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("content-security-policy")).toContain("sandbox");
      await res.arrayBuffer();
    }
  });

  it("refuses a tampered, expired, missing or foreign-audience token", async () => {
    const { listed, s, file } = await studioWithFile();
    const t = listed.mediaToken;
    const tampered = t.slice(0, -2) + (t.endsWith("AA") ? "BB" : "AA");
    expect((await call(`/api/media?t=${tampered}`)).status).toBe(403);
    expect((await call("/api/media?t=garbage")).status).toBe(403);
    expect((await call("/api/media")).status).toBe(400);
    const key = mediaTokenKey(env, "http://localhost/");
    const owner = { kind: "studio" as const, id: s.studioId };
    const expired = await mintMediaToken(key, "gallery", { key: file.storageKey, owner }, Date.now() - 2 * 3600_000);
    expect((await call(`/api/media?t=${expired}`)).status).toBe(403);
    const driveToken = await mintMediaToken(key, "drive", { key: file.storageKey, owner }, Date.now());
    expect((await call(`/api/media?t=${driveToken}`)).status).toBe(403);
    const forged = await mintMediaToken(new TextEncoder().encode("someone-else-secret-someone-else-secret"), "gallery", { key: file.storageKey, owner }, Date.now());
    expect((await call(`/api/media?t=${forged}`)).status).toBe(403);
  });

  it("answers 404 for a token whose file was deleted, and for another studio's key in a token", async () => {
    const a = await studioWithFile();
    const b = await studioWithFile();
    const key = mediaTokenKey(env, "http://localhost/");
    // A token naming studio B as owner but A's object: the file lookup is by owner and key together.
    const crossed = await mintMediaToken(key, "gallery", { key: a.file.storageKey, owner: { kind: "studio", id: b.s.studioId } }, Date.now());
    expect((await call(`/api/media?t=${crossed}`)).status).toBe(404);
    await call(`/api/collections/${a.col.id}/files/${a.file.id}`, { method: "DELETE", headers: keyHeaders(a.s) });
    expect((await fetchUrl(a.listed.url)).status).toBe(404);
  });
});

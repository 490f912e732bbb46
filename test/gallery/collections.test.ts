import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, postJson, registerAccount, sessionHeaders } from "../factories";
import {
  bytes,
  createCategory,
  createCollection,
  getJson,
  keyHeaders,
  listFiles,
  registerStudio,
  sendJson,
  studioRow,
  uploadFile,
  type Studio,
} from "./helpers";

/**
 * Runs the developer guide's JavaScript examples as printed. `fetch` here is what a reader's
 * environment provides: https://gellhub.com is this Worker, and the printed placeholders
 * (YOUR_CLIENT_GALLERY_API_KEY, cat_xxx, fileInput) are replaced by the reader's own values.
 */
function docsFetch(apiKey: string, categoryId: string) {
  return (url: string, init: RequestInit & { headers?: Record<string, string> }) => {
    const headers = Object.fromEntries(
      Object.entries(init.headers ?? {}).map(([k, v]) => [k, v === "YOUR_CLIENT_GALLERY_API_KEY" ? apiKey : v]),
    );
    const body = typeof init.body === "string" ? init.body.replace('"cat_xxx"', JSON.stringify(categoryId)) : init.body;
    return call(url.replace("https://gellhub.com", ""), { ...init, headers, body });
  };
}

describe("the developer guide's Client Gallery examples", () => {
  it("create collection, then upload to collection, run verbatim", async () => {
    const s = await registerStudio();
    const cat = await createCategory(s, "Weddings");
    const fetch = docsFetch(s.key, cat.id);
    const fileInput = { files: [new File([bytes(2048)], "first-dance.jpg", { type: "image/jpeg" })] };

    // ---- verbatim: "JavaScript - Create collection (Client Gallery)" ----
    const res = await fetch('https://gellhub.com/api/collections', {
    method: 'POST',
    headers: {
    'Content-Type': 'application/json',
    'x-api-key': 'YOUR_CLIENT_GALLERY_API_KEY'
    },
    body: JSON.stringify({
    name: 'Wedding Album',
    clientName: 'Jane Smith',
    date: '2024-06-15',
    categoryId: 'cat_xxx'
    })
    });
    const collection = await res.json() as { id: string };
    // ---- verbatim: "JavaScript - Upload to collection" ----
    const formData = new FormData();
    formData.append('collectionId', collection.id);
    formData.append('clientName', 'Jane Smith');
    formData.append('file', fileInput.files[0]!);
    await fetch('https://gellhub.com/api/upload', {
    method: 'POST',
    headers: { 'x-api-key': 'YOUR_CLIENT_GALLERY_API_KEY' },
    body: formData
    });
    // ---- end of the examples ----

    expect(res.status).toBe(201);
    expect(collection).toMatchObject({ name: "Wedding Album", clientName: "Jane Smith", date: "2024-06-15", categoryId: cat.id });
    const page = await listFiles(s, collection.id);
    expect(page.files).toHaveLength(1);
    expect(page.files[0]).toMatchObject({ name: "first-dance.jpg", contentType: "image/jpeg", sizeBytes: 2048, clientName: "Jane Smith" });
    expect(await (await getJson("/api/studio/storage", s)).json()).toMatchObject({ usedBytes: 2048 });
  });
});

describe("collections", () => {
  it("creates, lists (newest first, filtered by category), gets, updates and deletes", async () => {
    const s = await registerStudio();
    const cat = await createCategory(s, "Portraits");
    const a = await createCollection(s, { name: "A" });
    const b = await createCollection(s, { name: "B", clientName: "Bo", date: "2025-01-31", categoryId: cat.id });
    const all = (await (await getJson("/api/collections", s)).json()) as { id: string }[];
    expect(all.map((c) => c.id)).toEqual([b.id, a.id]);
    const filtered = (await (await getJson(`/api/collections?categoryId=${cat.id}`, s)).json()) as { id: string }[];
    expect(filtered.map((c) => c.id)).toEqual([b.id]);

    const one = await getJson(`/api/collections/${b.id}`, s);
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ id: b.id, name: "B", clientName: "Bo", date: "2025-01-31", categoryId: cat.id, fileCount: 0, totalBytes: 0 });

    const renamed = await sendJson("PATCH", `/api/collections/${b.id}`, s, { name: "B2", categoryId: null });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ name: "B2", clientName: "Bo", categoryId: null });

    expect((await call(`/api/collections/${a.id}`, { method: "DELETE", headers: keyHeaders(s) })).status).toBe(204);
    expect((await getJson(`/api/collections/${a.id}`, s)).status).toBe(404);
  });

  it("deleting a collection deletes its files and objects and frees their bytes", async () => {
    const s = await registerStudio();
    const keep = await createCollection(s, { name: "Keep" });
    const gone = await createCollection(s, { name: "Gone" });
    await uploadFile(s, keep.id, "k.jpg", bytes(10));
    const f1 = await uploadFile(s, gone.id, "a.jpg", bytes(100));
    await uploadFile(s, gone.id, "b.jpg", bytes(200));
    expect(await studioRow(s.studioId)).toEqual({ used: 310, reserved: 0 });
    expect(await (await getJson(`/api/collections/${gone.id}`, s)).json()).toMatchObject({ fileCount: 2, totalBytes: 300 });

    expect((await call(`/api/collections/${gone.id}`, { method: "DELETE", headers: keyHeaders(s) })).status).toBe(204);
    expect(await studioRow(s.studioId)).toEqual({ used: 10, reserved: 0 });
    expect(await env.FILES.head(f1.storageKey)).toBeNull();
    expect((await env.FILES.list({ prefix: `gallery/${s.studioId}/${gone.id}/` })).objects).toHaveLength(0);
    expect((await listFiles(s, keep.id)).files).toHaveLength(1);
  });

  it("deletes one file and frees its bytes", async () => {
    const s = await registerStudio();
    const col = await createCollection(s);
    const f = await uploadFile(s, col.id, "a.jpg", bytes(64));
    const res = await call(`/api/collections/${col.id}/files/${f.id}`, { method: "DELETE", headers: keyHeaders(s) });
    expect(res.status).toBe(204);
    expect(await studioRow(s.studioId)).toEqual({ used: 0, reserved: 0 });
    expect(await env.FILES.head(f.storageKey)).toBeNull();
    expect((await call(`/api/collections/${col.id}/files/${f.id}`, { method: "DELETE", headers: keyHeaders(s) })).status).toBe(404);
  });

  it("rejects an unknown category id with 404 and writes nothing", async () => {
    const s = await registerStudio();
    const res = await postJson("/api/collections", { name: "X", categoryId: "cat_xxx" }, keyHeaders(s));
    expect(res.status).toBe(404);
    expect(await (await getJson("/api/collections", s)).json()).toEqual([]);
  });
});

describe("categories", () => {
  it("creates, lists, renames and deletes; collections of a deleted category stay uncategorised", async () => {
    const s = await registerStudio();
    const cat = await createCategory(s, "Events");
    const col = await createCollection(s, { name: "Gala", categoryId: cat.id });
    expect(await (await getJson("/api/categories", s)).json()).toEqual([{ id: cat.id, name: "Events", createdAt: expect.any(String) }]);
    const renamed = await sendJson("PATCH", `/api/categories/${cat.id}`, s, { name: "Galas" });
    expect(await renamed.json()).toMatchObject({ id: cat.id, name: "Galas" });
    expect((await call(`/api/categories/${cat.id}`, { method: "DELETE", headers: keyHeaders(s) })).status).toBe(204);
    expect(await (await getJson("/api/categories", s)).json()).toEqual([]);
    expect(await (await getJson(`/api/collections/${col.id}`, s)).json()).toMatchObject({ categoryId: null });
  });
});

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
    const asB = (method: string, path: string, body?: unknown) =>
      call(path, { method, headers: { ...keyHeaders(b), ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
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
      const res = await asB(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await res.text()).not.toContain("secret.jpg");
    }
    const form = new FormData();
    form.append("collectionId", col.id);
    form.append("file", new File(["x"], "x.jpg", { type: "image/jpeg" }));
    expect((await call("/api/upload", { method: "POST", headers: keyHeaders(b), body: form })).status).toBe(404);

    expect(await (await getJson("/api/collections", b)).json()).toEqual([]);
    expect(await (await getJson("/api/categories", b)).json()).toEqual([]);
    expect(await (await getJson(`/api/collections?categoryId=${cat.id}`, b)).json()).toEqual([]);
    expect(await (await getJson("/api/studio/storage", b)).json()).toMatchObject({ usedBytes: 0 });

    // A's data is untouched.
    expect(await (await getJson(`/api/collections/${col.id}`, a)).json()).toMatchObject({ name: "A's shoot", categoryId: cat.id, fileCount: 1 });
    expect(await (await getJson("/api/categories", a)).json()).toMatchObject([{ name: "A's" }]);
    expect(await studioRow(b.studioId)).toEqual({ used: 0, reserved: 0 });
  });
});

describe("bad input", () => {
  let s: Studio;
  const bad = async (method: string, path: string, body: unknown, status = 400) => {
    const res = await call(path, {
      method,
      headers: { "content-type": "application/json", ...keyHeaders(s) },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(status);
    const json = (await res.json()) as { error: string };
    expect(json.error).toMatch(/^[a-z_]+$/);
  };

  it("answers 4xx with a JSON error on every route, and never writes", async () => {
    s = await registerStudio();
    const col = await createCollection(s);
    const cat = await createCategory(s);
    const long = "x".repeat(201);
    await bad("POST", "/api/collections", {});
    await bad("POST", "/api/collections", { name: "" });
    await bad("POST", "/api/collections", { name: long });
    await bad("POST", "/api/collections", { name: "ok", date: "2024-13-45" });
    await bad("POST", "/api/collections", { name: "ok", date: "yesterday" });
    await bad("POST", "/api/collections", { name: "ok", clientName: long });
    await bad("POST", "/api/collections", { name: "ok", extra: 1 });
    await bad("POST", "/api/collections", "{not json");
    await bad("PATCH", `/api/collections/${col.id}`, {});
    await bad("PATCH", `/api/collections/${col.id}`, { name: 5 });
    await bad("GET", `/api/collections/${"x".repeat(65)}`, undefined);
    await bad("POST", "/api/categories", { name: "" });
    await bad("POST", "/api/categories", { name: long });
    await bad("PATCH", `/api/categories/${cat.id}`, { name: "" });
    await bad("POST", "/api/upload/presign", { collectionId: col.id, fileName: "a.jpg", contentType: "image/jpeg", sizeBytes: 0 });
    await bad("POST", "/api/upload/presign", { collectionId: col.id, fileName: "a.jpg", contentType: "image/jpeg", sizeBytes: -5 });
    await bad("POST", "/api/upload/presign", { collectionId: col.id, fileName: "a.jpg", contentType: "image/jpeg", sizeBytes: 1.5 });
    await bad("POST", "/api/upload/presign", { collectionId: col.id, fileName: "a.jpg", contentType: "not a type", sizeBytes: 1 });
    await bad("POST", "/api/upload/presign", { collectionId: col.id, fileName: "", contentType: "image/jpeg", sizeBytes: 1 });
    await bad("POST", "/api/upload/presign", { collectionId: col.id, fileName: "a".repeat(256), contentType: "image/jpeg", sizeBytes: 1 });
    await bad("POST", "/api/upload/presign", { collectionId: col.id, fileName: "a.jpg", contentType: "image/jpeg", sizeBytes: 6 * 1024 ** 3 });
    await bad("POST", "/api/upload/complete", {});
    await bad("POST", "/api/upload/complete", { storageKey: "k".repeat(513) });
    await bad("POST", "/api/upload/complete", { storageKey: "gallery/nope" }, 404);
    await bad("GET", `/api/collections/${col.id}/files?limit=0`, undefined);
    await bad("GET", `/api/collections/${col.id}/files?limit=501`, undefined);
    await bad("GET", `/api/collections/${col.id}/files?cursor=%%%`, undefined);
    await bad("GET", `/api/collections?categoryId=${"c".repeat(65)}`, undefined);
    const text = await call("/api/collections", { method: "POST", headers: { ...keyHeaders(s), "content-type": "text/plain" }, body: "name=x" });
    expect(text.status).toBe(415);
    expect(await (await getJson("/api/collections", s)).json()).toHaveLength(1);
    expect(await (await getJson("/api/categories", s)).json()).toHaveLength(1);
    expect(await studioRow(s.studioId)).toEqual({ used: 0, reserved: 0 });
  });
});

describe("files listing", () => {
  it("paginates a large collection with a cursor and signs a URL for each file", async () => {
    const s = await registerStudio();
    const col = await createCollection(s);
    const now = Date.now();
    // Rows only: listing never touches the bytes.
    const stmts = Array.from({ length: 250 }, (_, i) =>
      env.DB.prepare("INSERT INTO files (id, studio_id, collection_id, storage_key, name, content_type, size_bytes, client_name, folder_path, created_at) VALUES (?, ?, ?, ?, ?, 'image/jpeg', 1, '', '', ?)").bind(
        `gf_${String(i).padStart(6, "0")}`,
        s.studioId,
        col.id,
        `gallery/${s.studioId}/${col.id}/gf_${i}/p.jpg`,
        `p${i}.jpg`,
        now + Math.floor(i / 10),
      ),
    );
    await env.DB.batch(stmts);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await listFiles(s, col.id, `?limit=100${cursor ? `&cursor=${cursor}` : ""}`);
      pages++;
      for (const f of page.files) {
        expect(f.url).toBe(`http://localhost/api/media?t=${f.mediaToken}`);
        seen.push(f.name);
      }
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
    expect(seen[0]).toBe("p0.jpg");
    expect(seen[249]).toBe("p249.jpg");
  });
});

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db";
import worker from "../../src/index";
import { sweepExpiredUploads } from "../../src/platform/storage";
import { api, BASE, call, fetchUrl, keyHeaders, postJson, putPresigned, registerStudio, sessionHeaders, submitForm, type Presigned } from "../factories";
import { jpeg } from "../gallery-images/helpers";
import { bytes, complete, createCategory, createCollection, FREE_LIMIT, listFiles, presign, presignedUpload, proxyUpload, RETRYABLE, studioRow, studioWithFile, uploadFile } from "./helpers";

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
    expect(await (await api("GET", "/api/studio/storage", s)).json()).toMatchObject({ usedBytes: 2048 });
  });
});

describe("collections", () => {
  it("creates, lists (newest first, filtered by category), gets, updates and deletes", async () => {
    const s = await registerStudio();
    const cat = await createCategory(s, "Portraits");
    const a = await createCollection(s, { name: "A" });
    const b = await createCollection(s, { name: "B", clientName: "Bo", date: "2025-01-31", categoryId: cat.id });
    const all = (await (await api("GET", "/api/collections", s)).json()) as { id: string }[];
    expect(all.map((c) => c.id)).toEqual([b.id, a.id]);
    const filtered = (await (await api("GET", `/api/collections?categoryId=${cat.id}`, s)).json()) as { id: string }[];
    expect(filtered.map((c) => c.id)).toEqual([b.id]);

    const one = await api("GET", `/api/collections/${b.id}`, s);
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ id: b.id, name: "B", clientName: "Bo", date: "2025-01-31", categoryId: cat.id, fileCount: 0, totalBytes: 0 });

    const renamed = await api("PATCH", `/api/collections/${b.id}`, s, { name: "B2", categoryId: null });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ name: "B2", clientName: "Bo", categoryId: null });

    expect((await call(`/api/collections/${a.id}`, { method: "DELETE", headers: keyHeaders(s) })).status).toBe(204);
    expect((await api("GET", `/api/collections/${a.id}`, s)).status).toBe(404);
  });

  it("deleting a collection deletes its files and objects and frees their bytes", async () => {
    const s = await registerStudio();
    const keep = await createCollection(s, { name: "Keep" });
    const gone = await createCollection(s, { name: "Gone" });
    await uploadFile(s, keep.id, "k.jpg", bytes(10));
    const f1 = await uploadFile(s, gone.id, "a.jpg", bytes(100));
    await uploadFile(s, gone.id, "b.jpg", bytes(200));
    expect(await studioRow(s.studioId)).toEqual({ used: 310, reserved: 0 });
    expect(await (await api("GET", `/api/collections/${gone.id}`, s)).json()).toMatchObject({ fileCount: 2, totalBytes: 300 });

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
});

describe("categories", () => {
  it("creates, lists, renames and deletes; collections of a deleted category stay uncategorised", async () => {
    const s = await registerStudio();
    const cat = await createCategory(s, "Events");
    const col = await createCollection(s, { name: "Gala", categoryId: cat.id });
    expect(await (await api("GET", "/api/categories", s)).json()).toEqual([{ id: cat.id, name: "Events", createdAt: expect.any(String) }]);
    const renamed = await api("PATCH", `/api/categories/${cat.id}`, s, { name: "Galas" });
    expect(await renamed.json()).toMatchObject({ id: cat.id, name: "Galas" });
    expect((await call(`/api/categories/${cat.id}`, { method: "DELETE", headers: keyHeaders(s) })).status).toBe(204);
    expect(await (await api("GET", "/api/categories", s)).json()).toEqual([]);
    expect(await (await api("GET", `/api/collections/${col.id}`, s)).json()).toMatchObject({ categoryId: null });
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

describe("/dashboard/gallery", () => {
  it("renders collections, categories, the storage meter and a nonce-only script policy", async () => {
    const s = await registerStudio();
    const cat = await createCategory(s, "Weddings");
    const col = await createCollection(s, { name: "Smith wedding", categoryId: cat.id });
    const photo = jpeg(600, 400);
    await uploadFile(s, col.id, "kiss.jpg", photo);
    const res = await call(`/dashboard/gallery?collection=${col.id}`, { headers: sessionHeaders(s) });
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toMatch(/script-src 'nonce-[^']+'/);
    expect(/script-src ([^;]*)/.exec(csp)![1]).not.toContain("unsafe-inline");
    const html = await res.text();
    expect(html).toContain("Smith wedding");
    expect(html).toContain("Weddings");
    expect(html).toContain(`aria-valuenow="${photo.byteLength}"`);
    expect(html).toContain('data-file-name="kiss.jpg"');
    // The grid shows the thumbnail (lazy, signed like the original).
    expect(html).toMatch(/<img src="http:\/\/localhost\/api\/media\?t=[^"]+" alt="kiss.jpg" loading="lazy"/);
    expect(html).toContain('data-has-thumbnail="true"');
  });

  it("creates, edits and deletes collections and categories through its forms", async () => {
    const s = await registerStudio();
    let res = await submitForm(s, "/dashboard/gallery/categories", { name: "Events" });
    expect(res.status).toBe(303);
    const [cat] = (await (await call("/api/categories", { headers: keyHeaders(s) })).json()) as { id: string }[];
    res = await submitForm(s, "/dashboard/gallery/collections", { name: "Gala", clientName: "Acme", date: "2025-05-01", categoryId: cat!.id });
    expect(res.status).toBe(303);
    const id = new URL(res.headers.get("location")!, BASE).searchParams.get("collection")!;
    expect(await (await call(`/api/collections/${id}`, { headers: keyHeaders(s) })).json()).toMatchObject({ name: "Gala", clientName: "Acme", date: "2025-05-01", categoryId: cat!.id });
    res = await submitForm(s, `/dashboard/gallery/collections/${id}`, { name: "Gala 2025", clientName: "", date: "", categoryId: "" });
    expect(res.status).toBe(303);
    expect(await (await call(`/api/collections/${id}`, { headers: keyHeaders(s) })).json()).toMatchObject({ name: "Gala 2025", date: null, categoryId: null });
    res = await submitForm(s, `/dashboard/gallery/categories/${cat!.id}/rename`, { name: "Parties" });
    expect(res.status).toBe(303);
    res = await submitForm(s, `/dashboard/gallery/collections/${id}/delete`);
    expect(res.status).toBe(303);
    expect((await call(`/api/collections/${id}`, { headers: keyHeaders(s) })).status).toBe(404);
  });
});

describe("dashboard upload endpoints (session)", () => {
  it("presign and complete with the session cookie; an API key or a foreign origin is refused", async () => {
    const s = await registerStudio();
    const col = await createCollection(s);
    const body = { collectionId: col.id, fileName: "d.jpg", contentType: "image/jpeg", sizeBytes: 4 };
    expect((await postJson("/api/dashboard/gallery/upload/presign", body, keyHeaders(s))).status).toBe(401);
    expect((await postJson("/api/dashboard/gallery/upload/presign", body, { cookie: s.cookie, origin: "https://evil.example" })).status).toBe(403);
    const pres = await postJson("/api/dashboard/gallery/upload/presign", body, sessionHeaders(s));
    expect(pres.status).toBe(200);
    const p = (await pres.json()) as Presigned;
    // The PUT itself is authorised by its signature alone, from any origin (like R2 with CORS).
    const put = await fetchUrl(p.uploadUrl, { method: "PUT", headers: { ...p.headers, origin: "https://partner.example" }, body: "abcd" });
    expect(put.status).toBe(200);
    const done = await postJson("/api/dashboard/gallery/upload/complete", { storageKey: p.storageKey }, sessionHeaders(s));
    expect(done.status).toBe(201);
    expect(await studioRow(s.studioId)).toEqual({ used: 4, reserved: 0 });
    expect(await (await env.FILES.get(p.storageKey))?.text()).toBe("abcd");
  });
});

describe("presign -> PUT -> complete", () => {
  it("stores the bytes under a server-chosen key and creates the file on complete", async () => {
    const s = await registerStudio();
    const col = await createCollection(s);
    const pres = await presign(s, col.id, "../../etc/Wedding Photo.JPG", "image/jpeg", 11);
    expect(pres.status).toBe(200);
    const p = (await pres.json()) as Presigned;
    expect(Object.keys(p).sort()).toEqual(["expiresAt", "headers", "storageKey", "uploadUrl"]);
    expect(p.headers).toEqual({ "Content-Type": "image/jpeg" });
    expect(p.storageKey).toMatch(new RegExp(`^gallery/${s.studioId}/${col.id}/gf_[A-Za-z0-9]+/etc_Wedding_Photo\\.JPG$`));
    const url = new URL(p.uploadUrl);
    expect(url.searchParams.get("X-Amz-SignedHeaders")).toBe("content-type;host");
    expect(Number(url.searchParams.get("X-Amz-Expires"))).toBeLessThanOrEqual(900);
    expect(Date.parse(p.expiresAt)).toBeGreaterThan(Date.now());

    expect((await putPresigned(p, "hello world")).status).toBe(200);
    const done = await complete(s, p, { collectionId: col.id, fileName: "Wedding Photo.JPG", contentType: "image/jpeg", sizeBytes: 11 });
    expect(done.status).toBe(201);
    const file = (await done.json()) as Record<string, unknown>;
    expect(file).toMatchObject({ collectionId: col.id, name: "../../etc/Wedding Photo.JPG", contentType: "image/jpeg", sizeBytes: 11, clientName: "Jane", storageKey: p.storageKey });
    expect(await studioRow(s.studioId)).toEqual({ used: 11, reserved: 0 });
    const obj = await env.FILES.get(p.storageKey);
    expect(await obj?.text()).toBe("hello world");
  });

  it("answers the documented retryable 409 when /complete comes before the PUT, then succeeds", async () => {
    const { s, p } = await presignedUpload(5, "a.png", "image/png");
    const early = await complete(s, p);
    expect(early.status).toBe(409);
    expect(await early.json()).toMatchObject(RETRYABLE);
    expect(await studioRow(s.studioId)).toEqual({ used: 0, reserved: 5 });
    await putPresigned(p, "abcde");
    expect((await complete(s, p)).status).toBe(201);
  });

  it("is idempotent: a repeated complete returns the same file and counts the bytes once", async () => {
    const { s, col, p } = await presignedUpload(3, "a.png", "image/png");
    await putPresigned(p, "abc");
    const results = await Promise.all([complete(s, p), complete(s, p), complete(s, p)]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 201]);
    const ids = new Set(await Promise.all(results.map(async (r) => ((await r.json()) as { id: string }).id)));
    expect(ids.size).toBe(1);
    expect(await studioRow(s.studioId)).toEqual({ used: 3, reserved: 0 });
    expect((await listFiles(s, col.id)).files).toHaveLength(1);
  });
});

describe("proxy upload", () => {
  it("stores a multipart upload and lists it", async () => {
    const s = await registerStudio();
    const col = await createCollection(s);
    const res = await proxyUpload(s, col.id, new File(["png bytes"], "photo.png", { type: "image/png" }), "Jane Smith");
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ name: "photo.png", contentType: "image/png", sizeBytes: 9, clientName: "Jane Smith" });
    expect(await studioRow(s.studioId)).toEqual({ used: 9, reserved: 0 });
  });
});

describe("quotas", () => {
  it("uses the free plan's limit when a paid subscription is not in good standing", async () => {
    const s = await registerStudio();
    const storage = async () => (await (await call("/api/studio/storage", { headers: keyHeaders(s) })).json()) as { usedBytes: number; limitBytes: number };
    expect(await storage()).toEqual({ usedBytes: 0, limitBytes: FREE_LIMIT });
    await env.DB.prepare("UPDATE subscriptions SET plan_id = 'plan_cg_pro', status = 'active' WHERE profile_id = ? AND plan_type = 'clientGallery'").bind(s.profileId).run();
    expect((await storage()).limitBytes).toBe(107374182400);
    await env.DB.prepare("UPDATE subscriptions SET status = 'past_due' WHERE profile_id = ?").bind(s.profileId).run();
    expect((await storage()).limitBytes).toBe(107374182400);
    await env.DB.prepare("UPDATE subscriptions SET status = 'canceled' WHERE profile_id = ?").bind(s.profileId).run();
    expect((await storage()).limitBytes).toBe(FREE_LIMIT);
  });

  it("reports completed and in-flight bytes in /api/studio/storage", async () => {
    const s = await registerStudio();
    const col = await createCollection(s);
    await uploadFile(s, col.id, "a.jpg", bytes(100));
    await presign(s, col.id, "b.jpg", "image/jpeg", 50);
    const res = await call("/api/studio/storage", { headers: keyHeaders(s) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ usedBytes: 150, limitBytes: FREE_LIMIT });
  });
});

describe("GET /api/media", () => {
  it("streams the file with its type, ETag, nosniff and a sandboxing CSP", async () => {
    const { listed } = await studioWithFile();
    const res = await fetchUrl(listed.url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    expect(res.headers.get("content-disposition")).toMatch(/^inline; filename="photo.jpg"/);
    expect(res.headers.get("accept-ranges")).toBe("bytes");
    expect(res.headers.get("etag")).toBeTruthy();
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes(1000, 42));
  });

  it("answers a Range request with 206 and the exact bytes, and 416 past the end", async () => {
    const data = Uint8Array.from({ length: 500 }, (_, i) => i % 251);
    const { listed } = await studioWithFile("clip.mp4", "video/mp4", data);
    const part = await fetchUrl(listed.url, { headers: { range: "bytes=100-199" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 100-199/500");
    expect(part.headers.get("content-length")).toBe("100");
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(data.slice(100, 200));
    const tail = await fetchUrl(listed.url, { headers: { range: "bytes=-50" } });
    expect(tail.status).toBe(206);
    expect(tail.headers.get("content-range")).toBe("bytes 450-499/500");
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(data.slice(450));
    const open = await fetchUrl(listed.url, { headers: { range: "bytes=490-" } });
    expect(open.headers.get("content-range")).toBe("bytes 490-499/500");
    await open.arrayBuffer();
    const past = await fetchUrl(listed.url, { headers: { range: "bytes=600-700" } });
    expect(past.status).toBe(416);
    expect(past.headers.get("content-range")).toBe("bytes */500");
  });

  it("answers If-None-Match with the current ETag with 304 and no body", async () => {
    const { listed } = await studioWithFile();
    const first = await fetchUrl(listed.url);
    const etag = first.headers.get("etag")!;
    await first.arrayBuffer();
    const again = await fetchUrl(listed.url, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    const stale = await fetchUrl(listed.url, { headers: { "if-none-match": '"other"' } });
    expect(stale.status).toBe(200);
    await stale.arrayBuffer();
  });
});

describe("scheduled sweep", () => {
  it("deletes expired intents with their orphaned objects and releases the reservation", async () => {
    const s = await registerStudio();
    const col = await createCollection(s);
    const stale = (await (await presign(s, col.id, "stale.jpg", "image/jpeg", 4)).json()) as Presigned;
    const live = (await (await presign(s, col.id, "live.jpg", "image/jpeg", 6)).json()) as Presigned;
    await putPresigned(stale, "abcd");
    await env.DB.prepare("UPDATE upload_intents SET expires_at = ? WHERE storage_key = ?").bind(Date.now() - 1, stale.storageKey).run();
    expect(await studioRow(s.studioId)).toEqual({ used: 0, reserved: 10 });
    // The Worker's own cron handler runs the sweep.
    await worker.scheduled({ scheduledTime: Date.now(), cron: "*/15 * * * *", noRetry() {} } as ScheduledController, env);
    expect(await env.FILES.head(stale.storageKey)).toBeNull();
    expect(await studioRow(s.studioId)).toEqual({ used: 0, reserved: 6 });
    expect((await complete(s, stale)).status).toBe(404);
    await putPresigned(live, "123456");
    expect((await complete(s, live)).status).toBe(201);
    expect(await sweepExpiredUploads(getDb(env.DB), env.FILES, Date.now())).toBe(0);
  });
});

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, call, keyHeaders, postJson, putPresigned, registerStudio, submitForm, type Presigned, type Studio } from "../factories";
import { bytes, complete, createCategory, createCollection, FREE_LIMIT, listFiles, presign, presignedUpload, proxyUpload, RETRYABLE, setUsedBytes, studioRow } from "./helpers";

describe("collections", () => {
  it("rejects an unknown category id with 404 and writes nothing", async () => {
    const s = await registerStudio();
    const res = await postJson("/api/collections", { name: "X", categoryId: "cat_xxx" }, keyHeaders(s));
    expect(res.status).toBe(404);
    expect(await (await api("GET", "/api/collections", s)).json()).toEqual([]);
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
    expect(await (await api("GET", "/api/collections", s)).json()).toHaveLength(1);
    expect(await (await api("GET", "/api/categories", s)).json()).toHaveLength(1);
    expect(await studioRow(s.studioId)).toEqual({ used: 0, reserved: 0 });
  });
});

describe("/dashboard/gallery", () => {
  it("shows a form error instead of writing on bad input", async () => {
    const s = await registerStudio();
    const res = await submitForm(s, "/dashboard/gallery/collections", { name: "", date: "nope" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('role="alert"');
    expect(await (await call("/api/collections", { headers: keyHeaders(s) })).json()).toEqual([]);
  });
});

describe("presign -> PUT -> complete", () => {
  it("deletes the object and releases the reservation when the size does not match", async () => {
    const { s, p } = await presignedUpload(10);
    await putPresigned(p, "only five!!!!");
    const res = await complete(s, p);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; detail: string };
    expect(body.error).toBe("upload_incomplete_or_mismatch");
    expect(body.detail).not.toBe(RETRYABLE.detail);
    expect(await env.FILES.head(p.storageKey)).toBeNull();
    expect(await studioRow(s.studioId)).toEqual({ used: 0, reserved: 0 });
    expect((await complete(s, p)).status).toBe(404);
  });

  it("rejects a complete whose declared size differs from the presign", async () => {
    const { s, p } = await presignedUpload(3);
    await putPresigned(p, "abc");
    const res = await complete(s, p, { sizeBytes: 4 });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "upload_incomplete_or_mismatch" });
  });
});

describe("quotas", () => {
  it("refuses a presign that would exceed the plan limit with 413 storage_limit_exceeded", async () => {
    const s = await registerStudio();
    const col = await createCollection(s);
    const res = await presign(s, col.id, "huge.mp4", "video/mp4", FREE_LIMIT + 1);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: "storage_limit_exceeded" });
    expect(await studioRow(s.studioId)).toEqual({ used: 0, reserved: 0 });
  });

  it("lets exactly the concurrent presigns that fit succeed", async () => {
    const s = await registerStudio();
    const col = await createCollection(s);
    await setUsedBytes(s.studioId, FREE_LIMIT - 10_000);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => presign(s, col.id, `f${i}.jpg`, "image/jpeg", 1000)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((x) => x === 200)).toHaveLength(10);
    expect(statuses.filter((x) => x === 413)).toHaveLength(10);
    const row = await studioRow(s.studioId);
    expect(row.used + row.reserved).toBe(FREE_LIMIT);
  });

  it("never ends above the limit when many completes race after usage grew", async () => {
    const s = await registerStudio();
    const col = await createCollection(s);
    await setUsedBytes(s.studioId, FREE_LIMIT - 10_000);
    const ps: Presigned[] = [];
    for (let i = 0; i < 8; i++) ps.push((await (await presign(s, col.id, `f${i}.jpg`, "image/jpeg", 1000)).json()) as Presigned);
    await Promise.all(ps.map((p) => putPresigned(p, bytes(1000))));
    // Usage grew meanwhile (another upload path, a plan change): only 3 of the 8 still fit.
    await setUsedBytes(s.studioId, FREE_LIMIT - 3_000);
    const results = await Promise.all(ps.map((p) => complete(s, p)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((x) => x === 201)).toHaveLength(3);
    expect(statuses.filter((x) => x === 413)).toHaveLength(5);
    const row = await studioRow(s.studioId);
    expect(row).toEqual({ used: FREE_LIMIT, reserved: 0 });
    expect((await listFiles(s, col.id)).files).toHaveLength(3);
    const objects = await env.FILES.list({ prefix: `gallery/${s.studioId}/` });
    expect(objects.objects).toHaveLength(3);
  });

  it("refuses a proxy upload past the limit with 413 and stores nothing", async () => {
    const s = await registerStudio();
    const col = await createCollection(s);
    await setUsedBytes(s.studioId, FREE_LIMIT - 10);
    const res = await proxyUpload(s, col.id, new File([bytes(11)], "a.jpg", { type: "image/jpeg" }), "Jane");
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: "storage_limit_exceeded" });
    expect((await env.FILES.list({ prefix: `gallery/${s.studioId}/` })).objects).toHaveLength(0);
    expect(await studioRow(s.studioId)).toEqual({ used: FREE_LIMIT - 10, reserved: 0 });
  });
});

describe("proxy upload", () => {
  it("rejects a missing file, a missing collection and a non-multipart body with 4xx", async () => {
    const s = await registerStudio();
    const col = await createCollection(s);
    const noFile = new FormData();
    noFile.append("collectionId", col.id);
    expect((await call("/api/upload", { method: "POST", headers: keyHeaders(s), body: noFile })).status).toBe(400);
    const textFile = new FormData();
    textFile.append("collectionId", col.id);
    textFile.append("file", "not a file");
    expect((await call("/api/upload", { method: "POST", headers: keyHeaders(s), body: textFile })).status).toBe(400);
    const empty = new FormData();
    empty.append("collectionId", col.id);
    empty.append("file", new File([], "e.jpg", { type: "image/jpeg" }));
    expect((await call("/api/upload", { method: "POST", headers: keyHeaders(s), body: empty })).status).toBe(400);
    const noCol = new FormData();
    noCol.append("collectionId", "col_doesNotExist0000");
    noCol.append("file", new File(["x"], "x.jpg"));
    expect((await call("/api/upload", { method: "POST", headers: keyHeaders(s), body: noCol })).status).toBe(404);
    const asJson = await postJson("/api/upload", { collectionId: col.id }, keyHeaders(s));
    expect(asJson.status).toBeGreaterThanOrEqual(400);
    expect(asJson.status).toBeLessThan(500);
    expect(await studioRow(s.studioId)).toEqual({ used: 0, reserved: 0 });
  });

  it("refuses a body above the proxy limit with 413 payload_too_large", async () => {
    const s = await registerStudio();
    const col = await createCollection(s);
    const res = await proxyUpload(s, col.id, new File([bytes(51 * 1024 * 1024)], "big.mp4", { type: "video/mp4" }));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: "payload_too_large" });
  });
});

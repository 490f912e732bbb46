import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { presignPut, s3Config, sweepExpiredUploads } from "../../src/platform/storage";
import { getDb } from "../../src/db";
import worker from "../../src/index";
import { call, postJson } from "../factories";
import {
  bytes,
  complete,
  createCollection,
  fetchUrl,
  FREE_LIMIT,
  keyHeaders,
  listFiles,
  presign,
  putPresigned,
  registerStudio,
  setUsedBytes,
  studioRow,
  uploadFile,
  type Presigned,
} from "./helpers";

const RETRYABLE = { error: "upload_incomplete_or_mismatch", detail: "object_not_visible_yet_retry_complete" };

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
    const s = await registerStudio();
    const col = await createCollection(s);
    const p = (await (await presign(s, col.id, "a.png", "image/png", 5)).json()) as Presigned;
    const early = await complete(s, p);
    expect(early.status).toBe(409);
    expect(await early.json()).toMatchObject(RETRYABLE);
    expect(await studioRow(s.studioId)).toEqual({ used: 0, reserved: 5 });
    await putPresigned(p, "abcde");
    expect((await complete(s, p)).status).toBe(201);
  });

  it("is idempotent: a repeated complete returns the same file and counts the bytes once", async () => {
    const s = await registerStudio();
    const col = await createCollection(s);
    const p = (await (await presign(s, col.id, "a.png", "image/png", 3)).json()) as Presigned;
    await putPresigned(p, "abc");
    const results = await Promise.all([complete(s, p), complete(s, p), complete(s, p)]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 201]);
    const ids = new Set(await Promise.all(results.map(async (r) => ((await r.json()) as { id: string }).id)));
    expect(ids.size).toBe(1);
    expect(await studioRow(s.studioId)).toEqual({ used: 3, reserved: 0 });
    expect((await listFiles(s, col.id)).files).toHaveLength(1);
  });

  it("deletes the object and releases the reservation when the size does not match", async () => {
    const s = await registerStudio();
    const col = await createCollection(s);
    const p = (await (await presign(s, col.id, "a.jpg", "image/jpeg", 10)).json()) as Presigned;
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
    const s = await registerStudio();
    const col = await createCollection(s);
    const p = (await (await presign(s, col.id, "a.jpg", "image/jpeg", 3)).json()) as Presigned;
    await putPresigned(p, "abc");
    const res = await complete(s, p, { sizeBytes: 4 });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "upload_incomplete_or_mismatch" });
  });
});

describe("presigned URL integrity", () => {
  async function fresh() {
    const s = await registerStudio();
    const col = await createCollection(s);
    const p = (await (await presign(s, col.id, "a.jpg", "image/jpeg", 4)).json()) as Presigned;
    return { s, col, p };
  }

  it("refuses a tampered signature, key, expiry or Content-Type with 403 and stores nothing", async () => {
    const { p, col, s } = await fresh();
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
    const { s, p } = await fresh();
    const config = s3Config(env, "http://localhost/");
    const old = await presignPut(config, p.storageKey, "image/jpeg", Date.now() - 16 * 60_000);
    const res = await fetchUrl(old.uploadUrl, { method: "PUT", headers: old.headers, body: "late" });
    expect(res.status).toBe(403);
    expect(await env.FILES.head(p.storageKey)).toBeNull();
    expect((await complete(s, p)).status).toBe(409);
  });

  it("rejects a storage key of another studio at complete with 404", async () => {
    const a = await fresh();
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
    const form = new FormData();
    form.append("collectionId", col.id);
    form.append("clientName", "Jane");
    form.append("file", new File([bytes(11)], "a.jpg", { type: "image/jpeg" }));
    const res = await call("/api/upload", { method: "POST", headers: keyHeaders(s), body: form });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: "storage_limit_exceeded" });
    expect((await env.FILES.list({ prefix: `gallery/${s.studioId}/` })).objects).toHaveLength(0);
    expect(await studioRow(s.studioId)).toEqual({ used: FREE_LIMIT - 10, reserved: 0 });
  });

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

describe("proxy upload", () => {
  it("stores a multipart upload and lists it", async () => {
    const s = await registerStudio();
    const col = await createCollection(s);
    const form = new FormData();
    form.append("collectionId", col.id);
    form.append("clientName", "Jane Smith");
    form.append("file", new File(["png bytes"], "photo.png", { type: "image/png" }));
    const res = await call("/api/upload", { method: "POST", headers: keyHeaders(s), body: form });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ name: "photo.png", contentType: "image/png", sizeBytes: 9, clientName: "Jane Smith" });
    expect(await studioRow(s.studioId)).toEqual({ used: 9, reserved: 0 });
  });

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
    const form = new FormData();
    form.append("collectionId", col.id);
    form.append("file", new File([bytes(51 * 1024 * 1024)], "big.mp4", { type: "video/mp4" }));
    const res = await call("/api/upload", { method: "POST", headers: keyHeaders(s), body: form });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: "payload_too_large" });
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

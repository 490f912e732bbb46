import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { call, registerStudio } from "../factories";
import { createUpload, equalBytes, head, MiB, patch, pattern, sha1b64, storedBytes, tus, uploadRow, UPLOADS, usage } from "./helpers";

const limitOf = async (studioId: string) =>
  (await env.DB.prepare(
    "SELECT p.storage_limit_bytes AS l FROM studios s JOIN plans p ON p.plan_type = 'clientGallery' AND p.price_minor = 0 WHERE s.id = ? ORDER BY p.sort_order LIMIT 1",
  )
    .bind(studioId)
    .first<{ l: number }>())!.l;

describe("tus server: error answers", () => {
  it("412 with Tus-Version on a missing or other Tus-Resumable, on every method but OPTIONS", async () => {
    const s = await registerStudio();
    const up = await createUpload(s.key, 10);
    for (const version of [undefined, "0.2.2"]) {
      const h: Record<string, string> = { "x-api-key": s.key, ...(version ? { "Tus-Resumable": version } : {}) };
      for (const [method, path] of [["POST", UPLOADS], ["HEAD", up.path], ["PATCH", up.path], ["DELETE", up.path]] as const) {
        const res = await call(path, { method, headers: h });
        expect(res.status, `${method} ${version}`).toBe(412);
        expect(res.headers.get("tus-version")).toBe("1.0.0");
        expect(res.headers.get("tus-resumable")).toBe("1.0.0");
      }
    }
    expect((await head(s.key, up.path)).headers.get("upload-offset")).toBe("0");
  });

  it("415 for a PATCH that is not application/offset+octet-stream", async () => {
    const s = await registerStudio();
    const up = await createUpload(s.key, 10);
    const res = await tus("PATCH", up.path, s.key, { "content-type": "application/octet-stream", "Upload-Offset": "0" }, pattern(10));
    expect(res.status).toBe(415);
    expect((await uploadRow(up.id))!.offset).toBe(0);
  });

  it("409 on an offset mismatch, telling the real offset; nothing written", async () => {
    const s = await registerStudio();
    const data = pattern(3000);
    const up = await createUpload(s.key, 3000);
    await patch(s.key, up.path, 0, data.subarray(0, 1000));
    const res = await patch(s.key, up.path, 500, data.subarray(500, 1500));
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: string }).error).toBe("upload_offset_mismatch");
    expect(res.headers.get("upload-offset")).toBe("1000");
    expect((await uploadRow(up.id))!.offset).toBe(1000);
  });

  it("400 without Upload-Length or Upload-Defer-Length, or with a malformed one", async () => {
    const s = await registerStudio();
    for (const headers of [{}, { "Upload-Length": "-1" }, { "Upload-Length": "12", "Upload-Defer-Length": "1" }, { "Upload-Defer-Length": "2" }, { "Upload-Length": "5", "Upload-Metadata": "filename !!!" }] as Record<string, string>[]) {
      const res = await tus("POST", UPLOADS, s.key, headers);
      expect(res.status, JSON.stringify(headers)).toBe(400);
    }
  });

  it("460 on a checksum mismatch: the chunk is discarded and the same chunk with the right checksum then goes in", async () => {
    const s = await registerStudio();
    const data = pattern(6 * MiB, 3);
    const up = await createUpload(s.key, data.byteLength);
    await patch(s.key, up.path, 0, data.subarray(0, 1000));
    const chunk = data.subarray(1000);
    const bad = await patch(s.key, up.path, 1000, chunk, { "Upload-Checksum": `sha1 ${await sha1b64(pattern(10))}` });
    expect(bad.status).toBe(460);
    expect(((await bad.json()) as { error: string }).error).toBe("checksum_mismatch");
    expect((await head(s.key, up.path)).headers.get("upload-offset")).toBe("1000");
    const good = await patch(s.key, up.path, 1000, chunk, { "Upload-Checksum": `sha1 ${await sha1b64(chunk)}` });
    expect(good.status).toBe(204);
    expect(equalBytes(await storedBytes((await uploadRow(up.id))!.storage_key), data)).toBe(true);
  });

  it("400 checksum_algorithm_unsupported for an unknown algorithm", async () => {
    const s = await registerStudio();
    const up = await createUpload(s.key, 10);
    const res = await patch(s.key, up.path, 0, pattern(10), { "Upload-Checksum": "crc32 AAAA" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe("checksum_algorithm_unsupported");
  });

  it("413 over the plan's max size, 413 storage_limit_exceeded when the quota is taken, 413 for a body past Upload-Length", async () => {
    const s = await registerStudio();
    const limit = await limitOf(s.studioId);
    const over = await tus("POST", UPLOADS, s.key, { "Upload-Length": String(limit + 1) });
    expect(over.status).toBe(413);
    expect(((await over.json()) as { error: string }).error).toBe("payload_too_large");
    await createUpload(s.key, limit - 100);
    expect((await usage(s.studioId))!.reserved).toBe(limit - 100);
    const full = await tus("POST", UPLOADS, s.key, { "Upload-Length": "101" });
    expect(full.status).toBe(413);
    expect(((await full.json()) as { error: string }).error).toBe("storage_limit_exceeded");
    const small = await createUpload(s.key, 100);
    const past = await patch(s.key, small.path, 0, pattern(101));
    expect(past.status).toBe(413);
    expect((await uploadRow(small.id))!.offset).toBe(0);
  });

  it("expiry: 24 h after the last PATCH the upload answers 410, and the cron aborts it and releases its reservation", async () => {
    const s = await registerStudio();
    const up = await createUpload(s.key, 8 * MiB);
    const before = Date.now();
    await patch(s.key, up.path, 0, pattern(4 * MiB));
    const row = (await uploadRow(up.id))!;
    expect(row.expires_at).toBeGreaterThanOrEqual(before + 24 * 3600_000);
    expect(row.expires_at).toBeLessThanOrEqual(Date.now() + 24 * 3600_000);
    const h = await head(s.key, up.path);
    expect(new Date(h.headers.get("upload-expires")!).getTime()).toBe(Math.floor(row.expires_at / 1000) * 1000);
    const listed = await env.FILES.list({ prefix: row.storage_key.slice(0, row.storage_key.lastIndexOf("/") + 1) });
    expect(listed.objects.length).toBe(1); // the tail (4 MiB, below one part)

    // Time passes: the stored expiry is moved into the past instead of sleeping.
    await env.DB.prepare("UPDATE tus_uploads SET expires_at = ? WHERE id = ?").bind(Date.now() - 1, up.id).run();
    expect((await head(s.key, up.path)).status).toBe(410);
    expect((await patch(s.key, up.path, 4 * MiB, pattern(10))).status).toBe(410);
    expect((await usage(s.studioId))!.reserved).toBe(8 * MiB);

    await worker.scheduled({ scheduledTime: Date.now(), cron: "*/15 * * * *", noRetry() {} } as ScheduledController, env);
    expect(await uploadRow(up.id)).toBeNull();
    expect((await usage(s.studioId))!.reserved).toBe(0);
    expect((await env.FILES.list({ prefix: row.storage_key.slice(0, row.storage_key.lastIndexOf("/") + 1) })).objects).toHaveLength(0);
    await expect(env.FILES.resumeMultipartUpload(row.storage_key, row.multipart_id!).uploadPart(99, pattern(10))).rejects.toThrow();
    expect((await head(s.key, up.path)).status).toBe(404);
  });
});

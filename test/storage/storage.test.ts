import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import {
  LOCAL_S3_CREDENTIALS,
  mediaTokenKey,
  normalizeContentType,
  parseRange,
  presignPut,
  s3Config,
  safeKeySegment,
  verifyPresignedPut,
  type S3Config,
} from "../../src/platform/storage";

const env = {} as Env;
const NOW = Date.UTC(2026, 10, 23, 9, 0, 0);
const local: S3Config = { endpoint: "http://localhost/storage/s3", bucket: "gellhub-files", ...LOCAL_S3_CREDENTIALS, local: true };

const put = (url: string, contentType = "image/jpeg") => new Request(url, { method: "PUT", headers: { "content-type": contentType }, body: "x" });

describe("storage configuration", () => {
  it("uses R2's endpoint and credentials when configured", () => {
    const c = s3Config({ ...env, R2_S3_ENDPOINT: "https://acc.r2.cloudflarestorage.com/", R2_ACCESS_KEY_ID: "id", R2_SECRET_ACCESS_KEY: "secret" }, "https://gellhub.com/api/upload/presign");
    expect(c).toEqual({ endpoint: "https://acc.r2.cloudflarestorage.com", bucket: "gellhub-files", accessKeyId: "id", secretAccessKey: "secret", local: false });
  });

  it("falls back to the Worker's own endpoint on localhost only", () => {
    expect(s3Config(env, "http://127.0.0.1:8801/x")).toMatchObject({ endpoint: "http://127.0.0.1:8801/storage/s3", local: true });
    expect(() => s3Config(env, "https://gellhub.com/x")).toThrow(/R2_S3_ENDPOINT/);
    expect(() => s3Config({ ...env, R2_S3_ENDPOINT: "https://acc.r2.cloudflarestorage.com" }, "https://gellhub.com/x")).toThrow(/R2_ACCESS_KEY_ID/);
  });

  it("refuses media tokens outside localhost without a strong MEDIA_TOKEN_SECRET", () => {
    expect(() => mediaTokenKey(env, "https://gellhub.com/api/media")).toThrow(/MEDIA_TOKEN_SECRET/);
    expect(() => mediaTokenKey({ ...env, MEDIA_TOKEN_SECRET: "short" }, "https://gellhub.com/")).toThrow();
    expect(mediaTokenKey({ ...env, MEDIA_TOKEN_SECRET: "s".repeat(32) }, "https://gellhub.com/")).toHaveLength(32);
    expect(mediaTokenKey(env, "http://localhost/").length).toBeGreaterThanOrEqual(32);
  });
});

describe("presignPut / verifyPresignedPut", () => {
  it("round-trips: a URL it signs verifies, for the same key and Content-Type, until it expires", async () => {
    const p = await presignPut(local, "gallery/st_1/col_1/gf_1/a b.jpg", "image/jpeg", NOW, 900);
    expect(p.expiresAt).toBe(NOW + 900_000);
    expect(await verifyPresignedPut(local, put(p.uploadUrl), NOW + 1000)).toEqual({ ok: true, bucket: "gellhub-files", key: "gallery/st_1/col_1/gf_1/a b.jpg" });
    expect(await verifyPresignedPut(local, put(p.uploadUrl), NOW + 901_000)).toMatchObject({ ok: false, reason: "expired" });
    expect(await verifyPresignedPut(local, put(p.uploadUrl), NOW - 10 * 60_000)).toMatchObject({ ok: false, reason: "expired" });
    expect(await verifyPresignedPut(local, put(p.uploadUrl, "text/html"), NOW)).toMatchObject({ ok: false, reason: "signature" });
  });

  it("refuses other credentials, methods and altered query parameters", async () => {
    const p = await presignPut(local, "k/a.jpg", "image/jpeg", NOW);
    const other = { ...local, accessKeyId: "someone", secretAccessKey: "else" };
    expect((await verifyPresignedPut(other, put(p.uploadUrl), NOW)).ok).toBe(false);
    expect((await verifyPresignedPut(local, new Request(p.uploadUrl, { method: "POST", headers: { "content-type": "image/jpeg" }, body: "x" }), NOW)).ok).toBe(false);
    for (const [k, v] of [
      ["X-Amz-SignedHeaders", "host"],
      ["X-Amz-Date", "20261123T090001Z"],
      ["X-Amz-Algorithm", "AWS4-HMAC-SHA1"],
      ["X-Amz-Credential", "x/20261123/auto/s3/aws4_request"],
    ]) {
      const u = new URL(p.uploadUrl);
      u.searchParams.set(k!, v!);
      expect((await verifyPresignedPut(local, put(u.toString()), NOW)).ok, k).toBe(false);
    }
    const moved = new URL(p.uploadUrl);
    moved.pathname = moved.pathname.replace("a.jpg", "b.jpg");
    expect((await verifyPresignedPut(local, put(moved.toString()), NOW)).ok).toBe(false);
    const otherHost = new URL(p.uploadUrl);
    otherHost.host = "127.0.0.1:9999";
    expect((await verifyPresignedPut(local, put(otherHost.toString()), NOW)).ok).toBe(false);
  });

  it("signs for R2's endpoint with the same code (path-style bucket, region auto)", async () => {
    const r2: S3Config = { endpoint: "https://acc.r2.cloudflarestorage.com", bucket: "gellhub-files", accessKeyId: "AK", secretAccessKey: "SK", local: false };
    const p = await presignPut(r2, "drive/dr_1/f_1/x.png", "image/png", NOW);
    const u = new URL(p.uploadUrl);
    expect(u.origin + u.pathname).toBe("https://acc.r2.cloudflarestorage.com/gellhub-files/drive/dr_1/f_1/x.png");
    expect(u.searchParams.get("X-Amz-Credential")).toBe("AK/20261123/auto/s3/aws4_request");
    expect(u.searchParams.get("X-Amz-SignedHeaders")).toBe("content-type;host");
    expect((await verifyPresignedPut(r2, put(p.uploadUrl, "image/png"), NOW)).ok).toBe(true);
  });
});

describe("helpers", () => {
  it("parses single byte ranges", () => {
    expect(parseRange(null, 10)).toBeNull();
    expect(parseRange("bytes=0-4", 10)).toEqual({ offset: 0, length: 5 });
    expect(parseRange("bytes=5-", 10)).toEqual({ offset: 5, length: 5 });
    expect(parseRange("bytes=-3", 10)).toEqual({ offset: 7, length: 3 });
    expect(parseRange("bytes=8-100", 10)).toEqual({ offset: 8, length: 2 });
    expect(parseRange("bytes=10-", 10)).toBe("unsatisfiable");
    expect(parseRange("bytes=0-1,4-5", 10)).toBeNull();
    expect(parseRange("items=0-1", 10)).toBeNull();
  });

  it("keeps keys and content types predictable", () => {
    expect(safeKeySegment("../../a b/c.JPG")).toBe("a_b_c.JPG");
    expect(safeKeySegment("...")).toBe("file");
    expect(safeKeySegment("x".repeat(300))).toHaveLength(100);
    expect(normalizeContentType("Image/JPEG; charset=binary")).toBe("image/jpeg");
    expect(normalizeContentType("")).toBe("application/octet-stream");
    expect(normalizeContentType("text/html<script>")).toBe("application/octet-stream");
  });
});

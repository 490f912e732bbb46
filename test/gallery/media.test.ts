import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mediaTokenKey, mintMediaToken } from "../../src/platform/storage";
import { call } from "../factories";
import { bytes, createCollection, fetchUrl, keyHeaders, listFiles, registerStudio, uploadFile } from "./helpers";

async function studioWithFile(name = "photo.jpg", contentType = "image/jpeg", data: Uint8Array | string = bytes(1000, 42)) {
  const s = await registerStudio();
  const col = await createCollection(s);
  const file = await uploadFile(s, col.id, name, data, contentType);
  const page = await listFiles(s, col.id);
  return { s, col, file, listed: page.files[0]! };
}

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

import { env } from "cloudflare:workers";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { mediaTokenKey, mintMediaToken } from "../../src/platform/storage";
import { api, call, fetchUrl, registerStudio } from "../factories";
import { createCollection, proxyUpload, uploadFile } from "../gallery/helpers";
import { jpeg, listed, pngHalfTransparent } from "./helpers";

async function studioWithPhoto() {
  const s = await registerStudio();
  const col = await createCollection(s, { name: "Private shoot" });
  // A PNG: both variants are new JPEGs (a small JPEG would be its own web size).
  await uploadFile(s, col.id, "secret.png", pngHalfTransparent(800, 600), "image/png");
  const [file] = await listed(s, col.id);
  return { s, col, file: file! };
}

const tokenOf = (url: string) => new URL(url).searchParams.get("t")!;
const signingKey = () => mediaTokenKey(env, "http://localhost/");

describe("variant URLs are signed, short-lived and tenant-isolated", () => {
  it("each variant URL carries its own one-hour token bound to the variant's key and the studio", async () => {
    const { s, file } = await studioWithPhoto();
    for (const [url, kind] of [
      [file.thumbnailUrl!, "thumb"],
      [file.webUrl!, "web"],
    ] as const) {
      const claims = decodeJwt(tokenOf(url));
      expect(claims.k).toBe(`${file.storageKey}~${kind}.jpg`);
      expect(claims.oi).toBe(s.studioId);
      expect(claims.aud).toBe("gallery");
      expect(claims.exp! - claims.iat!).toBe(3600);
    }
    // Tampering, another audience, an expired or forged token: 403, never the bytes.
    const t = tokenOf(file.thumbnailUrl!);
    expect((await call(`/api/media?t=${t.slice(0, -3)}abc`)).status).toBe(403);
    const owner = { kind: "studio" as const, id: s.studioId };
    const key = `${file.storageKey}~thumb.jpg`;
    expect((await call(`/api/media?t=${await mintMediaToken(signingKey(), "drive", { key, owner }, Date.now())}`)).status).toBe(403);
    expect((await call(`/api/media?t=${await mintMediaToken(signingKey(), "gallery", { key, owner }, Date.now() - 2 * 3600_000)}`)).status).toBe(403);
    const forged = await mintMediaToken(new TextEncoder().encode("someone-else-secret-someone-else-secret"), "gallery", { key, owner }, Date.now());
    expect((await call(`/api/media?t=${forged}`)).status).toBe(403);
  });

  it("another studio can neither list nor open them: its key gets 404, and a token naming it as owner of A's variant is 404", async () => {
    const a = await studioWithPhoto();
    const b = await studioWithPhoto();
    const res = await api("GET", `/api/collections/${a.col.id}/files`, b.s);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("~thumb");
    for (const kind of ["thumb", "web"]) {
      const crossed = await mintMediaToken(signingKey(), "gallery", { key: `${a.file.storageKey}~${kind}.jpg`, owner: { kind: "studio", id: b.s.studioId } }, Date.now());
      const r = await call(`/api/media?t=${crossed}`);
      expect(r.status).toBe(404);
      expect(r.headers.get("content-type")).not.toBe("image/jpeg");
    }
    // B's own variants still open: isolation is not a blanket refusal.
    expect((await fetchUrl(b.file.thumbnailUrl!)).status).toBe(200);
  });

  it("a variant key no file row records opens nothing, even inside the studio's own prefix", async () => {
    const s = await registerStudio();
    const col = await createCollection(s);
    await proxyUpload(s, col.id, new File([new Uint8Array(300).fill(9)], "broken.jpg", { type: "image/jpeg" }));
    const [file] = await listed(s, col.id);
    expect(file!.thumbnailUrl).toBeUndefined();
    // An object planted at the variant's key (as if left behind) is not served: the row does not record it.
    await env.FILES.put(`${file!.storageKey}~thumb.jpg`, jpeg(10, 10));
    const token = await mintMediaToken(signingKey(), "gallery", { key: `${file!.storageKey}~thumb.jpg`, owner: { kind: "studio", id: s.studioId } }, Date.now());
    expect((await call(`/api/media?t=${token}`)).status).toBe(404);
  });

  it("deleting the file closes its variant URLs and removes the variant objects", async () => {
    const { s, col, file } = await studioWithPhoto();
    expect((await fetchUrl(file.thumbnailUrl!)).status).toBe(200);
    expect((await api("DELETE", `/api/collections/${col.id}/files/${file.id}`, s)).status).toBe(204);
    expect((await fetchUrl(file.thumbnailUrl!)).status).toBe(404);
    expect((await fetchUrl(file.webUrl!)).status).toBe(404);
    expect(await env.FILES.head(`${file.storageKey}~thumb.jpg`)).toBeNull();
    expect(await env.FILES.head(`${file.storageKey}~web.jpg`)).toBeNull();
  });

  it("deleting the collection removes the variant objects too", async () => {
    const { s, col, file } = await studioWithPhoto();
    expect((await api("DELETE", `/api/collections/${col.id}`, s)).status).toBe(204);
    expect(await env.FILES.head(`${file.storageKey}~thumb.jpg`)).toBeNull();
    expect(await env.FILES.head(`${file.storageKey}~web.jpg`)).toBeNull();
    expect(await env.FILES.head(file.storageKey)).toBeNull();
  });
});

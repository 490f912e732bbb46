import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fetchUrl, registerStudio } from "../factories";
import { createCollection, proxyUpload, uploadFile } from "../gallery/helpers";
import { decode, fetchImage, jpeg, listed, pngHalfTransparent } from "./helpers";

describe("image variants at upload completion", () => {
  it("a proxied 3000x2000 JPEG gets a 400 px JPEG thumbnail and a 2048 px web size, listed with signed URLs", async () => {
    const s = await registerStudio();
    const col = await createCollection(s);
    const res = await proxyUpload(s, col.id, new File([jpeg(3000, 2000)], "wide.jpg", { type: "image/jpeg" }));
    expect(res.status).toBe(201);
    const [file] = await listed(s, col.id);
    expect(file!.thumbnailUrl).toMatch(/^http:\/\/localhost\/api\/media\?t=/);
    expect(file!.webUrl).toMatch(/^http:\/\/localhost\/api\/media\?t=/);

    const thumb = await fetchImage(file!.thumbnailUrl!);
    expect(thumb).toMatchObject({ type: "jpg", width: 400, height: 267, contentType: "image/jpeg" });
    const web = await fetchImage(file!.webUrl!);
    expect(web).toMatchObject({ type: "jpg", width: 2048, height: 1365, contentType: "image/jpeg" });
    // The pixels are the picture's: the gradient's corners survive the resize.
    const [r0, g0] = thumb.pixel(2, 2);
    const [r1, g1] = thumb.pixel(397, 264);
    expect(r0).toBeLessThan(30);
    expect(g0).toBeLessThan(30);
    expect(r1).toBeGreaterThan(220);
    expect(g1).toBeGreaterThan(220);

    // Stored in R2 next to the original, and the original is untouched.
    const original = await fetchUrl(file!.url);
    expect(decode(new Uint8Array(await original.arrayBuffer()))).toMatchObject({ width: 3000, height: 2000 });
    expect(await env.FILES.head(`${file!.storageKey}~thumb.jpg`)).not.toBeNull();
    expect(await env.FILES.head(`${file!.storageKey}~web.jpg`)).not.toBeNull();
  }, 60_000);

  it("a JPEG already within the web size is its own web size: webUrl serves the original bytes, only the thumbnail is new", async () => {
    const s = await registerStudio();
    const col = await createCollection(s);
    const original = jpeg(1200, 800);
    const up = await uploadFile(s, col.id, "small.jpg", original);
    const [file] = await listed(s, col.id);
    const web = await fetchUrl(file!.webUrl!);
    expect(web.status).toBe(200);
    expect(web.headers.get("content-type")).toBe("image/jpeg");
    expect(new Uint8Array(await web.arrayBuffer())).toEqual(original);
    expect(await fetchImage(file!.thumbnailUrl!)).toMatchObject({ type: "jpg", width: 400, height: 267 });
    expect(await env.FILES.head(`${up.storageKey}~web.jpg`)).toBeNull();
  });

  it("a presigned portrait PNG with transparency: thumbnail 267x400 on white, web size not upscaled", async () => {
    const s = await registerStudio();
    const col = await createCollection(s);
    await uploadFile(s, col.id, "tall.png", pngHalfTransparent(600, 900), "image/png");
    const [file] = await listed(s, col.id);
    const thumb = await fetchImage(file!.thumbnailUrl!);
    expect(thumb).toMatchObject({ type: "jpg", width: 267, height: 400 });
    for (const c of thumb.pixel(20, 200).slice(0, 3)) expect(c).toBeGreaterThan(245); // transparent half -> white
    const web = await fetchImage(file!.webUrl!);
    expect(web).toMatchObject({ type: "jpg", width: 600, height: 900 });
  });
});

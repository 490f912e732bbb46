import { env } from "cloudflare:workers";
import { PhotonImage, resize, SamplingFilter } from "@cf-wasm/photon";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db";
import { makeFileVariants } from "../../src/gallery/images";
import { fitLongEdge } from "../../src/platform/images/resize";
import { registerStudio } from "../factories";
import { createCollection, proxyUpload } from "../gallery/helpers";
import { fetchImage, jpeg, listed } from "./helpers";

/**
 * Cloudflare's Images binding is an outside service: this stand-in speaks its Workers API
 * (input(stream).transform({...}).output({...}) -> image()) and really resizes (with photon),
 * recording what it was asked for.
 */
function imagesStub(fail = false) {
  const calls: { transforms: ImageTransform[]; output: ImageOutputOptions }[] = [];
  const binding = {
    input(stream: ReadableStream<Uint8Array>) {
      const transforms: ImageTransform[] = [];
      const t = {
        transform(x: ImageTransform) {
          transforms.push(x);
          return t;
        },
        async output(output: ImageOutputOptions) {
          calls.push({ transforms, output });
          const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
          if (fail) throw Object.assign(new Error("IMAGES_TRANSFORM_ERROR 9412: Input is not an image"), { code: 9412 });
          let img = PhotonImage.new_from_byteslice(bytes);
          const size = fitLongEdge(img.get_width(), img.get_height(), transforms[0]!.width!);
          const next = resize(img, size.width, size.height, SamplingFilter.Triangle);
          img.free();
          img = next;
          const out = img.get_bytes_jpeg(output.quality ?? 85);
          img.free();
          return { image: () => new Blob([out]).stream(), contentType: () => "image/jpeg", response: () => new Response(out) };
        },
      };
      return t;
    },
  };
  return { binding: binding as unknown as ImagesBinding, calls };
}

async function junkUploadWithRealBytes(bytes: Uint8Array) {
  const s = await registerStudio();
  const col = await createCollection(s);
  // Uploaded as junk (no variants), then the object becomes a real photo for the binding to read.
  await proxyUpload(s, col.id, new File([new Uint8Array(64).fill(1)], "p.jpg", { type: "image/jpeg" }));
  const [file] = await listed(s, col.id);
  await env.FILES.put(file!.storageKey, bytes);
  return { s, col, row: { studioId: s.studioId, storageKey: file!.storageKey, contentType: "image/jpeg", sizeBytes: bytes.byteLength } };
}

describe("with the Images binding bound", () => {
  it("asks it for a 2048 px then a 400 px JPEG (scale-down, white background) and records both", async () => {
    const { s, col, row } = await junkUploadWithRealBytes(jpeg(2600, 1300));
    const { binding, calls } = imagesStub();
    expect(await makeFileVariants(getDb(env.DB), { FILES: env.FILES, IMAGES: binding }, row)).toBe(true);
    expect(calls.map((c) => c.transforms)).toEqual([[{ width: 2048, height: 2048, fit: "scale-down" }], [{ width: 400, height: 400, fit: "scale-down" }]]);
    expect(calls.every((c) => c.output.format === "image/jpeg" && c.output.background === "#ffffff")).toBe(true);
    const [file] = await listed(s, col.id);
    expect(await fetchImage(file!.thumbnailUrl!)).toMatchObject({ type: "jpg", width: 400, height: 200 });
    expect(await fetchImage(file!.webUrl!)).toMatchObject({ type: "jpg", width: 2048, height: 1024 });
  }, 60_000);

  it("an image the binding refuses keeps the generic icon", async () => {
    const { s, col, row } = await junkUploadWithRealBytes(jpeg(300, 200));
    const { binding } = imagesStub(true);
    expect(await makeFileVariants(getDb(env.DB), { FILES: env.FILES, IMAGES: binding }, row)).toBe(false);
    const [file] = await listed(s, col.id);
    expect(file!.thumbnailUrl).toBeUndefined();
  });
});

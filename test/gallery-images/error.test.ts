import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fetchUrl, registerStudio } from "../factories";
import { createCollection, proxyUpload, uploadFile } from "../gallery/helpers";
import { hugePngHeader, listed } from "./helpers";

async function upload(name: string, data: Uint8Array, type: string, via: "proxy" | "presign") {
  const s = await registerStudio();
  const col = await createCollection(s);
  if (via === "proxy") {
    const res = await proxyUpload(s, col.id, new File([data], name, { type }));
    expect(res.status).toBe(201);
  } else {
    await uploadFile(s, col.id, name, data, type);
  }
  const [file] = await listed(s, col.id);
  return file!;
}

async function expectNoVariants(file: Awaited<ReturnType<typeof upload>>, data: Uint8Array) {
  expect(file.thumbnailUrl).toBeUndefined();
  expect(file.webUrl).toBeUndefined();
  expect(await env.FILES.head(`${file.storageKey}~thumb.jpg`)).toBeNull();
  // The upload itself succeeded: the original is there, byte for byte.
  const res = await fetchUrl(file.url);
  expect(res.status).toBe(200);
  expect(new Uint8Array(await res.arrayBuffer())).toEqual(data);
}

describe("files that give no variants still upload", () => {
  it("an undecodable 'image/jpeg' (proxy and presign) keeps the generic icon", async () => {
    const junk = new TextEncoder().encode("this is not a jpeg at all, just text pretending to be one");
    await expectNoVariants(await upload("fake.jpg", junk, "image/jpeg", "proxy"), junk);
    await expectNoVariants(await upload("fake.jpg", junk, "image/jpeg", "presign"), junk);
  });

  it("a truncated JPEG keeps the generic icon", async () => {
    const { jpeg } = await import("./helpers");
    const cut = jpeg(300, 200).slice(0, 400);
    await expectNoVariants(await upload("cut.jpg", cut, "image/jpeg", "proxy"), cut);
  });

  it("a PNG declaring a 30000x30000 canvas is refused from its header, before any decoding", async () => {
    const bomb = hugePngHeader(30000, 30000);
    await expectNoVariants(await upload("bomb.png", bomb, "image/png", "presign"), bomb);
  });

  it("non-images get no variants and the grid shows a generic icon", async () => {
    const pdf = new TextEncoder().encode("%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF");
    await expectNoVariants(await upload("contract.pdf", pdf, "application/pdf", "proxy"), pdf);
  });
});

import { PhotonImage } from "@cf-wasm/photon";
import { imageSize } from "image-size";
import { encodeJpeg } from "../../src/platform/images/resize";
import { fetchUrl, type Studio } from "../factories";
import { listFiles } from "../gallery/helpers";

/** RGBA pixels of a `w` x `h` gradient (each pixel differs, so encoders cannot cheat). */
export function gradient(w: number, h: number, alpha: (x: number, y: number) => number = () => 255): Uint8Array {
  const px = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      px[i] = (x * 255) / w;
      px[i + 1] = (y * 255) / h;
      px[i + 2] = 128;
      px[i + 3] = alpha(x, y);
    }
  }
  return px;
}

export const jpeg = (w: number, h: number) => encodeJpeg(gradient(w, h), w, h, 85);

/** A PNG whose left half is fully transparent. */
export function pngHalfTransparent(w: number, h: number): Uint8Array {
  const img = new PhotonImage(gradient(w, h, (x) => (x < w / 2 ? 0 : 255)), w, h);
  try {
    return img.get_bytes();
  } finally {
    img.free();
  }
}

/** A PNG header that declares a `w` x `h` canvas, followed by junk (a decompression bomb's shape). */
export function hugePngHeader(w: number, h: number): Uint8Array {
  const b = new Uint8Array(64);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(b.buffer).setUint32(16, w);
  new DataView(b.buffer).setUint32(20, h);
  b.set([8, 6, 0, 0, 0], 24);
  return b;
}

export interface Decoded {
  type: string | undefined;
  width: number;
  height: number;
  /** RGBA of the pixel at (x, y). */
  pixel: (x: number, y: number) => number[];
}

/** Decodes image bytes for real (header and pixels). */
export function decode(bytes: Uint8Array): Decoded {
  const size = imageSize(bytes);
  const img = PhotonImage.new_from_byteslice(bytes);
  const w = img.get_width();
  const h = img.get_height();
  const px = img.get_raw_pixels();
  img.free();
  if (w !== size.width || h !== size.height) throw new Error("header and pixels disagree");
  return { type: size.type, width: w, height: h, pixel: (x, y) => [...px.slice((y * w + x) * 4, (y * w + x) * 4 + 4)] };
}

/** GETs a signed URL and decodes the image it serves. */
export async function fetchImage(url: string): Promise<Decoded & { contentType: string | null }> {
  const res = await fetchUrl(url);
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return { ...decode(new Uint8Array(await res.arrayBuffer())), contentType: res.headers.get("content-type") };
}

export type ListedFile = { id: string; url: string; name: string; storageKey: string; thumbnailUrl?: string; webUrl?: string };

export async function listed(s: Studio, collectionId: string): Promise<ListedFile[]> {
  return (await listFiles(s, collectionId)).files as ListedFile[];
}

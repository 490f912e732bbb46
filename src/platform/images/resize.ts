import { PhotonImage, resize, rotate, fliph, flipv, SamplingFilter } from "@cf-wasm/photon";
import { imageSize } from "image-size";

/**
 * Down-scaled JPEG copies of an image, for thumbnails and web sizes. Two engines:
 * - Cloudflare's Images binding (`IMAGES`, production): streams the original, no Worker memory
 *   limit concerns, honours EXIF orientation;
 * - otherwise @cf-wasm/photon (Rust `image` crate compiled to WASM, runs in workerd, so
 *   `npm run dev` and the tests make real images offline). It decodes into Worker memory, so
 *   it only takes originals up to WASM_MAX_BYTES / WASM_MAX_PIXELS (checked from the header
 *   with image-size before anything is decoded: a small file declaring a huge canvas is refused).
 * Anything that cannot be decoded gives null: the caller keeps its generic icon.
 */

export interface ResizeSpec {
  /** Long edge in pixels; smaller images are never upscaled. */
  longEdge: number;
  /** JPEG quality 1-100. */
  quality: number;
}

export interface ResizedImage {
  /** The JPEG; null when the original itself is that JPEG already (upright, within the size): serve it instead. */
  bytes: Uint8Array | null;
  width: number;
  height: number;
}

/** Content types worth trying; the bytes decide (a mislabelled file simply fails to decode). */
export const RESIZABLE_TYPES = new Set(["image/jpeg", "image/png", "image/gif", "image/webp", "image/avif", "image/heic", "image/heif", "image/bmp", "image/tiff"]);
/** Formats the WASM engine decodes (as image-size names them). */
const WASM_FORMATS = new Set(["jpg", "png", "gif", "webp", "bmp", "tiff"]);

export const WASM_MAX_BYTES = 40 * 1024 * 1024;
/** 24 MP: ~100 MB of RGBA while decoding; bigger originals need the Images binding. */
export const WASM_MAX_PIXELS = 24_000_000;
/** Cloudflare Images' input limit. */
export const BINDING_MAX_BYTES = 70 * 1024 * 1024;

/** The size a `w` x `h` image has with its long edge capped at `longEdge` (never upscaled). */
export function fitLongEdge(w: number, h: number, longEdge: number): { width: number; height: number } {
  const scale = Math.min(1, longEdge / Math.max(w, h));
  return { width: Math.max(1, Math.round(w * scale)), height: Math.max(1, Math.round(h * scale)) };
}

function headerOf(bytes: Uint8Array): { width: number; height: number; orientation: number; type: string } | null {
  try {
    const s = imageSize(bytes);
    if (!s.type || !s.width || !s.height) return null;
    return { width: s.width, height: s.height, orientation: s.orientation ?? 1, type: s.type };
  } catch {
    return null;
  }
}

/** Turns a decoded image upright per its EXIF orientation (1-8); returns the image to use. */
function upright(img: PhotonImage, orientation: number): PhotonImage {
  if (orientation === 2) fliph(img);
  if (orientation === 4) flipv(img);
  if (orientation === 3) return swap(img, rotate(img, 180));
  if (orientation === 5 || orientation === 6 || orientation === 7 || orientation === 8) {
    const turned = swap(img, rotate(img, orientation <= 6 ? 90 : 270));
    if (orientation === 5 || orientation === 7) fliph(turned);
    return turned;
  }
  return img;
}

function swap(old: PhotonImage, next: PhotonImage): PhotonImage {
  old.free();
  return next;
}

/** Opaque RGB on white: JPEG has no alpha, and transparent pixels would otherwise turn black. */
function flattenOnWhite(img: PhotonImage): PhotonImage {
  const px = img.get_raw_pixels();
  let opaque = true;
  for (let i = 3; i < px.length; i += 4) {
    const a = px[i]!;
    if (a === 255) continue;
    opaque = false;
    const f = a / 255;
    px[i - 3] = Math.round(px[i - 3]! * f + 255 * (1 - f));
    px[i - 2] = Math.round(px[i - 2]! * f + 255 * (1 - f));
    px[i - 1] = Math.round(px[i - 1]! * f + 255 * (1 - f));
    px[i] = 255;
  }
  return opaque ? img : swap(img, new PhotonImage(px, img.get_width(), img.get_height()));
}

/**
 * With the WASM engine: each spec's JPEG, in order, each made from the previous (larger) one,
 * so specs go from the largest to the smallest. An upright JPEG already within the first spec
 * is not re-encoded (bytes: null). Null when the bytes are no decodable image or exceed the
 * WASM limits.
 */
export function resizeWithWasm(bytes: Uint8Array, specs: ResizeSpec[]): ResizedImage[] | null {
  if (bytes.byteLength > WASM_MAX_BYTES) return null;
  const header = headerOf(bytes);
  if (!header || !WASM_FORMATS.has(header.type) || header.width * header.height > WASM_MAX_PIXELS) return null;
  let img: PhotonImage;
  try {
    img = PhotonImage.new_from_byteslice(bytes);
  } catch {
    return null;
  }
  try {
    const orientation = header.type === "jpg" ? header.orientation : 1;
    img = flattenOnWhite(upright(img, orientation));
    const out: ResizedImage[] = [];
    for (const spec of specs) {
      const size = fitLongEdge(img.get_width(), img.get_height(), spec.longEdge);
      const same = size.width === img.get_width() && size.height === img.get_height();
      if (same && !out.length && header.type === "jpg" && orientation <= 1) {
        out.push({ bytes: null, ...size });
        continue;
      }
      if (!same) {
        // Big reductions: a triangle (tent) filter averages every source pixel at a third of Lanczos3's cost; small ones stay sharp with Catmull-Rom.
        const filter = size.width < img.get_width() / 2 ? SamplingFilter.Triangle : SamplingFilter.CatmullRom;
        img = swap(img, resize(img, size.width, size.height, filter));
      }
      out.push({ bytes: img.get_bytes_jpeg(spec.quality), ...size });
    }
    return out;
  } catch {
    return null;
  } finally {
    img.free();
  }
}

async function bindingJpeg(images: ImagesBinding, input: ReadableStream<Uint8Array>, spec: ResizeSpec): Promise<Uint8Array> {
  const result = await images
    .input(input)
    .transform({ width: spec.longEdge, height: spec.longEdge, fit: "scale-down" })
    .output({ format: "image/jpeg", quality: spec.quality, background: "#ffffff" });
  return new Uint8Array(await new Response(result.image()).arrayBuffer());
}

/**
 * With Cloudflare's Images binding: the first spec from the original's stream, each further
 * one from the previous result. Null when the binding says it is not an image it can read.
 */
export async function resizeWithBinding(images: ImagesBinding, original: () => Promise<ReadableStream<Uint8Array> | null>, specs: ResizeSpec[]): Promise<ResizedImage[] | null> {
  try {
    const out: ResizedImage[] = [];
    for (const spec of specs) {
      const prev = out[out.length - 1]?.bytes;
      const input = prev ? new Blob([prev]).stream() : await original();
      if (!input) return null;
      const bytes = await bindingJpeg(images, input, spec);
      const header = headerOf(bytes);
      if (!header) return null;
      out.push({ bytes, width: header.width, height: header.height });
    }
    return out;
  } catch {
    return null;
  }
}

/** A JPEG of raw RGBA pixels (demo data, tests). */
export function encodeJpeg(rgba: Uint8Array, width: number, height: number, quality = 85): Uint8Array {
  const img = new PhotonImage(rgba, width, height);
  try {
    return img.get_bytes_jpeg(quality);
  } finally {
    img.free();
  }
}

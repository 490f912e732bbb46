import type { Db } from "../db";
import { encodeJpeg } from "../platform/images/resize";
import type { ImageEnv } from "./images";
import { createCollection, getStudio, proxyUpload } from "./service";

/**
 * Local demo data only (`npm run dev`): two Client Gallery collections of a dozen generated
 * photos each (pixels drawn here, JPEG-encoded with the WASM engine: no network), uploaded
 * through the real proxy-upload path so they count against the quota and get their thumbnail
 * and web size like any upload.
 */

export const DEMO_PHOTOS_PER_COLLECTION = 12;
const W = 900;
const H = 600;

type Rgb = [number, number, number];

function hsl(h: number, s: number, l: number): Rgb {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [f(0) * 255, f(8) * 255, f(4) * 255];
}

/** `out` = a + (b - a) * t, without allocating (the generator runs per pixel). */
function mixInto(out: Rgb, a: Rgb, b: Rgb, t: number): Rgb {
  out[0] = a[0] + (b[0] - a[0]) * t;
  out[1] = a[1] + (b[1] - a[1]) * t;
  out[2] = a[2] + (b[2] - a[2]) * t;
  return out;
}

/** A landscape (sky, sun, two ranges of hills, a lake) whose light and colours vary with `seed`. */
export function demoPhoto(seed: number, warm: boolean, width = W, height = H): Uint8Array {
  const hue = (warm ? 10 : 190) + ((seed * 37) % 60);
  const skyTop = hsl(hue + 20, 0.55, 0.35 + (seed % 3) * 0.08);
  const skyLow = hsl(hue - 10, 0.75, 0.78);
  const far = hsl(hue + 150, 0.25, 0.42);
  const near = hsl(hue + 110, 0.45, 0.24 + (seed % 4) * 0.03);
  const sun = hsl(warm ? 45 : 55, 0.95, 0.85);
  const sunX = width * (0.2 + ((seed * 0.137) % 0.6));
  const sunY = height * (0.18 + (seed % 5) * 0.05);
  const sunR = height * 0.07;
  const lake = height * 0.8;
  // Per column: where the two ranges of hills start (the sines run once per column, not per pixel).
  const farY = new Float64Array(width);
  const nearY = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    farY[x] = height * (0.55 + 0.08 * Math.sin(x / (width / (3 + (seed % 3))) + seed));
    nearY[x] = height * (0.68 + 0.06 * Math.sin(x / (width / (2 + (seed % 4))) + seed * 2.1) + 0.02 * Math.sin(x / 23 + seed));
  }
  const water = hsl(hue + 180, 0.4, 0.3);
  const px = new Uint8Array(width * height * 4);
  const put = (i: number, c: Rgb, under: boolean) => {
    // Water: 35 % of its own colour over the mirrored scene.
    px[i] = under ? c[0] * 0.65 + water[0] * 0.35 : c[0];
    px[i + 1] = under ? c[1] * 0.65 + water[1] * 0.35 : c[1];
    px[i + 2] = under ? c[2] * 0.65 + water[2] * 0.35 : c[2];
    px[i + 3] = 255;
  };
  const skyPx: Rgb = [0, 0, 0];
  const tmp: Rgb = [0, 0, 0];
  for (let y = 0; y < height; y++) {
    const under = y >= lake;
    const sy = under ? 2 * lake - y : y; // the lake mirrors what is above it
    for (let x = 0; x < width; x++) {
      const f = farY[x]!;
      const n = nearY[x]!;
      const i = (y * width + x) * 4;
      if (sy > n) put(i, near, under);
      else if (sy > f) put(i, mixInto(tmp, far, near, (sy - f) / Math.max(1, n - f) / 3), under);
      else {
        const base = mixInto(skyPx, skyTop, skyLow, sy / f);
        const dx = x - sunX;
        const dy = sy - sunY;
        const d2 = dx * dx + dy * dy;
        if (d2 >= sunR * sunR * 9) put(i, base, under);
        else {
          const d = Math.sqrt(d2);
          put(i, d < sunR ? sun : mixInto(tmp, sun, base, (d - sunR) / (sunR * 2)), under);
        }
      }
    }
  }
  return encodeJpeg(px, width, height, 84);
}

const COLLECTIONS = [
  { name: "Anna & Ben: wedding", clientName: "Anna Keller", date: "2026-06-13", prefix: "wedding", warm: true },
  { name: "Miller family: autumn portraits", clientName: "Sam Miller", date: "2026-10-04", prefix: "portrait", warm: false },
] as const;

/** Seeds the two demo collections; returns their ids (first: the open one, second: the one to protect). */
export async function seedGalleryDemo(db: Db, env: ImageEnv, profileId: string, now: number): Promise<string[]> {
  const studio = await getStudio(db, profileId);
  const ids: string[] = [];
  for (const [c, spec] of COLLECTIONS.entries()) {
    const col = await createCollection(db, studio.id, { name: spec.name, clientName: spec.clientName, date: spec.date }, now + c);
    for (let i = 1; i <= DEMO_PHOTOS_PER_COLLECTION; i++) {
      const bytes = demoPhoto(c * 100 + i, spec.warm);
      const fileName = `${spec.prefix}-${String(i).padStart(2, "0")}.jpg`;
      const file = new File([bytes], fileName, { type: "image/jpeg" });
      await proxyUpload(db, env, studio, { collectionId: col.id, fileName, contentType: "image/jpeg", sizeBytes: bytes.byteLength, file }, now + i);
    }
    ids.push(col.id);
  }
  return ids;
}

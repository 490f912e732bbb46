import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db";
import { demoPhoto, DEMO_PHOTOS_PER_COLLECTION, seedGalleryDemo } from "../../src/gallery/demo";
import { api, registerStudio } from "../factories";
import { decode, fetchImage, listed } from "./helpers";

describe("demo collections", () => {
  it("generated photos are real, distinct JPEGs", () => {
    const a = decode(demoPhoto(1, true, 120, 80));
    const b = decode(demoPhoto(2, true, 120, 80));
    expect(a).toMatchObject({ type: "jpg", width: 120, height: 80 });
    expect(a.pixel(5, 5)).not.toEqual(b.pixel(5, 5));
  });

  it("seeds two collections of a dozen photos each, with thumbnails and web sizes, through the real upload path", async () => {
    const s = await registerStudio();
    const ids = await seedGalleryDemo(getDb(env.DB), env, s.profileId, Date.now());
    expect(ids).toHaveLength(2);
    const cols = (await (await api("GET", "/api/collections", s)).json()) as { id: string; name: string; fileCount: number; totalBytes: number }[];
    expect(cols.map((c) => c.fileCount)).toEqual([DEMO_PHOTOS_PER_COLLECTION, DEMO_PHOTOS_PER_COLLECTION]);
    const storage = (await (await api("GET", "/api/studio/storage", s)).json()) as { usedBytes: number };
    expect(storage.usedBytes).toBe(cols[0]!.totalBytes + cols[1]!.totalBytes);
    for (const id of ids) {
      const files = await listed(s, id);
      expect(files).toHaveLength(DEMO_PHOTOS_PER_COLLECTION);
      expect(files.every((f) => f.thumbnailUrl && f.webUrl)).toBe(true);
    }
    const thumb = await fetchImage((await listed(s, ids[0]!))[0]!.thumbnailUrl!);
    expect(thumb).toMatchObject({ type: "jpg", width: 400, height: 267 });
  }, 60_000);
});

// The public gallery page /g/{slug} of a 200-image collection: time to first byte and bytes on
// the wire, each as a ratio to a bare route (/api/health: the Worker's floor) and to the same
// page for an empty gallery, plus wrk throughput.
import { gzipSync } from "node:zlib";
import { must, registerBench } from "./accounts.mjs";

const IMAGES = 200;
const SAMPLES = 40;

/** Median time to the response headers (first byte) and the body size, over SAMPLES sequential GETs. */
async function ttfb(ctx, path) {
  const times = [];
  let bytes = 0;
  let body = "";
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = performance.now();
    const res = await ctx.fetch(path);
    times.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    body = await res.text();
    bytes = Buffer.byteLength(body);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(SAMPLES / 2)], bytes, gzip: gzipSync(body).length, body };
}

export default async function (ctx) {
  const reg = await registerBench(ctx, "studio", { displayName: "Bench Studio" });
  const key = reg.apiKey;
  const post = (path, body) => ctx.fetch(path, { method: "POST", headers: { "content-type": "application/json", "x-api-key": key }, body: JSON.stringify(body) });
  const big = await must(await post("/api/collections", { name: "Bench 200", date: "2026-06-13" }), 201, "collection");
  const empty = await must(await post("/api/collections", { name: "Bench empty" }), 201, "collection");

  // 200 image rows with a thumbnail and a web size each (rows only: the page never reads bytes).
  const dbs = await (await ctx.fetch("/cdn-cgi/local/explorer/api/d1/database")).json();
  const dbId = dbs.result?.find((d) => d.name === "DB")?.uuid;
  if (!dbId) throw new Error("local D1 explorer API not available");
  const seed = await ctx.fetch(`/cdn-cgi/local/explorer/api/d1/database/${dbId}/raw`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      sql: `INSERT INTO files (id, studio_id, collection_id, storage_key, name, content_type, size_bytes, client_name, folder_path, created_at, thumb_key, web_key)
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${IMAGES - 1})
        SELECT 'gf_' || ?2 || '_' || printf('%05d', i), ?1, ?2, 'gallery/' || ?1 || '/' || ?2 || '/gf_b' || i || '/IMG_' || i || '.jpg', 'IMG_' || printf('%04d', i) || '.jpg',
          'image/jpeg', 4000000, '', CASE WHEN i < 120 THEN 'Ceremony' ELSE 'Reception' END, CAST(?3 AS INTEGER) + i,
          'gallery/' || ?1 || '/' || ?2 || '/gf_b' || i || '/IMG_' || i || '.jpg~thumb.jpg', 'gallery/' || ?1 || '/' || ?2 || '/gf_b' || i || '/IMG_' || i || '.jpg~web.jpg' FROM n`,
      params: [reg.studioId, big.id, String(Date.now())],
    }),
  });
  if (!seed.ok) throw new Error(`seed: ${seed.status} ${await seed.text()}`);
  const bigLink = await must(await post(`/api/collections/${big.id}/share`, {}), 200, "share");
  const emptyLink = await must(await post(`/api/collections/${empty.id}/share`, {}), 200, "share");
  const bigPath = new URL(bigLink.url).pathname;
  const emptyPath = new URL(emptyLink.url).pathname;

  const bare = await ttfb(ctx, "/api/health");
  const none = await ttfb(ctx, emptyPath);
  const page = await ttfb(ctx, bigPath);
  const thumbs = (page.body.match(/<img [^>]*loading="lazy"/g) ?? []).length;
  if (thumbs !== IMAGES) throw new Error(`expected ${IMAGES} lazy thumbnails, got ${thumbs}`);

  ctx.report("bare route /api/health: TTFB p50", bare.p50, "ms");
  ctx.report("empty gallery page: TTFB p50", none.p50, "ms");
  ctx.report(`gallery page, ${IMAGES} images: TTFB p50`, page.p50, "ms");
  ctx.report("TTFB ratio to the bare route", page.p50 / bare.p50, "x");
  ctx.report("TTFB ratio to the empty gallery page", page.p50 / none.p50, "x");
  ctx.report(`gallery page, ${IMAGES} images: HTML bytes`, page.bytes / 1024, "KiB");
  ctx.report(`gallery page, ${IMAGES} images: HTML gzip (on the wire)`, page.gzip / 1024, "KiB");
  ctx.report("bytes per image (gzip)", (page.gzip - none.gzip) / IMAGES, "B");
  ctx.report("bytes ratio to the bare route (gzip)", page.gzip / bare.gzip, "x");
  ctx.report("bytes ratio to the empty gallery page (gzip)", page.gzip / none.gzip, "x");
  const w = ctx.wrk({ name: `GET /g/{slug} (${IMAGES} images)`, path: bigPath, seconds: 6, connections: 4 });
  if (w.non2xx) throw new Error(`${w.non2xx} non-2xx responses`);
  const h = ctx.wrk({ name: "GET /api/health (bare route)", path: "/api/health", seconds: 4, connections: 4 });
  ctx.report("throughput ratio (gallery page / bare route)", w.rps / h.rps, "x");
}

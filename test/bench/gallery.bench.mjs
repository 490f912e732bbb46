// Client Gallery uploads: 100 x 1 MiB through presign + PUT + complete vs the proxy route
// (throughput, latency and workerd CPU per upload), then the first page of a 5,000-file collection.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { must, registerBench } from "./accounts.mjs";

const MiB = 1024 * 1024;
const UPLOADS = 100;
const CONCURRENCY = 8;
const BIG_COLLECTION = 5000;

/** The workerd process serving `baseUrl` (its listening socket), or null when it cannot be found. */
function serverPid(baseUrl) {
  const port = new URL(baseUrl).port;
  try {
    const out = execFileSync("ss", ["-ltnpH", `sport = :${port}`], { encoding: "utf8" });
    return Number(/pid=(\d+)/.exec(out)?.[1]) || null;
  } catch {
    return null;
  }
}

/** utime + stime of a process in ms (Linux /proc; clock ticks are 100 Hz). */
function cpuMs(pid) {
  if (!pid) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function pool(n, concurrency, task) {
  const latencies = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const t0 = performance.now();
      await task(i);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  latencies.sort((a, b) => a - b);
  return { p50: latencies[Math.floor(n * 0.5)], p99: latencies[Math.min(n - 1, Math.floor(n * 0.99))] };
}

export default async function (ctx) {
  const reg = await registerBench(ctx, "studio", { displayName: "Bench Studio" });
  const key = reg.apiKey;
  const json = (path, body) => ctx.fetch(path, { method: "POST", headers: { "content-type": "application/json", "x-api-key": key }, body: JSON.stringify(body) });
  const collection = async (name) => must(await json("/api/collections", { name }), 201, "collection");
  const pid = serverPid(ctx.baseUrl);
  const payload = new Uint8Array(MiB).map((_, i) => (i * 31) & 0xff);

  // Direct: the bytes go to the storage endpoint (R2 in production; the Worker's local S3 endpoint here).
  const direct = await collection("bench direct");
  let cpu0 = cpuMs(pid);
  let t0 = performance.now();
  const directLat = await pool(UPLOADS, CONCURRENCY, async (i) => {
    const p = await must(await json("/api/upload/presign", { collectionId: direct.id, fileName: `d${i}.jpg`, contentType: "image/jpeg", sizeBytes: MiB }), 200, "presign");
    const put = await fetch(p.uploadUrl, { method: "PUT", headers: p.headers, body: payload });
    if (put.status !== 200) throw new Error(`PUT ${put.status}`);
    await put.arrayBuffer();
    await must(await json("/api/upload/complete", { storageKey: p.storageKey }), 201, "complete");
  });
  const directSec = (performance.now() - t0) / 1000;
  const directCpu = (cpuMs(pid) - cpu0) / UPLOADS;

  // What the Worker pays for a direct upload in production, where the PUT goes to R2: presign and
  // complete only (the local PUT endpoint's CPU is left out by timing the phases separately).
  const phases = await collection("bench phases");
  cpu0 = cpuMs(pid);
  const signed = await Promise.all(
    Array.from({ length: UPLOADS }, async (_, i) =>
      must(await json("/api/upload/presign", { collectionId: phases.id, fileName: `q${i}.jpg`, contentType: "image/jpeg", sizeBytes: MiB }), 200, "presign"),
    ),
  );
  let apiCpu = cpuMs(pid) - cpu0;
  await pool(UPLOADS, CONCURRENCY, async (i) => {
    const put = await fetch(signed[i].uploadUrl, { method: "PUT", headers: signed[i].headers, body: payload });
    if (put.status !== 200) throw new Error(`PUT ${put.status}`);
    await put.arrayBuffer();
  });
  cpu0 = cpuMs(pid);
  await pool(UPLOADS, CONCURRENCY, async (i) => must(await json("/api/upload/complete", { storageKey: signed[i].storageKey }), 201, "complete"));
  apiCpu = (apiCpu + cpuMs(pid) - cpu0) / UPLOADS;

  // Proxy: the Worker parses the multipart body and writes to R2 itself.
  const proxied = await collection("bench proxy");
  cpu0 = cpuMs(pid);
  t0 = performance.now();
  const proxyLat = await pool(UPLOADS, CONCURRENCY, async (i) => {
    const form = new FormData();
    form.append("collectionId", proxied.id);
    form.append("file", new File([payload], `p${i}.jpg`, { type: "image/jpeg" }));
    await must(await ctx.fetch("/api/upload", { method: "POST", headers: { "x-api-key": key }, body: form }), 201, "proxy upload");
  });
  const proxySec = (performance.now() - t0) / 1000;
  const proxyCpu = (cpuMs(pid) - cpu0) / UPLOADS;

  ctx.report("direct: 100 x 1 MiB presign+PUT+complete", UPLOADS / directSec, "uploads/s");
  ctx.report("direct: throughput", (UPLOADS * MiB) / MiB / directSec, "MiB/s");
  ctx.report("direct: upload latency p50 / p99", `${directLat.p50.toFixed(0)} / ${directLat.p99.toFixed(0)}`, "ms");
  ctx.report("direct: workerd CPU per upload (local PUT incl.)", directCpu, "ms");
  ctx.report("direct: workerd CPU, presign + complete only", apiCpu, "ms");
  ctx.report("proxy:  100 x 1 MiB POST /api/upload", UPLOADS / proxySec, "uploads/s");
  ctx.report("proxy:  throughput", (UPLOADS * MiB) / MiB / proxySec, "MiB/s");
  ctx.report("proxy:  upload latency p50 / p99", `${proxyLat.p50.toFixed(0)} / ${proxyLat.p99.toFixed(0)}`, "ms");
  ctx.report("proxy:  workerd CPU per upload", proxyCpu, "ms");
  ctx.report("direct / proxy throughput", proxySec / directSec, "x");

  // A 5,000-file collection. Rows only (listing never reads the bytes), written through the dev
  // server's local D1 explorer API in one statement: 5,000 uploads would take minutes here.
  const big = await collection("bench 5000");
  t0 = performance.now();
  const dbs = await (await ctx.fetch("/cdn-cgi/local/explorer/api/d1/database")).json();
  const dbId = dbs.result?.find((d) => d.name === "DB")?.uuid;
  if (!dbId) throw new Error("local D1 explorer API not available");
  const seed = await ctx.fetch(`/cdn-cgi/local/explorer/api/d1/database/${dbId}/raw`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      sql: `INSERT INTO files (id, studio_id, collection_id, storage_key, name, content_type, size_bytes, client_name, folder_path, created_at)
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${BIG_COLLECTION - 1})
        SELECT 'gf_' || ?2 || '_' || printf('%05d', i), ?1, ?2, 'gallery/' || ?1 || '/' || ?2 || '/gf_bench' || i || '/f.jpg', 'f' || i || '.jpg', 'image/jpeg', 2, '', '', CAST(?3 AS INTEGER) + i FROM n`,
      params: [reg.studioId, big.id, String(Date.now())],
    }),
  });
  if (!seed.ok) throw new Error(`seed: ${seed.status} ${await seed.text()}`);
  ctx.report("seeded 5,000 file rows in", (performance.now() - t0) / 1000, "s");
  const first = await must(await ctx.fetch(`/api/collections/${big.id}/files`, { headers: { "x-api-key": key } }), 200, "files");
  if (first.files.length !== 100 || !first.nextCursor) throw new Error("first page is not 100 files with a cursor");
  const stats = await must(await ctx.fetch(`/api/collections/${big.id}`, { headers: { "x-api-key": key } }), 200, "collection");
  if (stats.fileCount !== BIG_COLLECTION) throw new Error(`expected ${BIG_COLLECTION} files, got ${stats.fileCount}`);
  const page = ctx.wrk({ name: "GET files, first page of 5,000 (100 signed)", path: `/api/collections/${big.id}/files`, headers: { "x-api-key": key }, seconds: 6, connections: 4 });
  if (page.non2xx) throw new Error(`${page.non2xx} non-2xx responses`);
  const list = ctx.wrk({ name: "GET /api/collections (fileCount of 5,000)", path: "/api/collections", headers: { "x-api-key": key }, seconds: 4, connections: 4 });
  if (list.non2xx) throw new Error(`${list.non2xx} non-2xx responses`);
}

// tus uploads (issue 14): throughput of a 40 MiB file through /api/v1/uploads, in one PATCH and
// in 8 MiB chunks, as a ratio to a single presigned PUT of the same bytes (presign + PUT +
// complete; the local S3 endpoint of the dev server stands in for R2). Target: >= 0.8.
const MiB = 1024 * 1024;
const SIZE = 40 * MiB;
const RUNS = 3;

async function must(res, status, what) {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return res.status === 204 || res.status === 201 ? res : res.json();
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export default async function (ctx) {
  const email = `bench-tus-${Date.now()}@example.com`;
  const reg = await (
    await must(
      await ctx.fetch("/api/register", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password: "bench password 1", displayName: "Bench tus", accountType: "studio" }),
      }),
      201,
      "register",
    )
  ).json();
  const key = reg.apiKey;
  const payload = new Uint8Array(SIZE);
  for (let i = 0; i < SIZE; i++) payload[i] = (i * 131 + (i >> 12)) & 0xff;
  const json = (path, body) => ctx.fetch(path, { method: "POST", headers: { "content-type": "application/json", "x-api-key": key }, body: JSON.stringify(body) });
  const collection = await must(await json("/api/collections", { name: "bench tus" }), 201, "collection").then((r) => r.json());

  async function presigned(i) {
    const t0 = performance.now();
    const p = await must(await json("/api/upload/presign", { collectionId: collection.id, fileName: `p${i}.bin`, contentType: "application/octet-stream", sizeBytes: SIZE }), 200, "presign");
    const put = await fetch(p.uploadUrl, { method: "PUT", headers: p.headers, body: payload });
    if (put.status !== 200) throw new Error(`PUT ${put.status}`);
    await put.arrayBuffer();
    await must(await json("/api/upload/complete", { storageKey: p.storageKey }), 201, "complete");
    return (performance.now() - t0) / 1000;
  }

  async function tus(chunk) {
    const t0 = performance.now();
    const tusHeaders = { "Tus-Resumable": "1.0.0", "x-api-key": key };
    const created = await must(await ctx.fetch("/api/v1/uploads", { method: "POST", headers: { ...tusHeaders, "Upload-Length": String(SIZE), "Upload-Metadata": "filename YmVuY2guYmlu" } }), 201, "create");
    const url = created.headers.get("location");
    for (let off = 0; off < SIZE; off += chunk) {
      const res = await fetch(url, {
        method: "PATCH",
        headers: { ...tusHeaders, "content-type": "application/offset+octet-stream", "Upload-Offset": String(off) },
        body: payload.subarray(off, Math.min(off + chunk, SIZE)),
      });
      if (res.status !== 204) throw new Error(`PATCH ${res.status} ${await res.text()}`);
    }
    const seconds = (performance.now() - t0) / 1000;
    await fetch(url, { method: "DELETE", headers: tusHeaders });
    return seconds;
  }

  const put = [];
  const one = [];
  const chunked = [];
  for (let i = 0; i < RUNS; i++) {
    put.push(await presigned(i));
    one.push(await tus(SIZE));
    chunked.push(await tus(8 * MiB));
  }
  const mibs = (s) => SIZE / MiB / s;
  ctx.report("presigned PUT: 40 MiB (presign+PUT+complete)", mibs(median(put)), "MiB/s");
  ctx.report("tus: 40 MiB in one PATCH", mibs(median(one)), "MiB/s");
  ctx.report("tus: 40 MiB in 8 MiB PATCHes", mibs(median(chunked)), "MiB/s");
  ctx.report("tus (one PATCH) / presigned PUT", median(put) / median(one), "x (target >= 0.8)");
  ctx.report("tus (8 MiB PATCHes) / presigned PUT", median(put) / median(chunked), "x (target >= 0.8)");
}

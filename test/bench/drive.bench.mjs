// Drive: the first page of a 10,000-file folder (keyset pagination, one index range scan) and
// moving a folder with 1,000 descendants to the Recycle Bin and back (two recursive-CTE batches).
// The big folders are written straight into the dev server's local D1 with `wrangler d1 execute`
// (10,000 uploads through the API would take minutes); everything measured goes through HTTP.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../e2e/server.mjs";
import { registerBench } from "./accounts.mjs";

/** The --persist-to folder of the wrangler dev process serving `baseUrl`. */
function persistDirOf(baseUrl) {
  const port = new URL(baseUrl).port;
  const lines = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" }).split("\n");
  const line = lines.find((l) => l.includes(" dev ") && l.includes(`--port ${port}`) && l.includes("--persist-to"));
  const dir = line && /--persist-to\s+(\S+)/.exec(line)?.[1];
  if (!dir) throw new Error(`no wrangler dev process with --persist-to found for port ${port}`);
  return dir;
}

function d1Execute(state, sqlText) {
  const dir = mkdtempSync(join(tmpdir(), "gellhub-drive-bench-"));
  const file = join(dir, "seed.sql");
  writeFileSync(file, sqlText);
  try {
    const res = spawnSync(process.execPath, [join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js"), "d1", "execute", "DB", "--local", "--persist-to", state, "--file", file], {
      cwd: ROOT,
      env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
      encoding: "utf8",
    });
    if (res.status !== 0) throw new Error(`d1 execute failed: ${res.stdout}\n${res.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const q = (s) => `'${String(s).replace(/'/g, "''")}'`;
function inserts(table, rows) {
  const out = [];
  for (let i = 0; i < rows.length; i += 400) out.push(`INSERT INTO ${table} VALUES ${rows.slice(i, i + 400).join(",")};`);
  return out.join("\n");
}
const fileRow = (driveId, id, folderId, name) => `(${q(id)},${q(driveId)},${q(folderId)},${q(name)},${q(name.toLowerCase())},'text/plain',1,${q(`drive/${driveId}/${id}/f.txt`)},NULL,NULL,1,1)`;
const folderRow = (driveId, id, parentId, name) => `(${q(id)},${q(driveId)},${q(parentId)},${q(name)},${q(name.toLowerCase())},NULL,NULL,NULL,1,1)`;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export default async function (ctx) {
  const { driveApiKey: key, driveId } = await registerBench(ctx, "drive");
  const headers = { "x-api-key": key, "content-type": "application/json" };
  const mkdir = async (name) => {
    const res = await ctx.fetch("/api/drive", { method: "POST", headers, body: JSON.stringify({ name }) });
    if (res.status !== 201) throw new Error(`mkdir: ${res.status}`);
    return (await res.json()).id;
  };
  const huge = await mkdir("10k files");
  const tree = await mkdir("1k descendants");

  const rows = [];
  for (let i = 0; i < 10_000; i++) rows.push(fileRow(driveId, `df_b10k${String(i).padStart(6, "0")}`, huge, `photo-${String(i).padStart(5, "0")}.jpg`));
  // 100 subfolders x (1 folder + 9 files) = 1,000 descendants.
  const folders = [];
  const treeFiles = [];
  for (let d = 0; d < 100; d++) {
    const fid = `fld_b1k${String(d).padStart(4, "0")}`;
    folders.push(folderRow(driveId, fid, tree, `sub ${d}`));
    for (let f = 0; f < 9; f++) treeFiles.push(fileRow(driveId, `df_b1k${d}_${f}`, fid, `file ${f}.txt`));
  }
  const t0 = Date.now();
  d1Execute(persistDirOf(ctx.baseUrl), [inserts("drive_files", rows), inserts("drive_folders", folders), inserts("drive_files", treeFiles)].join("\n"));
  ctx.report("seed 11,000 rows (wrangler d1 execute)", (Date.now() - t0) / 1000, "s");

  const first = await ctx.fetch(`/api/drive?parentId=${huge}`, { headers });
  const page = await first.json();
  if (page.files?.length !== 100 || !page.nextCursor) throw new Error(`unexpected first page: ${first.status}`);

  const bare = await ctx.wrk({ name: "GET /api/health (bare)", path: "/api/health", seconds: 6 });
  const list = await ctx.wrk({ name: "GET /api/drive first page of 10,000 files", path: `/api/drive?parentId=${huge}`, headers: { "x-api-key": key }, seconds: 10 });
  const deep = await ctx.wrk({
    name: "GET /api/drive page after 5,000 files",
    path: `/api/drive?parentId=${huge}&cursor=${Buffer.from(JSON.stringify({ k: "f", n: "photo-05000.jpg", i: "df_b10k005000" })).toString("base64url")}`,
    headers: { "x-api-key": key },
    seconds: 6,
  });
  ctx.report("first page / bare throughput", list.rps / bare.rps, "x");
  ctx.report("page after 5,000 / first page p50", deep.p50ms / list.p50ms, "x");

  // wrk leaves the dev server's keep-alive sockets half closed: warm a fresh one before timing.
  for (let i = 0; ; i++) {
    try {
      await ctx.fetch("/api/health");
      break;
    } catch (err) {
      if (i === 5) throw err;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  const trashMs = [];
  const restoreMs = [];
  for (let i = 0; i < 15; i++) {
    let t = performance.now();
    const del = await ctx.fetch(`/api/drive/items/${tree}?type=folder`, { method: "DELETE", headers: { "x-api-key": key } });
    trashMs.push(performance.now() - t);
    if (del.status !== 204) throw new Error(`trash: ${del.status} ${await del.text()}`);
    t = performance.now();
    const res = await ctx.fetch("/api/drive/trash", { method: "POST", headers, body: JSON.stringify({ folderIds: [tree] }) });
    restoreMs.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`restore: ${res.status} ${await res.text()}`);
  }
  const check = await (await ctx.fetch(`/api/drive?parentId=${tree}&limit=500`, { headers })).json();
  if (check.folders.length !== 100) throw new Error(`tree not fully restored: ${check.folders.length} folders`);
  trashMs.sort((a, b) => a - b);
  restoreMs.sort((a, b) => a - b);
  ctx.report("DELETE folder with 1,000 descendants p50", percentile(trashMs, 50), "ms");
  ctx.report("DELETE folder with 1,000 descendants max", trashMs[trashMs.length - 1], "ms");
  ctx.report("restore it from the bin p50", percentile(restoreMs, 50), "ms");
  ctx.report("restore it from the bin max", restoreMs[restoreMs.length - 1], "ms");
}

// Benchmarks: starts the dev server (wrangler dev, local D1/R2) and runs every
// test/bench/*.bench.mjs (or the files given). Load comes from wrk (Debian), which leaves more of
// the two cores to the server than a Node load generator would.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT, startDevServer } from "../e2e/server.mjs";

function ensureWrk() {
  if (spawnSync("sh", ["-c", "command -v wrk"]).status === 0) return;
  console.log("wrk is missing: installing Debian's wrk package (apt-get)...");
  const sudo = process.getuid?.() === 0 ? "" : "sudo -n ";
  const res = spawnSync("sh", ["-c", `${sudo}apt-get update -qq && ${sudo}apt-get install -y -qq wrk`], { stdio: "inherit" });
  if (res.status !== 0) {
    console.error("Could not install wrk; install it with: apt-get install -y wrk");
    process.exit(1);
  }
}

const luaDir = mkdtempSync(join(tmpdir(), "gellhub-bench-"));
let luaSeq = 0;

function toMs(value, unit) {
  const n = Number(value);
  return unit === "us" ? n / 1000 : unit === "s" ? n * 1000 : unit === "m" ? n * 60_000 : n;
}

/** Runs wrk against one route and returns requests/s and p50/p99 latency in ms. */
function wrk(baseUrl, { name, path, method = "GET", headers = {}, body, seconds = 8, connections = 8 }) {
  const lua = join(luaDir, `req${++luaSeq}.lua`);
  const lines = [`wrk.method = ${JSON.stringify(method)}`];
  for (const [k, v] of Object.entries(headers)) lines.push(`wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`);
  if (body !== undefined) lines.push(`wrk.body = ${JSON.stringify(typeof body === "string" ? body : JSON.stringify(body))}`);
  writeFileSync(lua, lines.join("\n"));
  const res = spawnSync("wrk", ["-t1", `-c${connections}`, `-d${seconds}s`, "--latency", "-s", lua, baseUrl + path], { encoding: "utf8" });
  if (res.status !== 0) throw new Error(`wrk failed for ${name}: ${res.stderr}`);
  const out = res.stdout;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const pct = (p) => {
    const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m)`, "m").exec(out);
    return m ? toMs(m[1], m[2]) : NaN;
  };
  if (!(rps > 0)) throw new Error(`wrk got no responses for ${name}:\n${out}`);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const result = { name, rps, p50ms: pct(50), p99ms: pct(99), non2xx };
  console.log(
    `  ${name.padEnd(44)} ${rps.toFixed(0).padStart(7)} req/s   p50 ${result.p50ms.toFixed(2).padStart(7)} ms   p99 ${result.p99ms.toFixed(2).padStart(7)} ms${non2xx ? `   (${non2xx} non-2xx!)` : ""}`,
  );
  return result;
}

/**
 * fetch against the bench server. A keep-alive socket the dev server closed after a wrk run
 * fails once with "fetch failed"; such a network error (never an HTTP status) is retried.
 */
async function benchFetch(baseUrl, path, init) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(baseUrl + path, init);
    } catch (err) {
      if (attempt >= 3) throw err;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

function report(name, value, unit) {
  console.log(`  ${name.padEnd(44)} ${typeof value === "number" ? value.toFixed(2) : value} ${unit}`);
}

ensureWrk();
const dir = join(ROOT, "test", "bench");
const files = process.argv.slice(2).length
  ? process.argv.slice(2)
  : readdirSync(dir)
      .filter((f) => f.endsWith(".bench.mjs"))
      .sort()
      .map((f) => join(dir, f));

const server = await startDevServer();
let failed = false;
try {
  for (const file of files) {
    console.log(`\n${file.replace(ROOT + "/", "")}`);
    const mod = await import(pathToFileURL(file).href);
    try {
      await mod.default({ baseUrl: server.baseUrl, wrk: (o) => wrk(server.baseUrl, o), report, fetch: (p, init) => benchFetch(server.baseUrl, p, init) });
    } catch (err) {
      failed = true;
      console.error(`  FAILED: ${err.stack ?? err}`);
    }
  }
} finally {
  server.stop();
}
process.exit(failed ? 1 : 0);

// Starts the real dev server (wrangler dev: local D1/R2, demo data seeded) on a free port with
// a fresh state folder. Shared by the browser tests and the benchmarks.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
// Run wrangler's entry with this node (22, from the node@22 devDependency), not whatever `node` PATH finds.
const WRANGLER_JS = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function run(cmd, args, env) {
  const res = spawnSync(cmd, args, { cwd: ROOT, env, encoding: "utf8" });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${res.stdout}\n${res.stderr}`);
}

/**
 * Builds assets, applies migrations to a fresh local state and starts `wrangler dev`.
 * Resolves once the API answers; `stop()` ends the server and removes the state.
 */
export async function startDevServer({ vars = {}, quiet = true } = {}) {
  const env = {
    ...process.env,
    PATH: `${join(ROOT, "node_modules", ".bin")}:${process.env.PATH}`,
    CI: "true",
    WRANGLER_SEND_METRICS: "false",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    NO_COLOR: "1",
  };
  if (!existsSync(join(ROOT, "dist", "public"))) run(process.execPath, [join(ROOT, "src", "dev", "build-assets.mjs")], env);
  const state = mkdtempSync(join(tmpdir(), "gellhub-e2e-"));
  run(process.execPath, [WRANGLER_JS, "d1", "migrations", "apply", "DB", "--local", "--persist-to", state], env);
  const port = await freePort();
  const args = [WRANGLER_JS, "dev", "--port", String(port), "--ip", "127.0.0.1", "--persist-to", state, "--var", "DEMO_SEED:true", "--var", "LOCAL_DEV:true", "--show-interactive-dev-session=false"];
  for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let log = "";
  const keep = (d) => {
    log += d;
    if (!quiet) process.stderr.write(d);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = () => {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
    rmSync(state, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${log}`);
    try {
      const res = await fetch(`${baseUrl}/api/public/plans`);
      if (res.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      stop();
      throw new Error(`wrangler dev did not become ready:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { baseUrl, stop, log: () => log };
}

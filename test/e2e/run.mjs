// Browser tests: makes sure Debian's Chromium is installed, starts the dev server once,
// then runs every test/e2e/*.spec.mjs (or the files given) with node's test runner.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ROOT, startDevServer } from "./server.mjs";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  console.log("Chromium is missing: installing Debian's chromium package (apt-get)...");
  const sudo = process.getuid?.() === 0 ? [] : ["sudo", "-n"];
  const sh = (args) => spawnSync(sudo[0] ?? args[0], sudo.length ? [...sudo.slice(1), ...args] : args.slice(1), { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  sh(["apt-get", "update", "-qq"]);
  const res = sh(["apt-get", "install", "-y", "-qq", "chromium"]);
  if (res.status !== 0 || !existsSync(CHROMIUM)) {
    console.error("Could not install chromium; install it with: apt-get install -y chromium");
    process.exit(1);
  }
}

ensureChromium();
const dir = join(ROOT, "test", "e2e");
const files = process.argv.slice(2).length
  ? process.argv.slice(2)
  : readdirSync(dir)
      .filter((f) => f.endsWith(".spec.mjs"))
      .sort()
      .map((f) => join(dir, f));

const server = await startDevServer();
let status = 1;
try {
  const res = spawnSync(process.execPath, ["--test", "--test-concurrency=1", "--test-reporter=spec", ...files], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, E2E_BASE_URL: server.baseUrl, CHROMIUM_PATH: CHROMIUM },
  });
  status = res.status ?? 1;
} finally {
  server.stop();
}
process.exit(status);

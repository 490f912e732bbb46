// The package registry reachable here lacks workerd's macOS and Windows builds, so npm leaves
// them out of package-lock.json and `npm ci` then refuses the lock as out of sync. This records
// them as optional, platform-bound entries (never installed on Linux), like npm does elsewhere.
// Run after any `npm install` that rewrites the lock: node src/dev/lock-platforms.mjs
import { readFileSync, writeFileSync } from "node:fs";

const PLATFORM = {
  "darwin-64": { os: ["darwin"], cpu: ["x64"] },
  "darwin-arm64": { os: ["darwin"], cpu: ["arm64"] },
  "linux-64": { os: ["linux"], cpu: ["x64"] },
  "linux-arm64": { os: ["linux"], cpu: ["arm64"] },
  "windows-64": { os: ["win32"], cpu: ["x64"] },
};
const path = new URL("../../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(path, "utf8"));
let added = 0;
for (const [where, pkg] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const m = /^@cloudflare\/workerd-(.+)$/.exec(name);
    if (!m || !PLATFORM[m[1]]) continue;
    const base = where ? `${where}/node_modules/` : "node_modules/";
    // npm resolves a nested dependency from the closest node_modules up the tree.
    const candidates = [];
    for (let dir = base; ; ) {
      candidates.push(dir + name);
      const up = dir.lastIndexOf("/node_modules/", dir.length - "node_modules/".length - 2);
      if (up < 0) break;
      dir = dir.slice(0, up + "/node_modules/".length);
    }
    if (!candidates.includes(`node_modules/${name}`)) candidates.push(`node_modules/${name}`);
    if (candidates.some((c) => lock.packages[c]?.version === version)) continue;
    const target = candidates.find((c) => !lock.packages[c]) ?? base + name;
    // Keys in npm's own order, so a later `npm install` leaves the entry as it is.
    const { os, cpu } = PLATFORM[m[1]];
    lock.packages[target] = { version, cpu, dev: true, license: "Apache-2.0", optional: true, os };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))));
writeFileSync(path, JSON.stringify(lock, null, 2) + "\n");
console.log(`package-lock.json: ${added} platform entries recorded`);

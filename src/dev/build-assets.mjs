// Builds dist/public, the static assets the Worker serves (wrangler.toml [assets]):
// the API reference UI, copied from the installed package so /docs works offline, and the favicon.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const out = join(root, "dist", "public");

const scalarDir = join(root, "node_modules", "@scalar", "api-reference", "dist", "browser");
mkdirSync(join(out, "assets", "scalar"), { recursive: true });
copyFileSync(join(scalarDir, "standalone.js"), join(out, "assets", "scalar", "standalone.js"));
copyFileSync(join(root, "src", "ui", "favicon.svg"), join(out, "favicon.svg"));
console.log("assets built in dist/public");

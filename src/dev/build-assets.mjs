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

// The website chat widget: the merchant-page loader and the chat page's script (widget/).
const { buildSync } = await import("esbuild");
for (const [entry, name] of [["loader.ts", "gellhub-chat.js"], ["frame.ts", "chat-frame.js"]]) {
  buildSync({ entryPoints: [join(root, "widget", entry)], outfile: join(out, "embed", name), bundle: true, minify: true, format: "iife", target: "es2020" });
}
console.log("widget built in dist/public/embed");

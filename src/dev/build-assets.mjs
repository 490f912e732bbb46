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

// The website chat widget (widget/). The loader keeps the fixed URL of the guide's snippets, so it
// is cached briefly and revalidated by ETag; the chat frame's script is named by its content hash
// (the /chat page finds the name in manifest.json), so browsers keep it for a year.
const { buildSync } = await import("esbuild");
const { createHash } = await import("node:crypto");
const { readdirSync, rmSync, writeFileSync } = await import("node:fs");
const embedDir = join(out, "embed");
mkdirSync(embedDir, { recursive: true });
const bundle = (entry) =>
  buildSync({ entryPoints: [join(root, "widget", entry)], write: false, bundle: true, minify: true, format: "iife", target: "es2020", legalComments: "none" }).outputFiles[0].contents;
writeFileSync(join(embedDir, "gellhub-chat.js"), bundle("loader.ts"));
const frame = bundle("frame.ts");
const frameName = `chat-frame.${createHash("sha256").update(frame).digest("hex").slice(0, 16)}.js`;
writeFileSync(join(embedDir, frameName), frame);
// Older frame builds go (a running dev server keeps serving the current one: same content, same name).
for (const f of readdirSync(embedDir)) if (/^chat-frame\./.test(f) && f !== frameName) rmSync(join(embedDir, f));
writeFileSync(join(embedDir, "manifest.json"), JSON.stringify({ frameScript: `/embed/${frameName}` }));
// Workers static assets read the Cache-Control of these paths from _headers (they add the ETag).
writeFileSync(
  join(out, "_headers"),
  [
    "/embed/gellhub-chat.js",
    "  Cache-Control: public, max-age=300, stale-while-revalidate=86400",
    "/embed/chat-frame.*",
    "  Cache-Control: public, max-age=31536000, immutable",
    "/embed/manifest.json",
    "  Cache-Control: no-cache",
    "",
  ].join("\n"),
);
console.log(`widget built in dist/public/embed (${frameName})`);

// The v1 gallery page's resumable upload control: tus-js-client bundled for the browser.
mkdirSync(join(out, "assets", "tus"), { recursive: true });
writeFileSync(join(out, "assets", "tus", "large-upload.js"), bundle("large-upload.ts"));
console.log("large upload control built in dist/public/assets/tus");

// Website widget weight budget (issue 11): the loader script the merchant's page loads <= 3 KB
// gzipped, and everything the chat frame loads (the /chat/emb_… HTML with its inline CSS, plus
// every script, stylesheet and image it references) <= 12 KB gzipped, fetched from the server the
// way the browser gets them. Also the loader's latency as served from static assets.
import { gzipSync } from "node:zlib";
import { registerBench } from "./accounts.mjs";

const LOADER_BUDGET = 3 * 1024;
const FRAME_BUDGET = 12 * 1024;

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;

async function body(ctx, path) {
  const res = await ctx.fetch(path);
  if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/** A fresh Messaging account with its widget enabled for one site. */
async function enabledEmbed(ctx) {
  const { messagingApiKey: key } = await registerBench(ctx, "messaging", { displayName: "Bench shop" });
  const res = await ctx.fetch("/api/messaging/v1/embed", {
    method: "PUT",
    headers: { "content-type": "application/json", "x-api-key": key },
    body: JSON.stringify({ embedEnabled: true, embedAllowedOrigins: ["shop.example.com"] }),
  });
  if (res.status !== 200) throw new Error(`embed: ${res.status} ${await res.text()}`);
  return (await res.json()).embedPublicId;
}

export default async function (ctx) {
  const loader = await body(ctx, "/embed/gellhub-chat.js");
  const loaderGz = gz(loader);
  ctx.report("widget loader /embed/gellhub-chat.js (raw)", loader.length / 1024, "KB");
  ctx.report("widget loader gzipped (budget 3 KB)", loaderGz / 1024, "KB");

  const embedId = await enabledEmbed(ctx);
  const html = await body(ctx, `/chat/${embedId}?frame=1`);
  const refs = [...html.toString("utf8").matchAll(/<(?:script|img)\b[^>]*\ssrc="([^"]+)"|<link\b[^>]*\shref="([^"]+)"/g)]
    .map((m) => m[1] ?? m[2])
    .filter((u) => u && !u.startsWith("data:"));
  if (!refs.some((u) => /\/embed\/chat-frame\.[0-9a-f]{16}\.js$/.test(u))) throw new Error(`the chat page does not load the hashed frame script: ${refs}`);
  let frameGz = gz(html);
  ctx.report("chat frame HTML + inline CSS gzipped", frameGz / 1024, "KB");
  for (const ref of refs) {
    const bytes = await body(ctx, ref);
    frameGz += gz(bytes);
    ctx.report(`  + ${ref} gzipped`, gz(bytes) / 1024, "KB");
  }
  ctx.report("chat frame total gzipped (budget 12 KB)", frameGz / 1024, "KB");
  ctx.wrk({ name: "GET /embed/gellhub-chat.js (static asset)", path: "/embed/gellhub-chat.js", seconds: 5 });

  if (loaderGz > LOADER_BUDGET) throw new Error(`the loader is ${loaderGz} bytes gzipped, over its ${LOADER_BUDGET}-byte budget`);
  if (frameGz > FRAME_BUDGET) throw new Error(`the chat frame loads ${frameGz} bytes gzipped, over its ${FRAME_BUDGET}-byte budget`);
}

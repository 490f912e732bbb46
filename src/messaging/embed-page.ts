import { Hono } from "hono";
import { html } from "hono/html";
import { z } from "zod";
import type { AppEnv } from "../env";
import type { Env } from "../env";
import { isLocalDev } from "../platform/local";
import { allowedHostsOf, chatTitleOf, enabledEmbedByPublicId } from "./embed";
import { MAX_USER_MESSAGE_CHARS } from "./embed-public";

/** `GET /chat/emb_…`: the chat as a full page (ads, links) and as the widget's iframe. */
export const embedPageRoutes = new Hono<AppEnv>();

const Param = z.object({ embedId: z.string().regex(/^emb_[0-9A-Za-z]{1,64}$/) });
const Query = z.object({ frame: z.literal("1").optional() });

/** Only this server and the embed's allowed sites may frame the chat (https; http too in local dev). */
export function frameAncestors(hosts: string[], localDev: boolean): string {
  const sources = hosts.flatMap((h) => (localDev ? [`https://${h}`, `http://${h}:*`, `https://${h}:*`] : [`https://${h}`]));
  return ["'self'", ...sources].join(" ");
}

/**
 * The chat frame script's content-hashed path, from the manifest build-assets writes next to it
 * (read once per isolate: a deploy brings new assets and new isolates together).
 */
let frameScript: Promise<string> | undefined;
export function frameScriptPath(env: Pick<Env, "ASSETS">, base: string): Promise<string> {
  frameScript ??= env.ASSETS.fetch(new Request(new URL("/embed/manifest.json", base)))
    .then((r) => (r.ok ? (r.json() as Promise<{ frameScript: string }>) : Promise.reject(new Error(`embed manifest: ${r.status}`))))
    .then((m) => m.frameScript);
  return frameScript.catch((err: unknown) => {
    frameScript = undefined;
    throw err;
  });
}

const STYLE = `*{box-sizing:border-box}html,body{margin:0;height:100%;font:15px/1.4 system-ui,sans-serif;color:#1f2937}
#gellhub-chat{display:flex;flex-direction:column;height:100%;max-width:720px;margin:0 auto;background:#fff}
header{display:flex;align-items:center;justify-content:space-between;padding:12px 16px;color:#fff}
header h1{font-size:16px;margin:0}header button{background:none;border:0;color:#fff;font-size:20px;cursor:pointer}
#gh-log{flex:1;overflow-y:auto;padding:12px 16px}
.gh-msg{margin:6px 0;padding:8px 12px;border-radius:12px;max-width:85%;white-space:pre-wrap;overflow-wrap:anywhere}
.gh-user{margin-left:auto;background:#e5e7eb}.gh-assistant,.gh-staff{background:#f3f4f6}.gh-staff{border-left:3px solid var(--a)}
.gh-author{display:block;font-size:12px;color:#4b5563}
.gh-typing i{display:inline-block;width:6px;height:6px;margin:0 2px;border-radius:50%;background:#9ca3af;animation:gh 1s infinite}
.gh-typing i:nth-child(2){animation-delay:.2s}.gh-typing i:nth-child(3){animation-delay:.4s}@keyframes gh{50%{opacity:.2}}@media (prefers-reduced-motion:reduce){.gh-typing i{animation:none}}
.gh-ui{display:flex;flex-wrap:wrap;gap:6px;margin:6px 0}
.gh-choice{font:inherit;padding:6px 12px;border:1px solid var(--a);border-radius:16px;background:#fff;color:var(--a);cursor:pointer;text-decoration:none}
.gh-choice small{display:block;font-size:12px;color:#6b7280}.gh-choice:disabled{opacity:.5;cursor:default}
.gh-card{display:flex;flex-direction:column;width:140px;padding:8px;border:1px solid #e5e7eb;border-radius:8px;color:inherit;text-decoration:none}
.gh-card img{width:100%;height:90px;object-fit:cover;border-radius:4px}.gh-iframe iframe{width:100%;border:1px solid #e5e7eb;border-radius:8px}
form{display:flex;gap:8px;padding:12px;border-top:1px solid #e5e7eb}
textarea{flex:1;resize:none;font:inherit;padding:8px;border:1px solid #d1d5db;border-radius:8px}
form button{border:0;border-radius:8px;padding:0 16px;color:#fff;font:inherit;cursor:pointer}form button:disabled{opacity:.6}
:focus-visible{outline:2px solid var(--a);outline-offset:2px}`;

embedPageRoutes.get("/chat/:embedId", async (c) => {
  const p = Param.safeParse(c.req.param());
  const row = p.success ? await enabledEmbedByPublicId(c.var.db, p.data.embedId) : undefined;
  c.header("Cache-Control", "no-store");
  c.header("Referrer-Policy", "same-origin");
  c.header("X-Content-Type-Options", "nosniff");
  if (!row) {
    c.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors *");
    return c.html(
      html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Chat not available</title>
<style>body{font:16px/1.5 system-ui,sans-serif;display:grid;place-items:center;min-height:100vh;margin:0;color:#374151}</style></head>
<body><main><h1>This chat is not available</h1><p>The link may be old, or the chat has been switched off. Please contact the business another way.</p></main></body></html>`,
      404,
    );
  }
  const q = Query.safeParse(c.req.query());
  const frame = q.success && q.data.frame === "1";
  const localDev = isLocalDev(c.env);
  const script = await frameScriptPath(c.env, c.req.url);
  const title = await chatTitleOf(c.var.db, row);
  c.header(
    "Content-Security-Policy",
    `default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' https: data:; frame-src https:; base-uri 'none'; form-action 'none'; frame-ancestors ${frameAncestors(allowedHostsOf(row), localDev)}`,
  );
  const accent = row.accentColor;
  return c.html(html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title>
<link rel="icon" href="data:,"><style>${STYLE} #gellhub-chat{--a:${accent}}header,form button{background:${accent}}</style></head>
<body><div id="gellhub-chat" data-embed-id="${row.publicId}" data-frame="${frame ? "1" : "0"}">
<header><h1 dir="auto">${title}</h1>${frame ? html`<button type="button" id="gh-close" aria-label="Close chat">×</button>` : ""}</header>
<div id="gh-log" role="log" aria-live="polite" aria-label="Conversation"><p class="gh-msg gh-assistant" dir="auto">${row.greeting}</p></div>
<form id="gh-form"><label for="gh-input" style="position:absolute;left:-9999px">Your message</label>
<textarea id="gh-input" rows="2" maxlength="${MAX_USER_MESSAGE_CHARS}" dir="auto" placeholder="Type a message…" required></textarea>
<button type="submit">Send</button></form></div>
<script src="${script}" defer></script></body></html>`);
});

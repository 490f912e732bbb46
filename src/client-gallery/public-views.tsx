import type { Child, FC } from "hono/jsx";
import { raw } from "hono/html";
import type { PageItem } from "./items";
import { PUBLIC_GALLERY_SCRIPT } from "./public-script";

const CSS = `
*{box-sizing:border-box}[hidden]{display:none!important}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1c20;background:#fafafa}
body.noscroll{overflow:hidden}a{color:inherit}.wrap{max-width:1400px;margin:0 auto;padding:0 16px}
.hero{position:relative;min-height:38vh;display:flex;align-items:flex-end;background:#222;color:#fff;overflow:hidden}
.hero img{position:absolute;inset:0;width:100%;height:100%;object-fit:cover;opacity:.65}.hero .wrap{position:relative;width:100%;padding-bottom:28px}
.hero h1{font-size:clamp(26px,5vw,46px);margin:0;font-weight:600;letter-spacing:.2px}.hero p{margin:4px 0 0;opacity:.9}
.bar{position:sticky;top:0;z-index:5;background:#fffffff2;border-bottom:1px solid #e6e6ea;backdrop-filter:blur(6px)}
.bar .wrap{display:flex;flex-wrap:wrap;gap:8px 14px;align-items:center;min-height:54px;padding-top:6px;padding-bottom:6px}
.bar .grow{flex:1}.bar .wrap.forms{min-height:0;padding-top:0;padding-bottom:0}.bar .forms form{padding:0 0 8px}.btn{display:inline-flex;align-items:center;gap:6px;border:1px solid #d4d4db;background:#fff;color:#1b1c20;padding:7px 12px;border-radius:8px;font:inherit;font-size:14px;cursor:pointer;text-decoration:none}
.btn.primary{background:#1b1c20;color:#fff;border-color:#1b1c20}.btn[aria-pressed=true]{background:#fde8ec;border-color:#f3a5b5}
form.inline{display:flex;gap:8px;flex-wrap:wrap;align-items:center}form.inline input{font:inherit;padding:7px 10px;border:1px solid #cfd0d8;border-radius:8px;min-width:0}
.msg{color:#b91c1c;font-size:14px}main.wrap{padding-top:16px}h2{font-size:18px;margin:26px 0 10px;font-weight:600}
ul.grid{list-style:none;margin:0;padding:0;display:grid;gap:6px;grid-template-columns:repeat(auto-fill,minmax(180px,1fr))}
@media (max-width:600px){ul.grid{grid-template-columns:repeat(3,1fr);gap:3px}.hero{min-height:28vh}}
ul.grid li{position:relative;aspect-ratio:1;background:#ececf0;overflow:hidden}
.tile{display:block;width:100%;height:100%;padding:0;border:0;background:none;cursor:zoom-in}
.tile img{width:100%;height:100%;object-fit:cover;display:block}.tile .icon{display:grid;place-items:center;height:100%;font-size:13px;color:#555;padding:8px;word-break:break-all}
.heart{position:absolute;right:6px;bottom:6px;width:34px;height:34px;border-radius:50%;border:0;background:#0007;color:#fff;font-size:17px;cursor:pointer;line-height:34px}
.heart[aria-pressed=true],#viewer-heart[aria-pressed=true]{background:#e11d48}
body.only-favs li:not(.fav){display:none}
#viewer{position:fixed;inset:0;z-index:20;background:#0b0b0d;color:#eee;display:flex;flex-direction:column}#viewer[hidden]{display:none}
#stage{flex:1;display:grid;place-items:center;min-height:0;touch-action:pan-y}#stage img,#stage video{max-width:100vw;max-height:calc(100vh - 64px);object-fit:contain}
#viewer .vbar{display:flex;gap:8px;align-items:center;padding:10px 12px}#viewer .vbar .grow{flex:1;font-size:14px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
#viewer .btn{background:#222;color:#eee;border-color:#333}.nav{position:absolute;top:50%;transform:translateY(-50%);font-size:28px;background:#0006;border:0;color:#fff;width:48px;height:64px;cursor:pointer}
#viewer-prev{left:0}#viewer-next{right:0}.center{max-width:420px;margin:12vh auto;padding:28px;background:#fff;border:1px solid #e6e6ea;border-radius:14px}
.center h1{font-size:24px;margin:0 0 6px}.center form{display:grid;gap:10px;margin-top:14px}.center input{font:inherit;padding:10px;border:1px solid #cfd0d8;border-radius:8px}
footer{color:#777;font-size:13px;padding:28px 0}
`;

/** Chrome of the public pages: no dashboard navigation, no third-party anything, noindex. */
export const PublicLayout: FC<{ title: string; children?: Child }> = ({ title, children }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="robots" content="noindex, nofollow" />
      <title>{title}</title>
      <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
      <style>{raw(CSS)}</style>
    </head>
    <body>{children}</body>
  </html>
);

/** A message page: unknown or switched-off link, expired gallery. */
export const MessageView: FC<{ title: string; text: string; studio?: string }> = ({ title, text, studio }) => (
  <PublicLayout title={title}>
    <main class="center" data-testid="gallery-message">
      <h1>{title}</h1>
      <p>{text}</p>
      {studio ? <p class="msg" style="color:#555">{studio}</p> : null}
    </main>
  </PublicLayout>
);

/** The password prompt of a protected gallery. */
export const PasswordView: FC<{ slug: string; name: string; studio: string; error?: string | null }> = ({ slug, name, studio, error }) => (
  <PublicLayout title={name}>
    <main class="center">
      <h1>{name}</h1>
      <p>{studio} has protected this gallery with a password.</p>
      <form method="post" action={`/g/${slug}/unlock`} aria-label="Enter the gallery password">
        <label>
          Password <input type="password" name="password" autocomplete="current-password" required maxlength={128} autofocus />
        </label>
        {error ? (
          <p class="msg" role="alert">
            {error}
          </p>
        ) : null}
        <button class="btn primary" type="submit">
          View gallery
        </button>
      </form>
    </main>
  </PublicLayout>
);

export interface GalleryViewProps {
  slug: string;
  name: string;
  studio: string;
  date: string | null;
  cover: PageItem | null;
  items: PageItem[];
  downloads: "none" | "web" | "original";
  pinRequired: boolean;
  email: string | null;
  favorites: string[];
  nonce: string;
}

const Tile: FC<{ it: PageItem; i: number }> = ({ it, i }) => (
  <li data-id={it.id}>
    <button class="tile" type="button" data-open={String(i)} aria-label={`Open ${it.name}`}>
      {it.thumb ? <img src={it.thumb} alt={it.name} loading="lazy" decoding="async" /> : <span class="icon">{it.kind === "video" ? `▶ ${it.name}` : it.name}</span>}
    </button>
    <button class="heart" type="button" data-heart={it.id} aria-pressed="false" aria-label={`Favorite ${it.name}`}>
      ♥
    </button>
  </li>
);

function sections(items: PageItem[]) {
  const out: { folder: string; list: { it: PageItem; i: number }[] }[] = [];
  items.forEach((it, i) => {
    if (out.at(-1)?.folder !== it.folder) out.push({ folder: it.folder, list: [] });
    out.at(-1)!.list.push({ it, i });
  });
  return out;
}

// `<` escaped so the JSON can never close its script element.
const jsonForScript = (v: unknown) => JSON.stringify(v).replace(/</g, "\\u003c");

/** The gallery: cover, folders as sections of a lazy thumbnail grid, the viewer and the client's tools. */
export const GalleryView: FC<GalleryViewProps> = (p) => {
  const data = { slug: p.slug, items: p.items.map(({ id, name, kind, web, src }) => ({ id, name, kind, web, src })), favorites: p.favorites, email: p.email, pinRequired: p.pinRequired };
  const dl = p.downloads !== "none";
  return (
    <PublicLayout title={`${p.name} · ${p.studio}`}>
      <header class="hero">
        {p.cover?.web ? <img src={p.cover.web} alt="" fetchpriority="high" /> : null}
        <div class="wrap">
          <h1>{p.name}</h1>
          <p>
            {p.studio}
            {p.date ? ` · ${p.date}` : ""} · {p.items.length} {p.items.length === 1 ? "file" : "files"}
          </p>
        </div>
      </header>
      <div class="bar">
        <div class="wrap">
          <button class="btn" type="button" id="only-favs" aria-pressed="false">
            ♥ Favorites&nbsp;<span id="fav-count">0</span>
          </button>
          <span id="who" class="grow" />
          <button class="btn" type="button" id="change-email">
            Your email
          </button>
          {dl ? (
            <>
              <a class="btn" id="download-favorites" data-download="" href={`/g/${p.slug}/download?list=favorites`} hidden>
                Download favorites
              </a>
              <a class="btn primary" id="download-all" data-download="" href={`/g/${p.slug}/download?list=all`}>
                Download all
              </a>
            </>
          ) : null}
        </div>
        <div class="wrap forms">
          <form class="inline" id="email-form" aria-label="Your email" hidden>
            <label>
              Your email to save favorites <input type="email" name="email" required maxlength={254} autocomplete="email" />
            </label>
            <button class="btn primary" type="submit">
              Save
            </button>
            <span class="msg" role="alert" />
          </form>
          {dl && p.pinRequired ? (
            <form class="inline" id="pin-form" aria-label="Download PIN" hidden>
              <label>
                Download PIN <input type="password" name="pin" inputmode="numeric" pattern="[0-9]{4}" maxlength={4} required />
              </label>
              <button class="btn primary" type="submit">
                Unlock downloads
              </button>
              <span class="msg" role="alert" />
            </form>
          ) : null}
        </div>
      </div>
      <main class="wrap" data-testid="gallery-grid">
        {p.items.length === 0 ? <p>This gallery has no photos yet.</p> : null}
        {sections(p.items).map((s) => (
          <section>
            {s.folder ? <h2>{s.folder}</h2> : null}
            <ul class="grid">
              {s.list.map(({ it, i }) => (
                <Tile it={it} i={i} />
              ))}
            </ul>
          </section>
        ))}
        <footer>Delivered with GellHub</footer>
      </main>
      <div id="viewer" role="dialog" aria-modal="true" aria-label="Viewer" hidden>
        <div class="vbar">
          <span id="caption" class="grow" />
          <button class="btn" type="button" id="viewer-heart" aria-pressed="false" aria-label="Favorite this file">
            ♥
          </button>
          {dl ? (
            <a class="btn" id="viewer-download" data-download="" href="#">
              Download
            </a>
          ) : null}
          <button class="btn" type="button" id="viewer-close" aria-label="Close viewer">
            ✕
          </button>
        </div>
        <div id="stage" />
        <button class="nav" type="button" id="viewer-prev" aria-label="Previous">
          ‹
        </button>
        <button class="nav" type="button" id="viewer-next" aria-label="Next">
          ›
        </button>
      </div>
      <script type="application/json" id="gallery-data">
        {raw(jsonForScript(data))}
      </script>
      <script nonce={p.nonce}>{raw(PUBLIC_GALLERY_SCRIPT)}</script>
    </PublicLayout>
  );
};

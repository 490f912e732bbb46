import type { Child, FC } from "hono/jsx";

const CSS = `
:root{--bg:#f6f7fb;--card:#fff;--ink:#14161f;--muted:#5b6172;--line:#e4e6ee;--brand:#4f46e5;--brand-ink:#fff;--ok:#0f766e;--warn:#92400e;--warnbg:#fef3c7;--err:#b91c1c;--errbg:#fee2e2;--radius:12px}
*{box-sizing:border-box}body{margin:0;font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--brand)}header.top{background:#11131c;color:#fff}header.top .wrap{display:flex;align-items:center;gap:24px;height:60px}
header.top a{color:#d9dbe6;text-decoration:none}header.top a:hover{color:#fff}.brand{font-weight:700;font-size:18px;color:#fff!important;letter-spacing:.2px}
.brand span{color:#a5b4fc}nav.main{display:flex;gap:18px;flex:1}nav.user{display:flex;gap:12px;align-items:center}
.wrap{max-width:1120px;margin:0 auto;padding:0 20px}main{padding:32px 0 64px}
h1{font-size:28px;margin:0 0 8px}h2{font-size:20px;margin:28px 0 12px}h3{margin:0 0 6px;font-size:16px}.muted{color:var(--muted)}
.card{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:20px}
.grid{display:grid;gap:16px}.grid.cols3{grid-template-columns:repeat(auto-fill,minmax(260px,1fr))}
.btn{display:inline-flex;align-items:center;gap:6px;border:1px solid transparent;background:var(--brand);color:var(--brand-ink);padding:8px 14px;border-radius:8px;font:inherit;font-weight:600;cursor:pointer;text-decoration:none}
.btn.secondary{background:#fff;color:var(--ink);border-color:var(--line)}.btn.danger{background:#fff;color:var(--err);border-color:#f3c2c2}.btn.small{padding:4px 10px;font-size:13px}
form.stack{display:grid;gap:14px;max-width:420px}label{display:grid;gap:4px;font-weight:600;font-size:14px}
input,select{font:inherit;padding:9px 11px;border:1px solid #cfd3df;border-radius:8px;background:#fff;font-weight:400}
input:focus,select:focus,.btn:focus-visible{outline:3px solid #c7d2fe;outline-offset:1px}
fieldset{border:1px solid var(--line);border-radius:8px;padding:10px 14px}legend{font-weight:600;font-size:14px;padding:0 4px}
fieldset label{display:flex;gap:8px;align-items:center;font-weight:400}
.alert{padding:12px 14px;border-radius:8px;margin:0 0 16px}.alert.error{background:var(--errbg);color:var(--err)}.alert.secret{background:var(--warnbg);color:var(--warn);border:1px solid #fcd34d}
.alert code{display:block;margin-top:6px;font-size:14px;word-break:break-all;background:#fff;padding:8px;border-radius:6px;color:var(--ink)}
table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:9px 8px;border-bottom:1px solid var(--line);font-size:14px;vertical-align:middle}th{color:var(--muted);font-weight:600}
.price{font-size:26px;font-weight:700}.price small{font-size:14px;color:var(--muted);font-weight:500}
ul.features{padding-left:18px;margin:8px 0 0;color:var(--muted)}.pill{display:inline-block;padding:2px 8px;border-radius:99px;background:#eef2ff;color:#3730a3;font-size:12px;font-weight:600}
.pill.ok{background:#ccfbf1;color:var(--ok)}.pill.warn{background:var(--warnbg);color:var(--warn)}
.hero{padding:40px 0 8px}.hero p{font-size:18px;max-width:640px}.row{display:flex;gap:10px;align-items:center;flex-wrap:wrap}
code.inline{background:#eef0f6;padding:1px 6px;border-radius:5px;font-size:13px}footer{color:var(--muted);font-size:13px;padding:24px 0}
`;

export interface LayoutProps {
  title: string;
  user?: { displayName: string; role?: string } | null;
  children?: Child;
}

/** Shared page chrome: top bar with navigation, the signed-in user, and the content. */
export const Layout: FC<LayoutProps> = ({ title, user, children }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{`${title} · GellHub`}</title>
      <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
      <style dangerouslySetInnerHTML={{ __html: CSS }} />
    </head>
    <body>
      <header class="top">
        <div class="wrap">
          <a class="brand" href="/">
            Gell<span>Hub</span>
          </a>
          <nav class="main" aria-label="Main">
            <a href="/#pricing">Pricing</a>
            <a href="/docs">API reference</a>
            {user ? <a href="/dashboard">Dashboard</a> : null}
            {user ? <a href="/dashboard/billing">Billing</a> : null}
            {user ? <a href="/dashboard/gallery">Gallery</a> : null}
            {user ? <a href="/dashboard/members">Members &amp; Teams</a> : null}
            {user ? <a href="/dashboard/drive">Drive</a> : null}
            {user ? <a href="/dashboard/messaging">Messaging</a> : null}
            {user ? <a href="/dashboard/console">Developer Console</a> : null}
            {user?.role === "staff" ? <a href="/admin/apps">Partner apps</a> : null}
          </nav>
          <nav class="user" aria-label="Account">
            {user ? (
              <>
                <span>{user.displayName}</span>
                <form method="post" action="/logout">
                  <button class="btn secondary small" type="submit">
                    Log out
                  </button>
                </form>
              </>
            ) : (
              <>
                <a href="/login">Log in</a>
                <a class="btn small" href="/register">
                  Create account
                </a>
              </>
            )}
          </nav>
        </div>
      </header>
      <main>
        <div class="wrap">{children}</div>
      </main>
      <footer>
        <div class="wrap">GellHub · galleries, drive and AI chat for studios and shops</div>
      </footer>
    </body>
  </html>
);

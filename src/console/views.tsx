import type { FC } from "hono/jsx";
import type { toPublicApp, appAnalytics } from "../connect/apps";
import { DataTable } from "../ui/table";
import { ErrorAlert, PRODUCT_LABEL } from "../ui/views";

type App = ReturnType<typeof toPublicApp>;
type Analytics = Awaited<ReturnType<typeof appAnalytics>>;

const SERIES = [
  ["starts", "Starts", "#6366f1"],
  ["registrations", "Registrations", "#0ea5e9"],
  ["logins", "Logins", "#14b8a6"],
  ["finalizations", "Finalizations", "#f59e0b"],
  ["exchanges", "Exchanges", "#ef4444"],
  ["verifies", "Verify calls", "#8b5cf6"],
] as const;

export const SecretBox: FC<{ clientId: string; secret: string }> = ({ clientId, secret }) => (
  <div class="alert secret" role="status" data-testid="client-secret">
    <strong>Copy your client secret now.</strong> It is shown only once: GellHub stores only a hash. Keep it on your server.
    <code>{`client_id: ${clientId}`}</code>
    <code data-testid="client-secret-value">{secret}</code>
  </div>
);

const StatusPill: FC<{ status: string }> = ({ status }) => <span class={`pill ${status === "active" ? "ok" : "warn"}`}>{status}</span>;

export const ConsoleHome: FC<{ apps: App[]; error?: string | null; values?: { name?: string; redirectUris?: string } }> = ({
  apps,
  error,
  values = {},
}) => (
  <>
    <h1>Developer Console</h1>
    <p class="muted">
      Register integration apps for Embedded connect. Each app is tied to one product line; the client secret is shown once.
    </p>
    <ErrorAlert message={error} />
    <h2>Applications</h2>
    <div class="card">
      <DataTable
        label="Applications"
        columns={["Name", "Client ID", "Product", "Status"]}
        empty="No apps yet."
        rows={apps.map((a) => (
          <tr data-app-id={a.id}>
            <td>
              <a href={`/dashboard/console/${a.id}`}>{a.name}</a>
            </td>
            <td>
              <code class="inline">{a.clientId}</code>
            </td>
            <td>{PRODUCT_LABEL[a.allowedProductTypes[0]!]}</td>
            <td>
              <StatusPill status={a.status} />
            </td>
          </tr>
        ))}
      />
    </div>
    <h2>Create an app</h2>
    <div class="card">
      <form class="stack" method="post" action="/dashboard/console/apps">
        <label>
          App name
          <input type="text" name="name" required maxlength={100} value={values.name ?? ""} />
        </label>
        <fieldset>
          <legend>Product line</legend>
          {(["clientGallery", "drive", "messaging"] as const).map((t, i) => (
            <label>
              <input type="radio" name="productType" value={t} checked={i === 0} />
              {PRODUCT_LABEL[t]}
            </label>
          ))}
        </fieldset>
        <label>
          Redirect URIs <span class="muted">(one per line; exact match; https, or http for localhost)</span>
          <textarea name="redirectUris" rows={3} required maxlength={20000} style="font:inherit;padding:9px 11px;border:1px solid #cfd3df;border-radius:8px">
            {values.redirectUris ?? ""}
          </textarea>
        </label>
        <button class="btn" type="submit">
          Create app
        </button>
      </form>
    </div>
  </>
);

/** Per-day funnel as an inline SVG line chart (no scripts, no CDN). */
export const FunnelChart: FC<{ analytics: Analytics }> = ({ analytics }) => {
  const W = 720;
  const H = 200;
  const pad = 28;
  const days = analytics.days;
  const max = Math.max(1, ...days.flatMap((d) => SERIES.map(([k]) => d[k])));
  const x = (i: number) => pad + (days.length <= 1 ? 0 : (i * (W - 2 * pad)) / (days.length - 1));
  const y = (v: number) => H - pad - (v * (H - 2 * pad)) / max;
  return (
    <figure style="margin:0">
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label="Connect funnel per day" data-testid="funnel-chart">
        <line x1={pad} y1={H - pad} x2={W - pad} y2={H - pad} stroke="#cbd5e1" />
        <text x={4} y={pad} font-size="11" fill="#64748b">
          {max}
        </text>
        <text x={pad} y={H - 8} font-size="11" fill="#64748b">
          {days[0]?.date ?? ""}
        </text>
        <text x={W - pad - 70} y={H - 8} font-size="11" fill="#64748b">
          {days[days.length - 1]?.date ?? ""}
        </text>
        {SERIES.map(([k, , color]) => (
          <polyline fill="none" stroke={color} stroke-width="2" points={days.map((d, i) => `${x(i)},${y(d[k])}`).join(" ")} />
        ))}
      </svg>
      <figcaption class="row" style="font-size:13px">
        {SERIES.map(([k, label, color]) => (
          <span>
            <span style={`display:inline-block;width:10px;height:10px;border-radius:2px;background:${color}`} /> {label}:{" "}
            <strong data-metric={k}>{analytics.totals[k]}</strong>
          </span>
        ))}
      </figcaption>
    </figure>
  );
};

export const AppDetail: FC<{ app: App; analytics: Analytics; secret?: string | null; error?: string | null }> = ({
  app,
  analytics,
  secret,
  error,
}) => (
  <>
    <p>
      <a href="/dashboard/console">← Developer Console</a>
    </p>
    <h1>{app.name}</h1>
    <p class="muted">
      {PRODUCT_LABEL[app.allowedProductTypes[0]!]} · <StatusPill status={app.status} />
    </p>
    <ErrorAlert message={error} />
    {secret ? <SecretBox clientId={app.clientId} secret={secret} /> : null}
    <div class="card">
      <p>
        Client ID: <code class="inline" data-testid="client-id">{app.clientId}</code>
      </p>
      <div class="row">
        <form method="post" action={`/dashboard/console/${app.id}/rotate`}>
          <button class="btn secondary" type="submit">
            Rotate secret
          </button>
        </form>
        <form method="post" action={`/dashboard/console/${app.id}/delete`}>
          <button class="btn danger" type="submit">
            Delete app
          </button>
        </form>
      </div>
    </div>
    <h2>Redirect URIs</h2>
    <div class="card">
      <form class="stack" method="post" action={`/dashboard/console/${app.id}/redirects`}>
        <label>
          One per line (exact match)
          <textarea name="redirectUris" rows={4} required maxlength={20000} style="font:inherit;padding:9px 11px;border:1px solid #cfd3df;border-radius:8px">
            {app.redirectUris.join("\n")}
          </textarea>
        </label>
        <button class="btn" type="submit">
          Save redirect URIs
        </button>
      </form>
    </div>
    <h2>Connect analytics (last {analytics.days.length} days)</h2>
    <div class="card">
      <FunnelChart analytics={analytics} />
      <DataTable
        label="Connect funnel per day"
        style="margin-top:12px"
        columns={["Day", ...SERIES.map(([, label]) => label)]}
        rows={analytics.days
          .filter((d) => SERIES.some(([k]) => d[k] > 0))
          .reverse()
          .map((d) => (
            <tr>
              <td>{d.date}</td>
              {SERIES.map(([k]) => (
                <td>{d[k]}</td>
              ))}
            </tr>
          ))}
      />
    </div>
  </>
);

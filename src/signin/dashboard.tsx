import type { FC } from "hono/jsx";
import type { getAccountOverview, listApiKeys } from "../accounts/service";
import { PRODUCT_LINES, type ProductLine } from "../db/schema";
import { DataTable } from "../ui/table";
import { ErrorAlert, LINE_LABEL, money } from "../ui/views";

type Overview = Awaited<ReturnType<typeof getAccountOverview>>;
type Key = Awaited<ReturnType<typeof listApiKeys>>[number];

export interface DashboardProps {
  overview: Overview;
  keys: Key[];
  newKey?: { productLine: ProductLine; key: string; label: string } | null;
  error?: string | null;
}

const SPACE_LABEL: Record<ProductLine, string> = { gallery: "Studio ID", drive: "Drive ID", messaging: "Messaging account" };

/** Dashboard home: the account, its product lines and their API keys. */
export const Dashboard: FC<DashboardProps> = ({ overview, keys, newKey, error }) => {
  const enabled = new Set(overview.productLines.map((l) => l.productLine));
  const missing = PRODUCT_LINES.filter((l) => !enabled.has(l));
  return (
    <>
      <h1>Dashboard</h1>
      <p class="muted">
        Signed in as <strong>{overview.profile.email}</strong>
        {overview.profile.role === "staff" ? <span class="pill">staff</span> : null}
      </p>
      <ErrorAlert message={error} />
      {newKey ? (
        <div class="alert secret" role="status" data-testid="new-key">
          <strong>Your new {LINE_LABEL[newKey.productLine]} API key ({newKey.label}).</strong> Copy it now: it is shown only
          once and GellHub stores only a hash.
          <code>{newKey.key}</code>
        </div>
      ) : null}

      <h2>Product lines</h2>
      <div class="grid cols3">
        {overview.productLines.map((l) => (
          <div class="card" data-line={l.productLine}>
            <h3>{LINE_LABEL[l.productLine]}</h3>
            <p>
              {l.plan.name} plan{l.plan.price > 0 ? ` · ${money(l.plan.price)}` : ""}{" "}
              <span class={`pill ${l.status === "active" || l.status === "trialing" ? "ok" : "warn"}`}>{l.status}</span>
            </p>
            <p class="muted">
              {SPACE_LABEL[l.productLine]}: <code class="inline">{l.spaceId}</code>
            </p>
            <p class="muted">{l.activeKeys} active key(s)</p>
          </div>
        ))}
        {missing.map((line) => (
          <div class="card" data-line={line}>
            <h3>{LINE_LABEL[line]}</h3>
            <p class="muted">Not enabled on this account.</p>
            <form method="post" action="/dashboard/product-lines">
              <input type="hidden" name="productLine" value={line} />
              <button class="btn secondary" type="submit">
                Enable {LINE_LABEL[line]} (free)
              </button>
            </form>
          </div>
        ))}
      </div>

      <h2>API keys</h2>
      <div class="card">
        <p class="muted">
          Send a key in the <code class="inline">x-api-key</code> header. Keys are shown in full only when created or rotated.
        </p>
        <DataTable
          label="API keys"
          columns={["Product", "Label", "Key", "Created", <span class="muted">Actions</span>]}
          empty="No active keys."
          rows={keys.map((k) => (
            <tr data-key-id={k.id}>
              <td>{LINE_LABEL[k.productLine]}</td>
              <td>{k.label}</td>
              <td>
                <code class="inline">
                  {k.displayPrefix}…{k.last4}
                </code>
              </td>
              <td>{k.createdAt.slice(0, 10)}</td>
              <td class="row">
                <form method="post" action={`/dashboard/keys/${k.id}/rotate`}>
                  <button class="btn secondary small" type="submit" aria-label={`Rotate key ${k.displayPrefix}…${k.last4}`}>
                    Rotate
                  </button>
                </form>
                <form method="post" action={`/dashboard/keys/${k.id}/revoke`}>
                  <button class="btn danger small" type="submit" aria-label={`Revoke key ${k.displayPrefix}…${k.last4}`}>
                    Revoke
                  </button>
                </form>
              </td>
            </tr>
          ))}
        />
        {overview.productLines.length > 0 ? (
          <form method="post" action="/dashboard/keys" class="row" style="margin-top:16px">
            <label>
              Product
              <select name="productLine">
                {overview.productLines.map((l) => (
                  <option value={l.productLine}>{LINE_LABEL[l.productLine]}</option>
                ))}
              </select>
            </label>
            <label>
              Label
              <input type="text" name="label" maxlength={60} placeholder="e.g. Website" />
            </label>
            <button class="btn" type="submit" style="align-self:end">
              Create key
            </button>
          </form>
        ) : null}
      </div>
    </>
  );
};

import type { FC } from "hono/jsx";
import type { PlanType, ProductLine } from "../db/schema";

export const LINE_LABEL: Record<ProductLine, string> = { gallery: "Client Gallery", drive: "Drive", messaging: "Messaging" };

/** Names of the product types a partner app is tied to (the Developer Console and staff pages). */
export const PRODUCT_LABEL: Record<PlanType, string> = { clientGallery: "Client Gallery", drive: "Drive", messaging: "Messaging" };

export function formatBytes(n: number): string {
  if (n <= 0) return "—";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}

export const money = (price: number) => (price === 0 ? "Free" : `$${price % 1 === 0 ? price : price.toFixed(2)}`);

export const ErrorAlert: FC<{ message?: string | null }> = ({ message }) =>
  message ? (
    <div class="alert error" role="alert">
      {message}
    </div>
  ) : null;

/** A product line's storage card: used of limit (files and uploads in progress) as text and a meter. */
export const StorageMeter: FC<{ usedBytes: number; limitBytes: number; style: string }> = ({ usedBytes, limitBytes, style }) => {
  const pct = limitBytes > 0 ? Math.min(100, Math.round((usedBytes / limitBytes) * 1000) / 10) : 100;
  return (
    <div class="card" data-testid="storage-meter" style={style}>
      <div class="row" style="justify-content:space-between">
        <strong>Storage</strong>
        <span class="muted">
          {usedBytes > 0 ? formatBytes(usedBytes) : "0 B"} of {formatBytes(limitBytes)} used ({pct}%)
        </span>
      </div>
      <div class="meter" role="meter" aria-label="Storage used" aria-valuemin={0} aria-valuemax={limitBytes} aria-valuenow={usedBytes}>
        <span style={`width:${pct}%`} />
      </div>
    </div>
  );
};


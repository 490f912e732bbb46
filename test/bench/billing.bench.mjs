// Billing: the partner eligibility check (GET /api/billing/status with a product key) is the
// route partners poll; compared with the bare route and with GET /api/account.
import { readFileSync } from "node:fs";

const demo = JSON.parse(readFileSync(new URL("../../src/dev/demo-accounts.json", import.meta.url), "utf8"));

export default async function (ctx) {
  const key = demo.accounts[0].key;
  const warm = await ctx.fetch("/api/billing/status", { headers: { "x-api-key": key } });
  if (warm.status !== 200) throw new Error(`billing status failed: ${warm.status}`);

  const bare = ctx.wrk({ name: "GET /api/health (bare)", path: "/api/health", seconds: 8 });
  const status = ctx.wrk({ name: "GET /api/billing/status (x-api-key)", path: "/api/billing/status", headers: { "x-api-key": key }, seconds: 10 });
  const invoices = ctx.wrk({ name: "GET /api/billing/invoices (x-api-key, no customer)", path: "/api/billing/invoices", headers: { "x-api-key": key }, seconds: 8 });
  for (const r of [status, invoices]) {
    ctx.report(`${r.name} / bare throughput`, r.rps / bare.rps, "x");
    ctx.report(`${r.name} p99`, r.p99ms, "ms");
  }
}

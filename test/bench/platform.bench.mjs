// Platform baseline: a bare route, the public plans list and an x-api-key route, each as a
// ratio to the bare route (what auth and D1 cost on top of the Worker itself).
import { readFileSync } from "node:fs";

const demo = JSON.parse(readFileSync(new URL("../../src/dev/demo-accounts.json", import.meta.url), "utf8"));

export default async function (ctx) {
  const key = demo.accounts[0].key;
  const warm = await ctx.fetch("/api/account", { headers: { "x-api-key": key } });
  if (warm.status !== 200) throw new Error(`demo key rejected: ${warm.status}`);

  const bare = ctx.wrk({ name: "GET /api/health (bare)", path: "/api/health" });
  const plans = ctx.wrk({ name: "GET /api/public/plans", path: "/api/public/plans" });
  const account = ctx.wrk({ name: "GET /api/account (x-api-key)", path: "/api/account", headers: { "x-api-key": key } });
  for (const r of [plans, account]) {
    ctx.report(`${r.name} / bare throughput`, r.rps / bare.rps, "x");
    ctx.report(`${r.name} / bare p99`, r.p99ms / bare.p99ms, "x");
  }
}

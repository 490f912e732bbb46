// Embedded connect hot paths against the bare route: plans by client_id (one app lookup),
// connect/start (app + plan lookup, signed cookie, redirect) and connect/context (cookie
// verification + app lookup). exchange and verify are rate-limited per client by design, so
// they are not load-tested here.
export default async function (ctx) {
  const email = `bench-${Date.now()}@example.com`;
  const reg = await ctx.fetch("/api/register", {
    method: "POST",
    headers: { "content-type": "application/json", origin: ctx.baseUrl },
    body: JSON.stringify({ email, password: "bench password 1", displayName: "Bench", accountType: "studio" }),
  });
  if (reg.status !== 201) throw new Error(`register failed: ${reg.status}`);
  const cookie = reg.headers.get("set-cookie").split(";")[0];
  const redirect = "https://bench.example.com/cb";
  const created = await ctx.fetch("/api/console/apps", {
    method: "POST",
    headers: { "content-type": "application/json", origin: ctx.baseUrl, cookie },
    body: JSON.stringify({ name: "Bench app", allowedProductTypes: ["drive"], redirectUris: [redirect] }),
  });
  if (created.status !== 201) throw new Error(`create app failed: ${created.status}`);
  const app = await created.json();
  const startPath = `/api/integrations/connect/start?client_id=${app.clientId}&return_url=${encodeURIComponent(redirect)}&state=s&plan=plan_drive_free`;
  const start = await ctx.fetch(startPath, { redirect: "manual" });
  if (start.status !== 302) throw new Error(`start failed: ${start.status}`);
  const connectCookie = start.headers.get("set-cookie").split(";")[0];

  const bare = ctx.wrk({ name: "GET /api/health (bare)", path: "/api/health", seconds: 8 });
  const runs = [
    ctx.wrk({ name: "GET /api/public/plans?client_id=", path: `/api/public/plans?client_id=${app.clientId}`, seconds: 8 }),
    ctx.wrk({ name: "GET /api/integrations/connect/start", path: startPath, seconds: 8 }),
    ctx.wrk({ name: "GET /api/integrations/connect/context", path: "/api/integrations/connect/context", headers: { cookie: connectCookie }, seconds: 8 }),
  ];
  for (const r of runs) {
    ctx.report(`${r.name} / bare throughput`, r.rps / bare.rps, "x");
    ctx.report(`${r.name} / bare p99`, r.p99ms / bare.p99ms, "x");
  }
}

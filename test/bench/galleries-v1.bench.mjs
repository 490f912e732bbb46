// v1 galleries: the rights check a member key pays on every call, compared with the studio key
// and the bare route: GET /api/v1/galleries (list) and GET /api/v1/galleries/:id (one gallery).
import { readFileSync } from "node:fs";

const demo = JSON.parse(readFileSync(new URL("../../src/dev/demo-accounts.json", import.meta.url), "utf8"));

export default async function (ctx) {
  const owner = { "x-api-key": demo.accounts[0].key };
  const json = (res) => (res.status < 300 ? res.json() : res.text().then((t) => Promise.reject(new Error(`${res.status} ${t}`))));
  const post = (path, body) => ctx.fetch(path, { method: "POST", headers: { ...owner, "content-type": "application/json" }, body: JSON.stringify(body) }).then(json);
  const put = (path, body) => ctx.fetch(path, { method: "PUT", headers: { ...owner, "content-type": "application/json" }, body: JSON.stringify(body) }).then(json);

  const gallery = await post("/api/v1/galleries", { gallery: { name: "Bench", description: "rights check" } });
  const member = await post("/api/v1/members", { email: `bench-${Date.now()}@example.com`, name: "Bench member" });
  await put(`/api/v1/galleries/${gallery.id}/teams`, { team_id: member.own_team_id, write: true });
  const key = (await post(`/api/v1/members/${member.id}/api_key`, {})).api_key;
  const asMember = { "x-api-key": key };

  const bare = ctx.wrk({ name: "GET /api/health (bare)", path: "/api/health", seconds: 8 });
  const runs = [
    ctx.wrk({ name: "GET /api/v1/galleries (studio key)", path: "/api/v1/galleries", headers: owner, seconds: 8 }),
    ctx.wrk({ name: "GET /api/v1/galleries (member key)", path: "/api/v1/galleries", headers: asMember, seconds: 8 }),
    ctx.wrk({ name: "GET /api/v1/galleries/:id (member key)", path: `/api/v1/galleries/${gallery.id}`, headers: asMember, seconds: 8 }),
  ];
  for (const r of runs) {
    ctx.report(`${r.name} / bare throughput`, r.rps / bare.rps, "x");
    ctx.report(`${r.name} p99`, r.p99ms, "ms");
  }
}

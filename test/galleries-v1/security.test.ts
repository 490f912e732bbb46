import { describe, expect, it } from "vitest";
import { api, ok, registerAccount, registerStudio } from "../factories";
import { bytes, uploadFile } from "../gallery/helpers";
import { createGallery, createMember, createTeam, grant, V1, v1, world, type Key } from "./helpers";

type Need = "read" | "write" | "manage" | "owner";
type W = Awaited<ReturnType<typeof world>> & { spareTeam: { id: string }; spareMember: { id: string }; field: { id: string } };

let n = 0;
const uniq = () => `n${++n}-${Math.random().toString(36).slice(2, 7)}`;

/** Every v1 route that leaves the world usable, the level it needs, and a request builder. */
const ROUTES: [Need, string, (w: W) => [string, string, unknown?]][] = [
  ["read", "GET /galleries/{id}", (w) => ["GET", `${V1}/${w.g.id}`]],
  ["read", "GET /galleries/{id}/assets", (w) => ["GET", `${V1}/${w.g.id}/assets`]],
  ["read", "GET /galleries/{id}/custom_metadata", (w) => ["GET", `${V1}/${w.g.id}/custom_metadata`]],
  ["read", "GET /galleries/{id}/folders", (w) => ["GET", `${V1}/${w.g.id}/folders`]],
  ["write", "PUT /galleries/{id}", (w) => ["PUT", `${V1}/${w.g.id}`, { gallery: { description: uniq() } }]],
  ["write", "POST /galleries/{id}/addassets", (w) => ["POST", `${V1}/${w.g.id}/addassets`, { asset_ids: [w.f1.id] }]],
  ["write", "PUT /galleries/{id}/update_metadata", (w) => ["PUT", `${V1}/${w.g.id}/update_metadata`, { custom_metadata: { "0": { custom_metadata_field: w.field.id, value: uniq() } } }]],
  ["write", "PUT /galleries/{id}/create_folder", (w) => ["PUT", `${V1}/${w.g.id}/create_folder`, { dirname: "", name: uniq() }]],
  ["write", "PUT /galleries/{id}/rename_folder", (w) => ["PUT", `${V1}/${w.g.id}/rename_folder`, { folder: { dirname: "Keep" }, name: "Keep" }]],
  ["write", "PUT /galleries/{id}/move_contents", (w) => ["PUT", `${V1}/${w.g.id}/move_contents`, { target_folder: { dirname: "" }, asset_ids: [w.f1.id] }]],
  ["write", "PUT /galleries/{id}/rename_asset", (w) => ["PUT", `${V1}/${w.g.id}/rename_asset`, { asset_id: w.f1.id, name: "one.jpg" }]],
  ["manage", "GET /galleries/{id}/teams", (w) => ["GET", `${V1}/${w.g.id}/teams`]],
  ["manage", "PUT /galleries/{id}/teams", (w) => ["PUT", `${V1}/${w.g.id}/teams`, { team_id: w.spareTeam.id, write: true }]],
  ["manage", "DELETE /galleries/{id}/teams/{team_id}", (w) => ["DELETE", `${V1}/${w.g.id}/teams/${w.spareTeam.id}`]],
  ["manage", "PUT /galleries/{id}/update_teams", (w) => ["PUT", `${V1}/${w.g.id}/update_teams`, { own_teams: false, write: true }]],
  ["manage", "GET /galleries/{id}/effective_access_rights", (w) => ["GET", `${V1}/${w.g.id}/effective_access_rights`]],
  ["owner", "PUT /galleries/update_teams/{team_id}", (w) => ["PUT", `${V1}/update_teams/${w.spareTeam.id}`, { write: true }]],
  ["owner", "GET /members/{id}", (w) => ["GET", `/api/v1/members/${w.spareMember.id}`]],
  ["owner", "PATCH /members/{id}", (w) => ["PATCH", `/api/v1/members/${w.spareMember.id}`, { name: uniq() }]],
  ["owner", "POST /members/{id}/api_key", (w) => ["POST", `/api/v1/members/${w.spareMember.id}/api_key`]],
  ["owner", "GET /teams/{id}", (w) => ["GET", `/api/v1/teams/${w.spareTeam.id}`]],
  ["owner", "PATCH /teams/{id}", (w) => ["PATCH", `/api/v1/teams/${w.spareTeam.id}`, { name: "Spare" }]],
  ["owner", "PUT /teams/{id}/members", (w) => ["PUT", `/api/v1/teams/${w.spareTeam.id}/members`, { member_ids: [] }]],
];

/** Studio-wide routes without ids: owner only; another studio's key sees its own (empty) lists. */
const STUDIO_ROUTES: [string, string, () => unknown][] = [
  ["GET", "/api/v1/members", () => undefined],
  ["POST", "/api/v1/members", () => ({ email: `${uniq()}@example.com` })],
  ["GET", "/api/v1/teams", () => undefined],
  ["POST", "/api/v1/teams", () => ({ name: uniq() })],
  ["GET", "/api/v1/custom_metadata_fields", () => undefined],
  ["POST", "/api/v1/custom_metadata_fields", () => ({ name: uniq(), field_type: "string" })],
  ["POST", "/api/v1/galleries", () => ({ gallery: { name: uniq(), description: "" } })],
];

const RANK: Record<Need, number> = { read: 1, write: 2, manage: 3, owner: 4 };
const DENIED: Record<Exclude<Need, "read">, string> = { write: "write_access_required", manage: "manage_access_required", owner: "owner_only" };

async function richWorld(): Promise<W> {
  const w = await world();
  const spareTeam = await createTeam(w.a, "Spare", []);
  const spareMember = await ok<{ id: string }>(v1("POST", "/api/v1/members", w.a, { email: `spare-${w.a.studioId}@example.com` }), 201);
  const field = await ok<{ id: string }>(v1("POST", "/api/v1/custom_metadata_fields", w.a, { name: "Note", field_type: "string" }), 201);
  await ok(v1("PUT", `${V1}/${w.g.id}/create_folder`, w.a, { dirname: "", name: "Keep" }));
  return { ...w, spareTeam, spareMember, field };
}

async function expectAnswer(who: Key, req: [string, string, unknown?], status: number, code: string | undefined, label: string) {
  const res = await v1(req[0], req[1], who, req[2]);
  const body = res.status === 204 ? null : ((await res.json()) as { error?: string });
  expect(res.status, `${label}: ${JSON.stringify(body)}`).toBe(status);
  if (code) expect(body?.error, label).toBe(code);
}

describe("the rights matrix", () => {
  it("owner key, member with read (own team), with write (normal team), with manage, with none, and another studio", async () => {
    const w = await richWorld();
    const actors: [string, Key, number][] = [
      ["reader", w.reader, RANK.read],
      ["writer", w.writer, RANK.write],
      ["manager", w.manager, RANK.manage],
      ["owner", w.a, RANK.owner],
    ];
    for (const [need, label, build] of ROUTES) {
      for (const [name, key, rank] of actors) {
        const ok2 = rank >= RANK[need];
        const req = build(w);
        const expected = ok2 ? (req[0] === "DELETE" ? 204 : need === "owner" && req[0] === "POST" ? 201 : 200) : 403;
        await expectAnswer(key, req, expected, ok2 ? undefined : DENIED[need as Exclude<Need, "read">], `${name} ${label}`);
      }
      // No rights, or another studio: nothing to see. Owner-only routes on this studio's ids tell
      // its own members `owner_only`, everyone else 404.
      await expectAnswer(w.none, build(w), need === "owner" ? 403 : 404, need === "owner" ? "owner_only" : "not_found", `none ${label}`);
      await expectAnswer(w.bMember, build(w), 404, "not_found", `other studio's member ${label}`);
      await expectAnswer(w.b, build(w), 404, "not_found", `other studio's key ${label}`);
    }
  });

  it("studio-wide routes are owner only; another studio's key only ever sees its own", async () => {
    const w = await richWorld();
    for (const [method, path, body] of STUDIO_ROUTES) {
      for (const m of [w.reader, w.writer, w.manager, w.none, w.bMember]) {
        await expectAnswer(m, [method, path, body()], 403, "owner_only", `member ${method} ${path}`);
      }
      await expectAnswer(w.a, [method, path, body()], method === "POST" ? 201 : 200, undefined, `owner ${method} ${path}`);
    }
    const bMembers = await ok<{ members: { email: string }[] }>(v1("GET", "/api/v1/members", w.b));
    expect(bMembers.members.every((m) => m.email.startsWith("b-"))).toBe(true);
    const bTeams = await ok<{ teams: { id: string }[] }>(v1("GET", "/api/v1/teams", w.b));
    expect(bTeams.teams.some((t) => t.id === w.editors.id)).toBe(false);
  });

  it("lists only readable galleries to members; none to a member without rights or of another studio", async () => {
    const w = await richWorld();
    const names = async (k: Key) => (await ok<{ galleries: { id: string }[] }>(v1("GET", V1, k))).galleries.map((g) => g.id);
    expect(await names(w.reader)).toEqual([w.g.id]);
    expect(await names(w.writer)).toEqual([w.g.id]);
    expect(await names(w.none)).toEqual([]);
    expect(await names(w.bMember)).toEqual([w.gb.id]);
    expect((await names(w.a)).sort()).toEqual([w.g.id, w.g2.id].sort());
  });

  it("deleting a gallery needs manage; a member with manage may delete it", async () => {
    const w = await richWorld();
    for (const k of [w.reader, w.writer]) expect((await v1("DELETE", `${V1}/${w.g.id}`, k)).status).toBe(403);
    for (const k of [w.none, w.bMember, w.b]) expect((await v1("DELETE", `${V1}/${w.g.id}`, k)).status).toBe(404);
    expect((await v1("DELETE", `${V1}/${w.g.id}`, w.manager)).status).toBe(204);
    expect((await api("GET", `/api/collections/${w.g.id}`, w.a)).status).toBe(404);
  });

  it("addassets never links another studio's asset, nor one from a gallery the member cannot read", async () => {
    const w = await richWorld();
    const bFile = await uploadFile(w.b, w.gb.id, "b.jpg", bytes(3));
    expect((await v1("POST", `${V1}/${w.g.id}/addassets`, w.a, { asset_ids: [bFile.id] })).status).toBe(404);
    const hidden = await uploadFile(w.a, w.g2.id, "hidden.jpg", bytes(3));
    expect((await v1("POST", `${V1}/${w.g.id}/addassets`, w.writer, { asset_ids: [hidden.id] })).status).toBe(404);
    expect((await v1("POST", `${V1}/${w.g.id}/addassets`, w.a, { asset_ids: [hidden.id] })).status).toBe(200);
  });
});

describe("authentication", () => {
  it("needs a key: none -> 401, unknown -> 401, a drive key -> 403, a session cookie alone -> 401", async () => {
    const s = await registerStudio();
    const g = await createGallery(s);
    const drive = await registerAccount("drive");
    expect((await api("GET", `${V1}/${g.id}`, { key: "" })).status).toBe(401);
    expect((await api("GET", `${V1}/${g.id}`, { key: "mk_unknownunknownunknown" })).status).toBe(401);
    expect((await api("GET", `${V1}/${g.id}`, drive)).status).toBe(403);
    const res = await api("GET", `${V1}/${g.id}`, { key: "" }, undefined, { cookie: s.cookie });
    expect(res.status).toBe(401);
  });

  it("a member's rights end with the member: deleting them removes their own team's rights", async () => {
    const s = await registerStudio();
    const g = await createGallery(s);
    const m = await createMember(s, `gone-${s.studioId}@example.com`);
    await grant(s, g.id, m.own_team_id, "write");
    expect((await v1("DELETE", `/api/v1/members/${m.id}`, s)).status).toBe(204);
    const teams = await ok<{ teams: { id: string }[] }>(v1("GET", `${V1}/${g.id}/teams`, s));
    expect(teams.teams.some((t) => t.id === m.own_team_id)).toBe(false);
  });
});

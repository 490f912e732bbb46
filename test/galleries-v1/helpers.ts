import { api, call, keyHeaders, ok, registerStudio, type Studio } from "../factories";
import { bytes, uploadFile } from "../gallery/helpers";

export const V1 = "/api/v1/galleries";
export type Key = { key: string };

/** A v1 request with `who`'s key; the body as JSON. */
export const v1 = (method: string, path: string, who: Key, body?: unknown) => api(method, path, who, body);

/** The same request with the body as Rails-style urlencoded form fields. */
export function v1Form(method: string, path: string, who: Key, fields: [string, string][]) {
  return call(path, { method, headers: keyHeaders(who, { "content-type": "application/x-www-form-urlencoded" }), body: new URLSearchParams(fields) });
}

/** The same request with the parameters in the query string (Rails clients do this for PUT too). */
export function v1Query(method: string, path: string, who: Key, fields: [string, string][]) {
  return call(`${path}?${new URLSearchParams(fields)}`, { method, headers: keyHeaders(who) });
}

export async function createGallery(s: Key, name = "Wedding", description = "June, the lake") {
  return ok<{ id: string; name: string; description: string }>(v1("POST", V1, s, { gallery: { name, description } }), 201);
}

export async function createMember(s: Key, email: string, name = "") {
  const m = await ok<{ id: string; own_team_id: string }>(v1("POST", "/api/v1/members", s, { email, name }), 201);
  const k = await ok<{ api_key: string }>(v1("POST", `/api/v1/members/${m.id}/api_key`, s), 201);
  return { ...m, key: k.api_key };
}

export async function createTeam(s: Key, name: string, memberIds: string[]) {
  const t = await ok<{ id: string }>(v1("POST", "/api/v1/teams", s, { name }), 201);
  await ok(v1("PUT", `/api/v1/teams/${t.id}/members`, s, { member_ids: memberIds }));
  return t;
}

export async function grant(s: Key, galleryId: string, teamId: string, level: "read" | "write" | "manage") {
  return ok(v1("PUT", `${V1}/${galleryId}/teams`, s, { team_id: teamId, write: level !== "read", manage: level === "manage" }));
}

export async function assets(who: Key, galleryId: string) {
  return (await ok<{ assets: { id: string; name: string; dirname: string; size: number; url: string }[] }>(v1("GET", `${V1}/${galleryId}/assets?limit=500`, who))).assets;
}

export async function folders(who: Key, galleryId: string) {
  return (await ok<{ folders: string[] }>(v1("GET", `${V1}/${galleryId}/folders`, who))).folders;
}

/**
 * Studio A with gallery g (2 assets) and g2, and members: `reader` (read on g via own team),
 * `writer` (write on g via a normal team), `manager` (manage on g via own team), `none`;
 * studio B with a gallery and a member of its own with manage on it.
 */
export async function world() {
  const a: Studio = await registerStudio();
  const g = await createGallery(a);
  const g2 = await createGallery(a, "Portraits", "Autumn");
  const f1 = await uploadFile(a, g.id, "one.jpg", bytes(10));
  const f2 = await uploadFile(a, g.id, "two.jpg", bytes(20));
  const reader = await createMember(a, `reader-${a.studioId}@example.com`, "Rita Reader");
  const writer = await createMember(a, `writer-${a.studioId}@example.com`, "Walt Writer");
  const manager = await createMember(a, `manager-${a.studioId}@example.com`, "Mia Manager");
  const none = await createMember(a, `none-${a.studioId}@example.com`, "Ned None");
  const editors = await createTeam(a, "Editors", [writer.id]);
  await grant(a, g.id, reader.own_team_id, "read");
  await grant(a, g.id, editors.id, "write");
  await grant(a, g.id, manager.own_team_id, "manage");
  const b: Studio = await registerStudio();
  const gb = await createGallery(b, "B's");
  const bMember = await createMember(b, `b-${b.studioId}@example.com`);
  await grant(b, gb.id, bMember.own_team_id, "manage");
  return { a, g, g2, f1, f2, reader, writer, manager, none, editors, b, gb, bMember };
}

import { describe, expect, it } from "vitest";
import { api, call, keyHeaders, ok, registerStudio } from "../factories";
import { bytes, listFiles, studioRow, uploadFile } from "../gallery/helpers";
import { assets, createGallery, createMember, folders, grant, V1, v1, v1Form, v1Query, world } from "./helpers";

describe("galleries", () => {
  it("creates, shows, lists, updates and deletes a gallery, which is also a Client Gallery collection", async () => {
    const s = await registerStudio();
    const g = await createGallery(s, "Wedding", "June");
    expect(g).toMatchObject({ name: "Wedding", description: "June", asset_count: 0, access: "manage" });
    const col = await ok<{ id: string; name: string }>(api("GET", `/api/collections/${g.id}`, s));
    expect(col.name).toBe("Wedding");
    expect((col as Record<string, unknown>).headline).toBeUndefined();
    const list = await ok<{ galleries: { id: string; name: string }[]; next_cursor: string | null }>(v1("GET", V1, s));
    expect(list.galleries).toEqual([{ id: g.id, name: "Wedding" }]);
    const up = await ok(v1("PUT", `${V1}/${g.id}`, s, { gallery: { description: "July" } }));
    expect(up).toMatchObject({ name: "Wedding", description: "July" });
    expect((await v1("DELETE", `${V1}/${g.id}`, s)).status).toBe(204);
    expect((await api("GET", `/api/collections/${g.id}`, s)).status).toBe(404);
  });

  it("pages the list with next_cursor", async () => {
    const s = await registerStudio();
    for (const n of ["a", "b", "c"]) await createGallery(s, n);
    const p1 = await ok<{ galleries: { name: string }[]; next_cursor: string }>(v1("GET", `${V1}?limit=2`, s));
    expect(p1.galleries.map((x) => x.name)).toEqual(["c", "b"]);
    const p2 = await ok<{ galleries: { name: string }[]; next_cursor: null }>(v1("GET", `${V1}?limit=2&cursor=${p1.next_cursor}`, s));
    expect(p2.galleries.map((x) => x.name)).toEqual(["a"]);
    expect(p2.next_cursor).toBeNull();
  });

  it("accepts Rails form fields and top-level JSON (wrap_parameters) as well as gallery[...]", async () => {
    const s = await registerStudio();
    const q = await ok<{ id: string; name: string; description: string }>(v1Query("POST", V1, s, [["gallery[name]", "Form"], ["gallery[description]", "Via query"]]), 201);
    expect(q).toMatchObject({ name: "Form", description: "Via query" });
    const w = await ok(v1("POST", V1, s, { name: "Wrapped", description: "top level" }), 201);
    expect(w).toMatchObject({ name: "Wrapped", description: "top level" });
  });

  it("accepts urlencoded and multipart bodies with bracket names", async () => {
    const s = await registerStudio();
    const res = await v1Form("POST", V1, s, [["gallery[name]", "Form"], ["gallery[description]", "Body"]]);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ name: "Form", description: "Body" });
    const form = new FormData();
    form.append("gallery[name]", "Multipart");
    form.append("gallery[description]", "Body");
    const multi = await call(V1, { method: "POST", headers: keyHeaders(s), body: form });
    expect(await ok(multi, 201)).toMatchObject({ name: "Multipart" });
  });

  it("lists assets with name, type, size, dirname and a signed URL that serves the bytes", async () => {
    const s = await registerStudio();
    const g = await createGallery(s);
    await uploadFile(s, g.id, "one.jpg", bytes(10));
    const [a] = await assets(s, g.id);
    expect(a).toMatchObject({ name: "one.jpg", type: "image/jpeg", size: 10, dirname: "" });
    expect(a!.url).toContain("/api/media?t=");
  });
});

describe("addassets", () => {
  it("links an asset into another gallery: one object, counted once, kept until no gallery holds it", async () => {
    const s = await registerStudio();
    const g1 = await createGallery(s, "One");
    const g2 = await createGallery(s, "Two");
    const f = await uploadFile(s, g1.id, "shared.jpg", bytes(100));
    const added = await ok<{ assets: { id: string; name: string }[] }>(v1("POST", `${V1}/${g2.id}/addassets`, s, { asset_ids: [f.id] }));
    expect(added.assets.map((x) => x.name)).toEqual(["shared.jpg"]);
    // Again: nothing new.
    await ok(v1("POST", `${V1}/${g2.id}/addassets`, s, { asset_ids: [f.id] }));
    expect(await assets(s, g2.id)).toHaveLength(1);
    expect((await studioRow(s.studioId)).used).toBe(100);
    // The Client Gallery API shows it in both collections.
    expect((await listFiles(s, g2.id)).files).toHaveLength(1);
    expect((await v1("DELETE", `${V1}/${g1.id}`, s)).status).toBe(204);
    expect((await studioRow(s.studioId)).used).toBe(100);
    const [left] = await assets(s, g2.id);
    const media = await api("GET", new URL(left!.url).pathname + new URL(left!.url).search, s);
    expect(media.status).toBe(200);
    expect((await v1("DELETE", `${V1}/${g2.id}`, s)).status).toBe(204);
    expect((await studioRow(s.studioId)).used).toBe(0);
  });
});

describe("folders", () => {
  it("creates, renames and moves folders; assets follow their folder", async () => {
    const s = await registerStudio();
    const g = await createGallery(s);
    const f = await uploadFile(s, g.id, "a.jpg", bytes(5));
    await ok(v1("PUT", `${V1}/${g.id}/create_folder`, s, { dirname: "", name: "Day 1" }));
    await ok(v1("PUT", `${V1}/${g.id}/create_folder`, s, { dirname: "Day 1", name: "Ceremony" }));
    await ok(v1("PUT", `${V1}/${g.id}/create_folder`, s, { dirname: "", name: "Picks", storage: "default" }));
    await ok(v1("PUT", `${V1}/${g.id}/move_contents`, s, { target_folder: { dirname: "Day 1/Ceremony" }, asset_ids: [f.id] }));
    await ok(v1("PUT", `${V1}/${g.id}/rename_folder`, s, { folder: { dirname: "Day 1" }, name: "Saturday" }));
    expect((await assets(s, g.id))[0]!.dirname).toBe("Saturday/Ceremony");
    await ok(v1("PUT", `${V1}/${g.id}/move_contents`, s, { target_folder: { dirname: "Picks" }, folders: [{ container_id: g.id, dirname: "Saturday/Ceremony" }] }));
    expect(await folders(s, g.id)).toEqual(["Picks", "Picks/Ceremony", "Saturday"]);
    expect((await assets(s, g.id))[0]!.dirname).toBe("Picks/Ceremony");
    const renamed = await ok<{ asset: { name: string } }>(v1("PUT", `${V1}/${g.id}/rename_asset`, s, { asset_id: f.id, name: "best.jpg" }));
    expect(renamed.asset.name).toBe("best.jpg");
  });

  it("replaces clashing items with mode overwrite and frees the replaced bytes", async () => {
    const s = await registerStudio();
    const g = await createGallery(s);
    await ok(v1("PUT", `${V1}/${g.id}/create_folder`, s, { dirname: "", name: "In" }));
    const old = await uploadFile(s, g.id, "x.jpg", bytes(30));
    const neu = await uploadFile(s, g.id, "x.jpg", bytes(7));
    await ok(v1("PUT", `${V1}/${g.id}/move_contents`, s, { target_folder: { dirname: "In" }, asset_ids: [neu.id] }));
    const res = await ok<{ replaced: { names: string[] } }>(
      v1("PUT", `${V1}/${g.id}/move_contents`, s, { target_folder: { dirname: "" }, asset_ids: [neu.id], mode: "overwrite" }),
    );
    expect(res.replaced.names).toEqual(["x.jpg"]);
    const left = await assets(s, g.id);
    expect(left.map((a) => [a.id, a.dirname])).toEqual([[neu.id, ""]]);
    expect(left.some((a) => a.id === old.id)).toBe(false);
    expect((await studioRow(s.studioId)).used).toBe(7);
  });

  it("takes folder routes as Rails fields in the query string and the form body: folders[][container_id], folders[][dirname], asset_ids[]", async () => {
    const s = await registerStudio();
    const g = await createGallery(s);
    const f = await uploadFile(s, g.id, "a.jpg", bytes(5));
    await ok(v1Query("PUT", `${V1}/${g.id}/create_folder`, s, [["dirname", ""], ["name", "A"]]));
    await ok(v1Query("PUT", `${V1}/${g.id}/create_folder`, s, [["dirname", ""], ["name", "B"]]));
    await ok(
      v1Form("PUT", `${V1}/${g.id}/move_contents`, s, [
        ["target_folder[dirname]", "B"],
        ["folders[][container_id]", g.id],
        ["folders[][dirname]", "A"],
        ["asset_ids[]", f.id],
      ]),
    );
    expect(await folders(s, g.id)).toEqual(["B", "B/A"]);
    expect((await assets(s, g.id))[0]!.dirname).toBe("B");
  });
});

describe("members, teams, rights", () => {
  it("shows each team's rights and each member's effective rights with the teams giving them", async () => {
    const w = await world();
    const teams = await ok<{ teams: { id: string; access: string; own_team: boolean }[] }>(v1("GET", `${V1}/${w.g.id}/teams`, w.a));
    expect(teams.teams.find((t) => t.id === w.editors.id)).toMatchObject({ access: "write", own_team: false });
    const eff = await ok<{ members: { id: string; access: string; teams: { id: string }[] }[] }>(v1("GET", `${V1}/${w.g.id}/effective_access_rights`, w.a));
    const byId = new Map(eff.members.map((m) => [m.id, m]));
    expect(byId.get(w.reader.id)?.access).toBe("read");
    expect(byId.get(w.writer.id)).toMatchObject({ access: "write", teams: [{ id: w.editors.id }] });
    expect(byId.get(w.manager.id)?.access).toBe("manage");
    expect(byId.has(w.none.id)).toBe(false);
  });

  it("bulk-grants every own team, per gallery and per team everywhere, and revokes", async () => {
    const w = await world();
    await ok(v1Form("PUT", `${V1}/${w.g2.id}/update_teams`, w.a, [["own_teams", "1"], ["write", "false"]]));
    expect((await v1("GET", `${V1}/${w.g2.id}`, w.none)).status).toBe(200);
    await ok(v1("PUT", `${V1}/${w.g2.id}/update_teams`, w.a, { own_teams: "true", revoke: true }));
    expect((await v1("GET", `${V1}/${w.g2.id}`, w.none)).status).toBe(404);
    const all = await ok<{ galleries: number }>(v1("PUT", `${V1}/update_teams/${w.editors.id}`, w.a, { write: "1" }));
    expect(all.galleries).toBe(2);
    expect((await v1("PUT", `${V1}/${w.g2.id}`, w.writer, { gallery: { name: "Renamed" } })).status).toBe(200);
    await ok(v1("PUT", `${V1}/update_teams/${w.editors.id}`, w.a, { revoke: true }));
    expect((await v1("GET", `${V1}/${w.g2.id}`, w.writer)).status).toBe(404);
  });

  it("member keys rotate, and a deleted member's key stops working", async () => {
    const s = await registerStudio();
    const g = await createGallery(s);
    const m = await createMember(s, "m@example.com");
    await grant(s, g.id, m.own_team_id, "read");
    const k2 = await ok<{ api_key: string }>(v1("POST", `/api/v1/members/${m.id}/api_key`, s), 201);
    expect((await v1("GET", `${V1}/${g.id}`, m)).status).toBe(401);
    expect((await v1("GET", `${V1}/${g.id}`, { key: k2.api_key })).status).toBe(200);
    expect((await v1("DELETE", `/api/v1/members/${m.id}`, s)).status).toBe(204);
    expect((await v1("GET", `${V1}/${g.id}`, { key: k2.api_key })).status).toBe(401);
  });
});

describe("metadata", () => {
  it("stores typed values from the hash of hashes and clears with null", async () => {
    const s = await registerStudio();
    const g = await createGallery(s);
    const num = await ok<{ id: string }>(v1("POST", "/api/v1/custom_metadata_fields", s, { name: "Guests", field_type: "number" }), 201);
    const sel = await ok<{ id: string }>(v1("POST", "/api/v1/custom_metadata_fields", s, { name: "Season", field_type: "select", options: ["Spring", "Summer"] }), 201);
    const res = await ok<{ custom_metadata: { custom_metadata_field: string; value: unknown }[] }>(
      v1("PUT", `${V1}/${g.id}/update_metadata`, s, { custom_metadata: { "0": { custom_metadata_field: num.id, value: "120" }, "1": { custom_metadata_field: sel.id, value: "Summer" } } }),
    );
    expect(res.custom_metadata.map((m) => m.value).sort()).toEqual([120, "Summer"].sort());
    await ok(v1Form("PUT", `${V1}/${g.id}/update_metadata`, s, [["custom_metadata[0][custom_metadata_field]", num.id], ["custom_metadata[0][value]", ""]]));
    const after = await ok<{ custom_metadata: unknown[] }>(v1("GET", `${V1}/${g.id}/custom_metadata`, s));
    expect(after.custom_metadata).toHaveLength(1);
  });
});

describe("demo data", () => {
  it("seeds one v1 gallery with folders, a member in a team with write access and a field", async () => {
    const { env } = await import("cloudflare:workers");
    const { getDb } = await import("../../src/db");
    const { seedGalleriesV1Demo } = await import("../../src/galleries-v1/demo");
    const s = await registerStudio();
    await seedGalleriesV1Demo(getDb(env.DB), s.profileId, Date.now());
    const list = await ok<{ galleries: { id: string; name: string }[] }>(v1("GET", V1, s));
    expect(list.galleries.map((g) => g.name)).toEqual(["Demo wedding"]);
    expect(await folders(s, list.galleries[0]!.id)).toEqual(["Ceremony", "Reception"]);
    const eff = await ok<{ members: { email: string; access: string }[] }>(v1("GET", `${V1}/${list.galleries[0]!.id}/effective_access_rights`, s));
    expect(eff.members).toEqual([expect.objectContaining({ email: "assistant@demo.gellhub.dev", access: "write" })]);
  });
});

describe("the Client Gallery API on the shared model", () => {
  it("deleting a linked file in one collection keeps the object for the other; the last one frees it", async () => {
    const s = await registerStudio();
    const g1 = await createGallery(s, "One");
    const g2 = await createGallery(s, "Two");
    const f = await uploadFile(s, g1.id, "shared.jpg", bytes(50));
    const linked = (await ok<{ assets: { id: string }[] }>(v1("POST", `${V1}/${g2.id}/addassets`, s, { asset_ids: [f.id] }))).assets[0]!;
    expect((await api("DELETE", `/api/collections/${g1.id}/files/${f.id}`, s)).status).toBe(204);
    expect((await studioRow(s.studioId)).used).toBe(50);
    const [left] = (await listFiles(s, g2.id)).files;
    expect((await api("GET", new URL(left!.url).pathname + new URL(left!.url).search, s)).status).toBe(200);
    expect((await api("DELETE", `/api/collections/${g2.id}/files/${linked.id}`, s)).status).toBe(204);
    expect((await studioRow(s.studioId)).used).toBe(0);
    expect((await api("GET", new URL(left!.url).pathname + new URL(left!.url).search, s)).status).toBe(404);
  });

  it("deleting a collection through the Client Gallery API removes its folders, rights and metadata", async () => {
    const { env } = await import("cloudflare:workers");
    const s = await registerStudio();
    const g = await createGallery(s);
    const m = await createMember(s, `cg-${s.studioId}@example.com`);
    await grant(s, g.id, m.own_team_id, "write");
    await ok(v1("PUT", `${V1}/${g.id}/create_folder`, s, { dirname: "", name: "F" }));
    const field = await ok<{ id: string }>(v1("POST", "/api/v1/custom_metadata_fields", s, { name: "N", field_type: "string" }), 201);
    await ok(v1("PUT", `${V1}/${g.id}/update_metadata`, s, { custom_metadata: [{ custom_metadata_field: field.id, value: "x" }] }));
    expect((await api("DELETE", `/api/collections/${g.id}`, s)).status).toBe(204);
    for (const table of ["gallery_folders", "gallery_team_rights", "gallery_metadata"]) {
      const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE collection_id = ?`).bind(g.id).first<{ n: number }>();
      expect(row?.n, table).toBe(0);
    }
  });
});

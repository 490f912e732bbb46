import { describe, expect, it } from "vitest";
import { call, keyHeaders, ok, registerStudio } from "../factories";
import { bytes, uploadFile } from "../gallery/helpers";
import { assets, createGallery, createMember, folders, V1, v1 } from "./helpers";

async function setup() {
  const s = await registerStudio();
  const g = await createGallery(s);
  const put = (route: string, body: unknown) => v1("PUT", `${V1}/${g.id}/${route}`, s, body);
  return { s, g, put };
}

async function expectError(res: Response | Promise<Response>, status: number, code: string) {
  const r = await res;
  const body = (await r.json()) as { error: string; detail: unknown };
  expect(r.status, JSON.stringify(body)).toBe(status);
  expect(body.error).toBe(code);
  return body;
}

describe("validation", () => {
  it("requires gallery[name] and gallery[description], and answers bad JSON with invalid_json", async () => {
    const s = await registerStudio();
    await expectError(v1("POST", V1, s, { gallery: { name: "x" } }), 400, "invalid_request");
    await expectError(v1("POST", V1, s, { gallery: { name: "", description: "" } }), 400, "invalid_request");
    await expectError(call(V1, { method: "POST", headers: keyHeaders(s, { "content-type": "application/json" }), body: "{nope" }), 400, "invalid_json");
  });

  it("refuses folder names with /, . or .., control characters or over 255 characters, and storages but default", async () => {
    const { put } = await setup();
    for (const name of ["a/b", "..", ".", "bad\u0007", "x".repeat(256), "", "back\\slash"]) {
      await expectError(put("create_folder", { dirname: "", name }), 400, "invalid_request");
    }
    await expectError(put("create_folder", { dirname: "../x", name: "ok" }), 400, "invalid_request");
    await expectError(put("create_folder", { dirname: "", name: "ok", storage: "s3" }), 400, "invalid_request");
  });

  it("refuses booleans other than true/false/1/0", async () => {
    const { g, s } = await setup();
    const m = await createMember(s, `m-${s.studioId}@example.com`);
    await expectError(v1("PUT", `${V1}/${g.id}/teams`, s, { team_id: m.own_team_id, write: "yes" }), 400, "invalid_request");
    await expectError(v1("PUT", `${V1}/${g.id}/update_teams`, s, { write: true }), 400, "invalid_request");
  });
});

describe("folders", () => {
  it("404 for a missing parent, folder or asset", async () => {
    const { put } = await setup();
    await expectError(put("create_folder", { dirname: "nope", name: "x" }), 404, "not_found");
    await expectError(put("rename_folder", { folder: { dirname: "nope" }, name: "x" }), 404, "not_found");
    await expectError(put("rename_asset", { asset_id: "gf_nope", name: "x" }), 404, "not_found");
    await expectError(put("move_contents", { target_folder: { dirname: "nope" }, asset_ids: [] }), 404, "not_found");
  });

  it("409 name_conflict for a taken folder or asset name, listing it", async () => {
    const { s, g, put } = await setup();
    const f = await uploadFile(s, g.id, "a.jpg", bytes(3));
    await uploadFile(s, g.id, "b.jpg", bytes(3));
    await ok(put("create_folder", { dirname: "", name: "A" }));
    await ok(put("create_folder", { dirname: "", name: "B" }));
    const body = await expectError(put("create_folder", { dirname: "", name: "A" }), 409, "name_conflict");
    expect(body.detail).toEqual([{ path: "A", message: expect.any(String) }]);
    await expectError(put("create_folder", { dirname: "", name: "a.jpg" }), 409, "name_conflict");
    await expectError(put("rename_folder", { folder: { dirname: "A" }, name: "B" }), 409, "name_conflict");
    await expectError(put("rename_asset", { asset_id: f.id, name: "b.jpg" }), 409, "name_conflict");
  });

  it("moves all or nothing: one clash and nothing moves", async () => {
    const { s, g, put } = await setup();
    const clash = await uploadFile(s, g.id, "same.jpg", bytes(3));
    const free = await uploadFile(s, g.id, "free.jpg", bytes(3));
    await ok(put("create_folder", { dirname: "", name: "T" }));
    await ok(put("create_folder", { dirname: "", name: "Sub" }));
    await uploadFile(s, g.id, "same.jpg", bytes(4)).then((x) => ok(put("move_contents", { target_folder: { dirname: "T" }, asset_ids: [x.id] })));
    const body = await expectError(
      put("move_contents", { target_folder: { dirname: "T" }, asset_ids: [clash.id, free.id], folders: [{ container_id: g.id, dirname: "Sub" }] }),
      409,
      "name_conflict",
    );
    expect(body.detail).toEqual([{ path: "T/same.jpg", message: expect.any(String) }]);
    const where = new Map((await assets(s, g.id)).map((a) => [a.id, a.dirname]));
    expect(where.get(clash.id)).toBe("");
    expect(where.get(free.id)).toBe("");
    expect(await folders(s, g.id)).toEqual(["Sub", "T"]);
  });

  it("400 invalid_move for a folder into itself or beneath itself, the root, or another gallery's folder", async () => {
    const { s, g, put } = await setup();
    await ok(put("create_folder", { dirname: "", name: "A" }));
    await ok(put("create_folder", { dirname: "A", name: "B" }));
    const fold = (dirname: string, container_id = g.id) => ({ container_id, dirname });
    await expectError(put("move_contents", { target_folder: { dirname: "A" }, folders: [fold("A")] }), 400, "invalid_move");
    await expectError(put("move_contents", { target_folder: { dirname: "A/B" }, folders: [fold("A")] }), 400, "invalid_move");
    await expectError(put("move_contents", { target_folder: { dirname: "A" }, folders: [fold("")] }), 400, "invalid_move");
    const other = await createGallery(s, "Other");
    await expectError(put("move_contents", { target_folder: { dirname: "" }, folders: [fold("A/B", other.id)] }), 400, "invalid_move");
    expect(await folders(s, g.id)).toEqual(["A", "A/B"]);
  });
});

describe("metadata", () => {
  it("checks each value against its field type and writes nothing when one entry is bad", async () => {
    const { s, g, put } = await setup();
    const field = async (name: string, field_type: string, options?: string[]) =>
      (await ok<{ id: string }>(v1("POST", "/api/v1/custom_metadata_fields", s, { name, field_type, options }), 201)).id;
    const num = await field("n", "number");
    const date = await field("d", "date");
    const bool = await field("b", "boolean");
    const sel = await field("s", "select", ["x", "y"]);
    const text = await field("t", "string");
    const bad: [string, unknown][] = [
      [num, "twelve"],
      [date, "2026-02-30"],
      [date, "yesterday"],
      [bool, "maybe"],
      [sel, "z"],
      [text, "line\nbreak"],
      ["cmf_unknown", "x"],
    ];
    for (const [f, value] of bad) {
      const body = await expectError(put("update_metadata", { custom_metadata: { "0": { custom_metadata_field: text, value: "fine" }, "1": { custom_metadata_field: f, value } } }), 400, "invalid_request");
      expect(JSON.stringify(body.detail)).toContain("custom_metadata.1");
    }
    expect((await ok<{ custom_metadata: unknown[] }>(v1("GET", `${V1}/${g.id}/custom_metadata`, s))).custom_metadata).toEqual([]);
    await expectError(v1("POST", "/api/v1/custom_metadata_fields", s, { name: "s2", field_type: "select" }), 400, "invalid_request");
    await expectError(v1("POST", "/api/v1/custom_metadata_fields", s, { name: "n", field_type: "number" }), 409, "name_conflict");
  });
});

describe("members and teams", () => {
  it("409 member_exists for a known email; own teams cannot be renamed, deleted or given members", async () => {
    const s = await registerStudio();
    const m = await createMember(s, `dup-${s.studioId}@example.com`);
    await expectError(v1("POST", "/api/v1/members", s, { email: `DUP-${s.studioId}@example.com` }), 409, "member_exists");
    await expectError(v1("PATCH", `/api/v1/teams/${m.own_team_id}`, s, { name: "x" }), 400, "own_team_not_editable");
    await expectError(v1("DELETE", `/api/v1/teams/${m.own_team_id}`, s), 400, "own_team_not_editable");
    await expectError(v1("PUT", `/api/v1/teams/${m.own_team_id}/members`, s, { member_ids: [] }), 400, "own_team_not_editable");
    const t = await ok<{ id: string }>(v1("POST", "/api/v1/teams", s, { name: "T" }), 201);
    await expectError(v1("PUT", `/api/v1/teams/${t.id}/members`, s, { member_ids: ["mem_nope"] }), 404, "not_found");
  });
});

describe("form bodies", () => {
  it("refuses a form body over 1 MiB with 413 and unusable bracket names with 400", async () => {
    const s = await registerStudio();
    const big = await call(V1, { method: "POST", headers: keyHeaders(s, { "content-type": "application/x-www-form-urlencoded" }), body: `gallery[name]=${"x".repeat(1024 * 1024 + 10)}` });
    expect(big.status).toBe(413);
    const odd = await call(V1, { method: "POST", headers: keyHeaders(s, { "content-type": "application/x-www-form-urlencoded" }), body: "gallery[name=x&gallery[description]=y" });
    await expectError(odd, 400, "invalid_request");
  });
});

import { describe, expect, it } from "vitest";
import { call, expectLoginRedirect, ok, registerStudio, sessionHeaders, submitForm } from "../factories";
import { bytes, uploadFile } from "../gallery/helpers";
import { assets, createGallery, createMember, folders, V1, v1 } from "./helpers";

const page = (s: { cookie: string }, path: string) => call(path, { headers: sessionHeaders(s) });

describe("dashboard pages", () => {
  it("need a session", async () => {
    await expectLoginRedirect("/dashboard/members", "/login?next=%2Fdashboard%2Fmembers");
    await expectLoginRedirect("/dashboard/galleries/col_x", "/login?next=%2Fdashboard%2Fgalleries%2Fcol_x");
  });

  it("show a gallery's folders, assets, rights and metadata, and change them through forms", async () => {
    const s = await registerStudio();
    const g = await createGallery(s, "Lake wedding");
    const f = await uploadFile(s, g.id, "kiss.jpg", bytes(5));
    const m = await createMember(s, `p-${s.studioId}@example.com`, "Pia");
    const field = await ok<{ id: string }>(v1("POST", "/api/v1/custom_metadata_fields", s, { name: "Guests", field_type: "number" }), 201);
    const base = `/dashboard/galleries/${g.id}`;
    expect((await submitForm(s, `${base}/folders`, { parent: "", name: "Ceremony" })).status).toBe(303);
    expect((await submitForm(s, `${base}/move`, { asset_id: f.id, target: "Ceremony" })).status).toBe(303);
    expect((await submitForm(s, `${base}/rights`, { team_id: m.own_team_id, level: "write" })).status).toBe(303);
    expect((await submitForm(s, `${base}/metadata`, { [`field_${field.id}`]: "80" })).status).toBe(303);
    expect(await folders(s, g.id)).toEqual(["Ceremony"]);
    expect((await assets(s, g.id))[0]!.dirname).toBe("Ceremony");
    const html = await (await page(s, base)).text();
    expect(html).toContain("Lake wedding");
    expect(html).toContain('data-folder="Ceremony"');
    expect(html).toContain("kiss.jpg");
    expect(html).toContain("Pia");
    expect(html).toContain('value="80"');
    const clash = await submitForm(s, `${base}/folders`, { parent: "", name: "Ceremony" });
    expect(clash.status).toBe(409);
    expect(await clash.text()).toContain("name_conflict");
  });

  it("another studio's gallery is a 404 page", async () => {
    const a = await registerStudio();
    const b = await registerStudio();
    const g = await createGallery(a);
    expect((await page(b, `/dashboard/galleries/${g.id}`)).status).toBe(404);
    expect((await submitForm(b, `/dashboard/galleries/${g.id}/folders`, { parent: "", name: "x" })).status).toBe(404);
    expect(await folders(a, g.id)).toEqual([]);
  });

  it("Members & Teams invites, creates keys shown once, builds teams and grants them every gallery", async () => {
    const s = await registerStudio();
    const g = await createGallery(s);
    expect((await submitForm(s, "/dashboard/members", { email: `inv-${s.studioId}@example.com`, name: "Ina" })).status).toBe(303);
    const members = await ok<{ members: { id: string }[] }>(v1("GET", "/api/v1/members", s));
    const id = members.members[0]!.id;
    const keyPage = await submitForm(s, `/dashboard/members/${id}/key`);
    expect(keyPage.status).toBe(200);
    expect(keyPage.headers.get("cache-control")).toBe("no-store");
    const key = /data-testid="member-key">(mk_[^<]+)</.exec(await keyPage.text())![1]!;
    expect((await submitForm(s, "/dashboard/teams", { name: "Retouch" })).status).toBe(303);
    const teams = await ok<{ teams: { id: string; own_team: boolean }[] }>(v1("GET", "/api/v1/teams", s));
    const team = teams.teams.find((t) => !t.own_team)!;
    expect((await submitForm(s, `/dashboard/teams/${team.id}/members`, { member_ids: id })).status).toBe(303);
    expect((await submitForm(s, `/dashboard/teams/${team.id}/everywhere`, { level: "write" })).status).toBe(303);
    expect((await v1("PUT", `${V1}/${g.id}`, { key }, { gallery: { name: "By Ina" } })).status).toBe(200);
    expect((await submitForm(s, "/dashboard/fields", { name: "Season", field_type: "select", options: "Spring, Summer" })).status).toBe(303);
    const html = await (await page(s, "/dashboard/members")).text();
    expect(html).toContain("Retouch");
    expect(html).toContain("Spring, Summer");
    expect(html).not.toContain(key);
  });
});

describe("Shared with me", () => {
  it("shows a member, signed in with a verified email, the galleries they can read, with write actions only where allowed", async () => {
    const { env } = await import("cloudflare:workers");
    const studio = await registerStudio();
    const g = await createGallery(studio, "Shared shoot");
    await createGallery(studio, "Private shoot");
    const person = await registerStudio();
    const m = await createMember(studio, person.email, "Person");
    await ok(v1("PUT", `${V1}/${g.id}/teams`, studio, { team_id: m.own_team_id }));
    // Not verified yet: nothing is shared.
    expect(await (await page(person, "/dashboard/shared")).text()).toContain("Nothing is shared with you yet.");
    expect((await page(person, `/dashboard/galleries/${g.id}`)).status).toBe(404);
    await env.DB.prepare("UPDATE profiles SET google_subject = ? WHERE id = ?").bind(`sub-${person.profileId}`, person.profileId).run();
    const shared = await (await page(person, "/dashboard/shared")).text();
    expect(shared).toContain("Shared shoot");
    expect(shared).not.toContain("Private shoot");
    const html = await (await page(person, `/dashboard/galleries/${g.id}`)).text();
    expect(html).toContain("Shared shoot");
    expect(html).not.toContain('aria-label="Create folder"');
    const denied = await submitForm(person, `/dashboard/galleries/${g.id}/folders`, { parent: "", name: "x" });
    expect(denied.status).toBe(403);
    await ok(v1("PUT", `${V1}/${g.id}/teams`, studio, { team_id: m.own_team_id, write: "true" }));
    expect((await submitForm(person, `/dashboard/galleries/${g.id}/folders`, { parent: "", name: "x" })).status).toBe(303);
    expect(await folders(studio, g.id)).toEqual(["x"]);
  });
});

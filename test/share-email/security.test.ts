import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Browser, call, ok, registerStudio, uniqueEmail } from "../factories";
import { createGallery, V1, v1, world } from "../galleries-v1/helpers";
import { latestShare, linkRow, mailbox, registerAndAccept, share, shareWith } from "./helpers";

describe("share_via_email: who may share", () => {
  it("needs manage access: a manager may, a reader or a writer gets 403, a member without access and another studio get 404", async () => {
    const w = await world();
    const email = uniqueEmail("sec");
    expect((await share(w.manager, w.g.id, { email })).status).toBe(200);
    for (const who of [w.reader, w.writer]) {
      const res = await share(who, w.g.id, { email: uniqueEmail("x") });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: string }).error).toBe("manage_access_required");
    }
    for (const who of [w.none, w.b, w.bMember]) expect((await share(who, w.g.id, { email: uniqueEmail("x") })).status).toBe(404);
    // Studio B's own member may share B's gallery, never A's.
    expect((await share(w.bMember, w.gb.id, { email: uniqueEmail("b") })).status).toBe(200);
  });

  it("another studio's key leaves no trace: no member, no grant, no email", async () => {
    const w = await world();
    const email = uniqueEmail("leak");
    expect((await share(w.b, w.g.id, { email })).status).toBe(404);
    const members = await ok<{ members: { email: string }[] }>(v1("GET", "/api/v1/members", w.a));
    const bMembers = await ok<{ members: { email: string }[] }>(v1("GET", "/api/v1/members", w.b));
    expect([...members.members, ...bMembers.members].map((m) => m.email)).not.toContain(email);
    expect((await mailbox()).map((m) => m.to)).not.toContain(email);
    expect(await call(`${V1}/${w.g.id}/share_via_email`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ email }) }).then((r) => r.status)).toBe(401);
  });

  it("an accepted link opens only the galleries of its studio the member can read", async () => {
    const a = await registerStudio();
    const b = await registerStudio();
    const ga = await createGallery(a, "A's");
    const gb = await createGallery(b, "B's");
    const { path } = await shareWith(a, ga.id);
    const { browser } = await registerAndAccept(path);
    expect((await browser.fetch(`/dashboard/galleries/${ga.id}`)).status).toBe(200);
    expect((await browser.fetch(`/dashboard/galleries/${gb.id}`)).status).toBe(404);
  });
});

describe("share links", () => {
  it("are stored only as SHA-256 and never answered by the API", async () => {
    const a = await registerStudio();
    const g = await createGallery(a);
    const { token, shared } = await shareWith(a, g.id);
    const rows = await env.DB.prepare("SELECT * FROM gallery_share_links WHERE collection_id = ?").bind(g.id).all();
    const stored = JSON.stringify(rows.results);
    expect(stored).not.toContain(token);
    const digest = [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)))].map((x) => x.toString(16).padStart(2, "0")).join("");
    expect(rows.results[0]).toMatchObject({ token_hash: digest });
    expect(JSON.stringify(shared)).not.toContain(token);
    expect(token.length).toBeGreaterThanOrEqual(43);
  });

  it("refuse a cross-site accept (a foreign Origin) and stay unspent", async () => {
    const a = await registerStudio();
    const g = await createGallery(a);
    const { path } = await shareWith(a, g.id);
    const browser = new Browser();
    const res = await browser.fetch(path, { method: "POST", headers: { origin: "https://evil.example" }, body: new URLSearchParams({ action: "register", displayName: "E", password: "correct horse battery" }) });
    expect(res.status).toBe(403);
    expect((await linkRow(g.id)).results[0]).toMatchObject({ used_at: null });
    expect((await new Browser().fetch(path)).status).toBe(200);
  });

  it("are spent exactly once when accepted in parallel", async () => {
    const a = await registerStudio();
    const g = await createGallery(a);
    const { path, email } = await shareWith(a, g.id);
    const first = await registerAndAccept(path);
    expect(first.res.status).toBe(303);
    // Re-open an identical link for the same person, then race it from two signed-in browsers.
    await ok(share(a, g.id, { email }));
    const { path: fresh } = await latestShare(email);
    const b1 = new Browser();
    const b2 = new Browser();
    for (const b of [b1, b2]) await b.postJson("/api/login", { email, password: "correct horse battery" });
    const results = await Promise.all([b1.postForm(fresh, { action: "accept" }), b2.postForm(fresh, { action: "accept" })]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 410]);
  });

  it("a login that registered the invited email without the link sees nothing shared until it accepts", async () => {
    const a = await registerStudio();
    const g = await createGallery(a);
    const email = uniqueEmail("squat");
    const browser = new Browser();
    expect((await browser.postJson("/api/register", { email, password: "correct horse battery", displayName: "Squat", accountType: "drive" })).status).toBe(201);
    await ok(share(a, g.id, { email }));
    expect(await (await browser.fetch("/dashboard/shared")).text()).not.toContain(`data-gallery-id="${g.id}"`);
    expect((await browser.fetch(`/dashboard/galleries/${g.id}`)).status).toBe(404);
    const { path } = await latestShare(email);
    expect((await browser.postForm(path, { action: "accept" })).status).toBe(303);
    expect(await (await browser.fetch("/dashboard/shared")).text()).toContain(`data-gallery-id="${g.id}"`);
  });
});

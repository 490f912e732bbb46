import { describe, expect, it } from "vitest";
import { api, Browser, call } from "../factories";
import { share, sharedGallery, visitor } from "./helpers";

const putJson = (b: Browser, path: string, body: unknown) => b.fetch(path, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("share settings validation", () => {
  it("refuses bad input with 400 invalid_request and changes nothing", async () => {
    const { s, col, link } = await sharedGallery({}, 1);
    for (const body of [
      { pin: "12345" },
      { pin: "abcd" },
      { password: "abc" },
      { downloads: "all" },
      { expiresAt: "2026-02-30" },
      { expiresAt: "tomorrow" },
      { enabled: "yes" },
      { slug: "mine" },
    ]) {
      const res = await api("POST", `/api/collections/${col.id}/share`, s, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()) as object).toMatchObject({ error: "invalid_request" });
    }
    expect((await api("POST", `/api/collections/${col.id}/share`, s, { coverFileId: "gf_nope" })).status).toBe(404);
    expect((await api("POST", `/api/collections/col_nope/share`, s, {})).status).toBe(404);
    const read = (await (await api("GET", `/api/collections/${col.id}/share`, s)).json()) as typeof link;
    expect(read).toEqual(link);
  });
});

describe("link lifecycle", () => {
  it("a regenerated slug stops the old link and its cookies at once; the new one works", async () => {
    const { s, col, path } = await sharedGallery({ password: "letmein" });
    const v = await visitor(path, "letmein");
    const next = await share(s, col.id, { regenerateSlug: true });
    const newPath = new URL(next.url!).pathname;
    expect(newPath).not.toBe(path);
    for (const p of [path, `${path}/download?list=all`]) expect((await v.fetch(p)).status).toBe(404);
    expect((await call(newPath)).status).toBe(401);
    expect((await (await visitor(newPath, "letmein")).fetch(newPath)).status).toBe(200);
  });

  it("a switched-off link is a 404 page; switched on again it works", async () => {
    const { s, col, path } = await sharedGallery();
    await share(s, col.id, { enabled: false });
    const off = await call(path);
    expect(off.status).toBe(404);
    expect(await off.text()).toContain("Gallery not found");
    await share(s, col.id, { enabled: true });
    expect((await call(path)).status).toBe(200);
  });

  it("after the expiry date the page says it expired, and nothing is deleted", async () => {
    const { s, col, path } = await sharedGallery({ expiresAt: "2020-01-01" });
    const res = await call(path);
    expect(res.status).toBe(410);
    expect(await res.text()).toContain("This gallery has expired");
    expect((await call(`${path}/download?list=all`)).status).toBe(410);
    const files = (await (await api("GET", `/api/collections/${col.id}/files`, s)).json()) as { files: unknown[] };
    expect(files.files).toHaveLength(3);
    await share(s, col.id, { expiresAt: null });
    expect((await call(path)).status).toBe(200);
  });

  it("an unknown slug is a 404 page", async () => {
    expect((await call("/g/AAAAAAAAAAAAAAAAAAAAAA")).status).toBe(404);
    expect((await call("/g/x")).status).toBe(404);
  });
});

describe("downloads", () => {
  it("downloads off: ZIP and single downloads are 403 downloads_disabled and the page offers none", async () => {
    const { files, path } = await sharedGallery({ downloads: "none" });
    const b = await visitor(path);
    const page = await (await b.fetch(path)).text();
    expect(page).not.toContain("Download all");
    for (const p of [`${path}/download?list=all`, `${path}/files/${files[0]!.id}/download`]) {
      const res = await b.fetch(p);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: "downloads_disabled" });
    }
  });

  it("with a PIN: downloads need it, a wrong PIN is 403, the right one unlocks, and guesses are rate-limited", async () => {
    const { files, path } = await sharedGallery({ pin: "4321" });
    const b = await visitor(path);
    expect(await (await b.fetch(`${path}/download?list=all`)).json()).toMatchObject({ error: "pin_required" });
    const wrong = await b.postJson(`${path}/pin`, { pin: "0000" });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ error: "invalid_pin" });
    expect((await b.postJson(`${path}/pin`, { pin: "12" })).status).toBe(400);
    expect((await b.postJson(`${path}/pin`, { pin: "4321" })).status).toBe(204);
    expect((await b.fetch(`${path}/files/${files[0]!.id}/download`)).status).toBe(200);
    expect((await b.fetch(`${path}/download?list=all`)).status).toBe(200);

    const guesser = await visitor(path);
    const guess = (pin: string) => guesser.fetch(`${path}/pin`, { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": "203.0.113.50" }, body: JSON.stringify({ pin }) });
    for (let i = 0; i < 5; i++) expect((await guess(String(1000 + i))).status).toBe(403);
    const limited = await guess("4321");
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: "too_many_attempts" });
  });

  it("favorites need an email first; a bad email or body is 400", async () => {
    const { files, path } = await sharedGallery({}, 1);
    const b = await visitor(path);
    expect(await (await putJson(b, `${path}/favorites/${files[0]!.id}`, { favorite: true })).json()).toMatchObject({ error: "email_required" });
    expect(await (await b.fetch(`${path}/download?list=favorites`)).json()).toMatchObject({ error: "email_required" });
    expect((await b.postJson(`${path}/email`, { email: "not-an-email" })).status).toBe(400);
    expect((await b.fetch(`${path}/email`, { method: "POST", headers: { "content-type": "text/plain" }, body: "x" })).status).toBe(415);
    expect((await b.postJson(`${path}/email`, { email: "a@example.com" })).status).toBe(200);
    expect((await putJson(b, `${path}/favorites/${files[0]!.id}`, { favorite: "yes" })).status).toBe(400);
    expect((await putJson(b, `${path}/favorites/gf_nope`, { favorite: true })).status).toBe(404);
  });
});

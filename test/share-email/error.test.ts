import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Browser, ok, registerAccount, registerStudio } from "../factories";
import { createGallery, V1, v1, v1Form } from "../galleries-v1/helpers";
import { linkRow, mailbox, registerAndAccept, share, shareWith } from "./helpers";

describe("share_via_email: bad input", () => {
  it("refuses a missing or malformed email and a manage that is not a boolean, writing nothing", async () => {
    const a = await registerStudio();
    const g = await createGallery(a, `Bad input ${Math.random()}`);
    for (const body of [{}, { email: "" }, { email: "not-an-email" }, { email: "x@example.com", manage: "maybe" }, { email: 42 }]) {
      const res = await share(a, g.id, body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe("invalid_request");
    }
    const form = await v1Form("PUT", `${V1}/${g.id}/share_via_email`, a, [["email", "nope"]]);
    expect(form.status).toBe(400);
    expect((await ok<{ members: unknown[] }>(v1("GET", "/api/v1/members", a))).members).toHaveLength(0);
    expect((await mailbox()).filter((m) => m.subject.includes(g.name))).toHaveLength(0);
  });

  it("answers 404 for an unknown gallery", async () => {
    const a = await registerStudio();
    const res = await share(a, "col_doesnotexist0000", { email: "x@example.com" });
    expect(res.status).toBe(404);
  });
});

describe("the accept page: links that cannot be used", () => {
  it("an unknown token is a 404 page; a used one is 410 for GET and POST and nothing changes", async () => {
    const a = await registerStudio();
    const g = await createGallery(a);
    expect((await new Browser().fetch("/share/doesnotexistdoesnotexist123")).status).toBe(404);
    expect((await new Browser().fetch("/share/%3Cscript%3E")).status).toBe(404);
    const { path } = await shareWith(a, g.id);
    expect((await registerAndAccept(path)).res.status).toBe(303);
    const again = await new Browser().fetch(path);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain("already used");
    const second = await registerAndAccept(path, "Someone Else");
    expect(second.res.status).toBe(410);
  });

  it("an expired link is refused (the clock is the row's expiry), even to the right person", async () => {
    const a = await registerStudio();
    const g = await createGallery(a);
    const { path } = await shareWith(a, g.id);
    await env.DB.prepare("UPDATE gallery_share_links SET expires_at = ? WHERE collection_id = ?").bind(Date.now() - 1, g.id).run();
    const page = await new Browser().fetch(path);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain("expired");
    const { res, browser } = await registerAndAccept(path);
    expect(res.status).toBe(410);
    // Nothing was registered or signed in on the way.
    expect(browser.cookies.size).toBe(0);
  });

  it("a wrong password or an already registered email shows the page again and leaves the link unspent", async () => {
    const a = await registerStudio();
    const g = await createGallery(a);
    const person = await registerAccount("drive");
    const { path } = await shareWith(a, g.id, { email: person.email });
    const browser = new Browser();
    const wrong = await browser.postForm(path, { action: "login", password: "wrong password!" });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("Email or password is incorrect");
    const taken = await browser.postForm(path, { action: "register", displayName: "X", password: "correct horse battery" });
    expect(taken.status).toBe(409);
    const short = await browser.postForm(path, { action: "register", displayName: "X", password: "short" });
    expect(short.status).toBe(400);
    expect((await linkRow(g.id)).results[0]).toMatchObject({ used_at: null });
    expect((await browser.postForm(path, { action: "login", password: person.password })).status).toBe(303);
  });

  it("refuses a browser signed in with another email, which stays signed in; the right person can still accept", async () => {
    const a = await registerStudio();
    const g = await createGallery(a);
    const other = await registerAccount("drive");
    const { path } = await shareWith(a, g.id);
    const browser = new Browser();
    await browser.postJson("/api/login", { email: other.email, password: other.password });
    const page = await (await browser.fetch(path)).text();
    expect(page).toContain(`You are signed in as ${other.email}`);
    const res = await browser.postForm(path, { action: "accept" });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("sign in with that email");
    expect((await linkRow(g.id)).results[0]).toMatchObject({ used_at: null });
    expect((await browser.fetch("/dashboard/shared")).status).toBe(200);
    expect((await registerAndAccept(path)).res.status).toBe(303);
  });

  it("accept without a session is 401 and spends nothing", async () => {
    const a = await registerStudio();
    const g = await createGallery(a);
    const { path } = await shareWith(a, g.id);
    expect((await new Browser().postForm(path, { action: "accept" })).status).toBe(401);
    expect((await linkRow(g.id)).results[0]).toMatchObject({ used_at: null });
  });
});

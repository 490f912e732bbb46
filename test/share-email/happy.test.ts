import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Browser, callWith, jsonInit, ok, registerAccount, registerStudio } from "../factories";
import { fakeProvider } from "../email/helpers";
import { createGallery, V1, v1 } from "../galleries-v1/helpers";
import { latestShare, mailbox, registerAndAccept, share, shareWith } from "./helpers";

describe("share_via_email", () => {
  it("makes the person a member with their own team, grants read and mails a link with the studio and gallery names", async () => {
    const a = await registerStudio();
    const g = await createGallery(a, "Lake Wedding");
    const { email, shared, message } = await shareWith(a, g.id);
    expect(shared).toMatchObject({ gallery_id: g.id, email, access: "read", read: true, write: false, manage: false, email_status: "held" });
    expect(shared.team_id).toBe(shared.member.own_team_id);
    expect(JSON.stringify(shared)).not.toContain("/share/");
    const members = await ok<{ members: { email: string }[] }>(v1("GET", "/api/v1/members", a));
    expect(members.members.map((m) => m.email)).toContain(email);
    const rights = await ok<{ teams: { id: string; access: string }[] }>(v1("GET", `${V1}/${g.id}/teams`, a));
    expect(rights.teams).toEqual([expect.objectContaining({ id: shared.team_id, access: "read" })]);
    expect(message.id).toBe(shared.email_id);
    expect(message.subject).toContain("Lake Wedding");
    expect(message.subject).toContain("Test studio");
    expect(message.text).toContain("Lake Wedding");
    expect(message.html).toContain("Lake Wedding");
    expect(message.html).toMatch(/<a href="http:\/\/localhost\/share\/[A-Za-z0-9_-]+"/);
  });

  it("accepts Rails form fields (manage as the string true) and grants manage", async () => {
    const a = await registerStudio();
    const g = await createGallery(a);
    const res = await ok<{ access: string; write: boolean; manage: boolean }>(
      (await import("../galleries-v1/helpers")).v1Form("PUT", `${V1}/${g.id}/share_via_email`, a, [
        ["email", "Form.Person@Example.com"],
        ["manage", "true"],
      ]),
    );
    expect(res).toMatchObject({ access: "manage", write: true, manage: true });
    expect((await latestShare("form.person@example.com")).message.to).toBe("form.person@example.com");
  });

  it("lets a new person register on the accept page and land on exactly that gallery, read-only, under Shared with me", async () => {
    const a = await registerStudio();
    const g = await createGallery(a, "Shared One");
    const other = await createGallery(a, "Not Shared");
    const { path } = await shareWith(a, g.id);
    const opened = await new Browser().fetch(path);
    expect(opened.status).toBe(200);
    expect(opened.headers.get("cache-control")).toBe("no-store");
    expect(opened.headers.get("referrer-policy")).toBe("same-origin");
    const page = await opened.text();
    expect(page).toContain("Shared One");
    expect(page).toContain('aria-label="Create account and accept"');

    const { browser, res } = await registerAndAccept(path);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/dashboard/galleries/${g.id}`);
    const gallery = await browser.fetch(`/dashboard/galleries/${g.id}`);
    expect(gallery.status).toBe(200);
    const html = await gallery.text();
    expect(html).toContain("Shared One");
    expect(html).not.toContain('aria-label="Share by email"');
    expect(html).not.toContain('aria-label="Create folder"');
    const sharedPage = await (await browser.fetch("/dashboard/shared")).text();
    expect(sharedPage).toContain(`data-gallery-id="${g.id}"`);
    expect(sharedPage).not.toContain(`data-gallery-id="${other.id}"`);
    expect((await browser.fetch(`/dashboard/galleries/${other.id}`)).status).toBe(404);
  });

  it("lets a person with an account sign in on the accept page, and one already signed in accept with one click", async () => {
    const a = await registerStudio();
    const g1 = await createGallery(a, "First");
    const g2 = await createGallery(a, "Second");
    const person = await registerAccount("drive");
    const first = await shareWith(a, g1.id, { email: person.email });
    const browser = new Browser();
    expect(await (await browser.fetch(first.path)).text()).toContain('aria-label="Sign in and accept"');
    const signedIn = await browser.postForm(first.path, { action: "login", password: person.password });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get("location")).toBe(`/dashboard/galleries/${g1.id}`);

    const second = await shareWith(a, g2.id, { email: person.email, manage: true });
    expect(await (await browser.fetch(second.path)).text()).toContain('aria-label="Accept"');
    const accepted = await browser.postForm(second.path, { action: "accept" });
    expect(accepted.status).toBe(303);
    const html = await (await browser.fetch(`/dashboard/galleries/${g2.id}`)).text();
    expect(html).toContain('aria-label="Share by email"');
    const sharedPage = await (await browser.fetch("/dashboard/shared")).text();
    expect(sharedPage).toContain(`data-gallery-id="${g1.id}"`);
    expect(sharedPage).toContain(`data-gallery-id="${g2.id}"`);
  });

  it("repeating the share keeps one member and one grant, mails a new link and retires the old one", async () => {
    const a = await registerStudio();
    const g = await createGallery(a);
    const first = await shareWith(a, g.id);
    const again = await ok<{ member: { id: string }; access: string }>(share(a, g.id, { email: first.email.toUpperCase(), manage: true }));
    expect(again.member.id).toBe(first.shared.member.id);
    expect(again.access).toBe("manage");
    const members = await ok<{ members: { email: string }[] }>(v1("GET", "/api/v1/members", a));
    expect(members.members.filter((m) => m.email === first.email)).toHaveLength(1);
    const rights = await ok<{ teams: { id: string }[] }>(v1("GET", `${V1}/${g.id}/teams`, a));
    expect(rights.teams).toHaveLength(1);
    expect((await mailbox()).filter((m) => m.to === first.email)).toHaveLength(2);
    const second = await latestShare(first.email);
    expect(second.token).not.toBe(first.token);
    expect((await new Browser().fetch(first.path)).status).toBe(410);
    expect((await registerAndAccept(second.path)).res.status).toBe(303);
  });

  it("opening the link (GET, as a mail scanner does) spends nothing", async () => {
    const a = await registerStudio();
    const g = await createGallery(a);
    const { path } = await shareWith(a, g.id);
    for (let i = 0; i < 3; i++) expect((await new Browser().fetch(path)).status).toBe(200);
    const { res } = await registerAndAccept(path);
    expect(res.status).toBe(303);
    expect((await new Browser().fetch(path)).status).toBe(410);
  });
});

describe("share_via_email with a provider configured", () => {
  afterEach(() => vi.restoreAllMocks());

  it("sends the email right after answering (waitUntil), in the provider's wire format", async () => {
    const a = await registerStudio();
    const g = await createGallery(a, "Sent Now");
    const { calls } = fakeProvider(() => Response.json({ id: "prov-1" }));
    const over = { EMAIL_FROM: "GellHub <no-reply@mail.example.com>", EMAIL_API_KEY: "re_test", EMAIL_API_URL: "https://email-provider.test/emails" };
    const res = await callWith(over, `${V1}/${g.id}/share_via_email`, jsonInit({ email: "Sent.Now@Example.com" }, { "x-api-key": a.key }, "PUT"));
    const body = await ok<{ email_id: string; email_status: string }>(res);
    expect(body.email_status).toBe("pending");
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers.get("idempotency-key")).toBe(body.email_id);
    expect(calls[0]!.body).toMatchObject({ from: over.EMAIL_FROM, to: ["sent.now@example.com"] });
    expect(String(calls[0]!.body.subject)).toContain("Sent Now");
    expect(String(calls[0]!.body.text)).toMatch(/http:\/\/localhost\/share\/[A-Za-z0-9_-]{43}/);
    const stored = await env.DB.prepare("SELECT status, provider_id, profile_id FROM email_outbox WHERE id = ?").bind(body.email_id).first();
    expect(stored).toEqual({ status: "sent", provider_id: "prov-1", profile_id: a.profileId });
  });
});

describe("share_via_email in the OpenAPI reference", () => {
  it("is documented as PUT with its parameters", async () => {
    const doc = (await (await (await import("../factories")).call("/api/openapi.json")).json()) as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
    const op = doc.paths["/api/v1/galleries/{id}/share_via_email"];
    expect(Object.keys(op ?? {})).toEqual(["put"]);
    expect(JSON.stringify(op!.put!.requestBody)).toContain('"manage"');
  });
});

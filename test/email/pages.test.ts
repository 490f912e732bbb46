import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, callWith, ok, registerStudio, sessionHeaders } from "../factories";
import { db, enqueue, message } from "./helpers";
import { enqueueEmail } from "../../src/platform/email";

const LOCAL = { LOCAL_DEV: "true" };

describe("local mailbox", () => {
  it("exists only under the local flag: 404 otherwise, for the page and the JSON", async () => {
    for (const path of ["/dev/mailbox", "/dev/mailbox.json"]) {
      expect((await call(path)).status).toBe(404);
      expect((await callWith({ LOCAL_DEV: "false" }, path)).status).toBe(404);
      expect((await callWith({ LOCAL_DEV: "1" }, path)).status).toBe(404);
      expect((await callWith(LOCAL, path)).status).toBe(200);
    }
  });

  it("lists messages newest first as JSON: id, to, subject, text, html, createdAt", async () => {
    const t = Date.now();
    const older = await enqueue(env, message({ subject: "older" }), t - 1000);
    const newer = await enqueue(env, message({ subject: "newer" }), t);
    const list = await ok<{ id: string; to: string; subject: string; text: string; html: string; createdAt: string }[]>(callWith(LOCAL, "/dev/mailbox.json"));
    const ids = list.map((m) => m.id);
    expect(ids.indexOf(newer.id)).toBeLessThan(ids.indexOf(older.id));
    expect(list.find((m) => m.id === newer.id)).toEqual({
      id: newer.id,
      to: newer.toAddress,
      subject: "newer",
      text: newer.text,
      html: newer.html,
      status: "held",
      createdAt: new Date(t).toISOString(),
    });
  });

  it("shows text as text and HTML only inside a sandboxed frame, on a page that runs no scripts", async () => {
    const evil = await enqueue(env, message({ subject: "<script>alert(1)</script>", text: "<b>not bold</b>", html: '<img src=x onerror="alert(2)"><script>alert(3)</script>' }));
    const res = await callWith(LOCAL, "/dev/mailbox");
    expect(res.headers.get("content-security-policy")).toContain("script-src 'none'");
    const html = await res.text();
    const card = html.slice(html.indexOf(`data-email-id="${evil.id}"`));
    expect(card).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(card).toContain("&lt;b&gt;not bold&lt;/b&gt;");
    expect(card).toMatch(/<iframe[^>]*sandbox=""[^>]*srcdoc="&lt;img src=x onerror=&quot;alert\(2\)&quot;&gt;/);
    expect(html).not.toContain("<script>alert");
  });
});

describe("Emails page", () => {
  it("shows an account its own messages with status, attempts and last error, never another account's", async () => {
    const a = await registerStudio();
    const b = await registerStudio();
    const now = Date.now();
    const mine = await enqueueEmail(db(), env, message({ subject: "For A", profileId: a.profileId }), now);
    const theirs = await enqueueEmail(db(), env, message({ subject: "For B", profileId: b.profileId }), now);
    await env.DB.prepare("UPDATE email_outbox SET status = 'failed', attempts = 6, last_error = 'provider answered 422: bad' WHERE id = ?").bind(mine.id).run();
    const res = await call("/dashboard/emails", { headers: sessionHeaders(a) });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`data-email-id="${mine.id}"`);
    expect(html).toContain("provider answered 422: bad");
    expect(html).toContain('data-status="failed"');
    expect(html).not.toContain(`data-email-id="${theirs.id}"`);
    expect(html).not.toContain("For B");
    const signedOut = await call("/dashboard/emails", { redirect: "manual" });
    expect(signedOut.status).toBe(303);
  });
});

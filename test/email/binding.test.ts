import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { buildMime, deliverEmail, emailTransport, parseMailbox } from "../../src/platform/email";
import { db, enqueue, message, row } from "./helpers";

/** A send_email binding that records what it is given, as Cloudflare's would deliver it. */
function fakeBinding(fail?: Error) {
  const sent: { from: string; to: string }[] = [];
  const binding = {
    async send(m: EmailMessage) {
      if (fail) throw fail;
      sent.push({ from: m.from, to: m.to });
      return { messageId: `<cf-${sent.length}@mail.example.com>` };
    },
  } as unknown as SendEmail;
  return { sent, binding };
}

const decodeB64Words = (s: string) => s.replace(/=\?utf-8\?B\?([^?]+)\?=/gi, (_, b) => new TextDecoder().decode(Uint8Array.from(atob(b), (c) => c.charCodeAt(0))));

describe("send_email binding", () => {
  it("builds a multipart/alternative MIME message with mimetext: sender, recipient, subject, text and HTML parts", () => {
    const text = "Open “Lake”: https://x/share/abc " + "long line ".repeat(20);
    const html = '<p>Open <a href="https://x/share/abc">“Lake”</a></p>';
    const raw = buildMime({ name: "GellHub", addr: "no-reply@mail.example.com" }, { id: "eml_1", to: "ivy@example.com", subject: "Studio shared “Lake” with you", text, html });
    const headers = decodeB64Words(raw.slice(0, raw.indexOf("\n\n")));
    expect(headers).toMatch(/^From: GellHub <no-reply@mail\.example\.com>$/m);
    expect(headers).toMatch(/^To: <ivy@example\.com>$/m);
    expect(headers).toMatch(/^Subject: Studio shared “Lake” with you$/m);
    expect(headers).toMatch(/^X-GellHub-Email-Id: eml_1$/m);
    expect(headers).toMatch(/^Message-ID: <[^>]+@mail\.example\.com>$/m);
    const boundary = /^Content-Type: multipart\/alternative; boundary=(\S+)$/m.exec(raw)?.[1];
    expect(boundary).toBeTruthy();
    const parts = raw.split(`--${boundary}`).slice(1, -1).map((p) => {
      const [head, ...body] = p.trim().split(/\r?\n\r?\n/);
      return { head: head!, body: new TextDecoder().decode(Uint8Array.from(atob(body.join("").replace(/\s+/g, "")), (c) => c.charCodeAt(0))) };
    });
    expect(parts.map((p) => /Content-Type: ([^;]+); charset=UTF-8/.exec(p.head)?.[1])).toEqual(["text/plain", "text/html"]);
    expect(parts.every((p) => /Content-Transfer-Encoding: base64/.test(p.head))).toBe(true);
    expect(parts.map((p) => p.body)).toEqual([text, html]);
    expect(raw.split(/\r?\n/).every((line) => line.length <= 998)).toBe(true);
  });

  it("sends through the binding when no HTTP provider is set, and records the binding's message id", async () => {
    const { sent, binding } = fakeBinding();
    const deployment = { ...env, EMAIL_FROM: "GellHub <no-reply@mail.example.com>", SEND_EMAIL: binding };
    expect(emailTransport(deployment)?.kind).toBe("binding");
    const msg = message();
    const queued = await enqueue(deployment, msg);
    expect(await deliverEmail(db(), deployment, queued.id, Date.now())).toBe("sent");
    expect(sent).toEqual([{ from: "no-reply@mail.example.com", to: msg.to }]);
    expect((await row(queued.id))?.provider_id).toBe("<cf-1@mail.example.com>");
  });

  it("retries what the binding refuses, and prefers the HTTP provider when both are configured", async () => {
    const { binding } = fakeBinding(new Error("destination address is not a verified address"));
    const deployment = { ...env, EMAIL_FROM: "no-reply@mail.example.com", SEND_EMAIL: binding };
    const queued = await enqueue(deployment);
    expect(await deliverEmail(db(), deployment, queued.id, Date.now())).toBe("pending");
    expect(String((await row(queued.id))?.last_error)).toContain("send_email refused: destination address is not a verified address");
    expect(emailTransport({ ...deployment, EMAIL_API_KEY: "re_x" })?.kind).toBe("http");
  });

  it("reads EMAIL_FROM as `Name <addr>` or a bare address, and refuses anything else", () => {
    expect(parseMailbox("GellHub <no-reply@x.example>")).toEqual({ name: "GellHub", addr: "no-reply@x.example" });
    expect(parseMailbox("no-reply@x.example")).toEqual({ addr: "no-reply@x.example" });
    expect(parseMailbox("not an address")).toBeNull();
    expect(emailTransport({ EMAIL_FROM: "nope", EMAIL_API_KEY: "re_x" })).toBeNull();
  });
});

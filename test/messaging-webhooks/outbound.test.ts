import { afterEach, describe, expect, it, vi } from "vitest";
import { assertWebhookUrl, MAX_WEBHOOK_RESPONSE_BYTES, parseRetryAfter, postWebhook } from "../../src/messaging/outbound";
import { fakeReceiver, RECEIVER } from "./helpers";

afterEach(() => vi.restoreAllMocks());

const PROD = {};
const LOCAL = { LOCAL_DEV: "true" };

const REFUSED = [
  // not https, other ports, credentials
  "http://shop.example.com/hook",
  "ftp://shop.example.com/hook",
  "https://shop.example.com:8443/hook",
  "https://user:pass@shop.example.com/hook",
  // IPv4 literals in every notation WHATWG accepts
  "https://127.0.0.1/hook",
  "https://10.0.0.1/hook",
  "https://169.254.169.254/latest/meta-data",
  "https://2130706433/hook",
  "https://0x7f000001/hook",
  "https://0x7f.0.0.1/hook",
  "https://0177.0.0.1/hook",
  "https://127.1/hook",
  "https://0/hook",
  // IPv6
  "https://[::1]/hook",
  "https://[::ffff:127.0.0.1]/hook",
  "https://[fd00::1]/hook",
  "https://[fe80::1]/hook",
  // localhost and internal names, metadata hosts
  "https://localhost/hook",
  "https://LOCALHOST./hook",
  "https://api.localhost/hook",
  "https://printer.local/hook",
  "https://svc.internal/hook",
  "https://metadata.google.internal/computeMetadata/v1/",
  "https://metadata/hook",
  "https://intranet/hook",
  "not a url",
];

describe("webhook URL rule", () => {
  it.each(REFUSED)("refuses %s with 400 url_not_allowed", (url) => {
    expect(() => assertWebhookUrl(url, PROD)).toThrow(expect.objectContaining({ code: "url_not_allowed", status: 400 }));
  });

  it("accepts a public https host on 443", () => {
    expect(assertWebhookUrl("https://yourstore.com/api/gellhub/skills", PROD).toString()).toBe("https://yourstore.com/api/gellhub/skills");
    expect(assertWebhookUrl("https://hooks.example.co.uk:443/x?y=1", PROD).host).toBe("hooks.example.co.uk");
  });

  it("allows http(s)://localhost and 127.0.0.1 on any port only under the local-dev switch", () => {
    for (const url of ["http://localhost:4010/hook", "http://127.0.0.1:9999/skills", "https://localhost/x", "http://localhost/"]) {
      expect(() => assertWebhookUrl(url, PROD)).toThrow(expect.objectContaining({ code: "url_not_allowed" }));
      expect(() => assertWebhookUrl(url, { LOCAL_DEV: "1" })).toThrow(expect.objectContaining({ code: "url_not_allowed" }));
      expect(assertWebhookUrl(url, LOCAL).toString()).toBe(new URL(url).toString());
    }
  });

  it("keeps every other refusal under the local-dev switch (other private IPs, userinfo, metadata)", () => {
    for (const url of ["http://10.0.0.1:8080/", "http://169.254.169.254/", "http://[::1]:8080/", "http://user:pw@localhost:4010/", "http://127.0.0.2:8080/", "http://0.0.0.0:8080/", "http://[::ffff:7f00:1]:8080/", "http://shop.example.com/", "file:///etc/passwd"]) {
      expect(() => assertWebhookUrl(url, LOCAL), url).toThrow(expect.objectContaining({ code: "url_not_allowed" }));
    }
  });
});

describe("webhook POST", () => {
  it("refuses before sending when the URL is not allowed (checked again at send time)", async () => {
    const spy = vi.spyOn(globalThis, "fetch");
    const res = await postWebhook(PROD, "https://169.254.169.254/", "{}", {});
    expect(res).toMatchObject({ ok: false, failure: "url_refused", status: null });
    expect(spy).not.toHaveBeenCalled();
  });

  it("does not follow a redirect: a 3xx is a failure and its target is never requested", async () => {
    const seen = fakeReceiver(RECEIVER, () => new Response(null, { status: 302, headers: { location: "http://169.254.169.254/latest" } }));
    const spy = vi.mocked(globalThis.fetch);
    const res = await postWebhook(PROD, `${RECEIVER}/hook`, "{}", {});
    expect(res).toMatchObject({ ok: false, failure: "redirect", status: 302 });
    expect(res.error).toContain("169.254.169.254");
    expect(seen).toHaveLength(1);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls[0]![1]).toMatchObject({ redirect: "manual" });
  });

  it("times out after 5 s without an answer", async () => {
    vi.useFakeTimers();
    try {
      vi.spyOn(globalThis, "fetch").mockImplementation((_input, init) => new Promise((_, reject) => init!.signal!.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")))));
      const pending = postWebhook(PROD, `${RECEIVER}/slow`, "{}", {});
      await vi.advanceTimersByTimeAsync(4_900);
      let settled = false;
      void pending.then(() => (settled = true));
      await Promise.resolve();
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(200);
      expect(await pending).toMatchObject({ ok: false, failure: "timeout", status: null });
    } finally {
      vi.useRealTimers();
    }
  });

  it("caps the answer it reads", async () => {
    fakeReceiver(RECEIVER, () => new Response("x".repeat(MAX_WEBHOOK_RESPONSE_BYTES + 1)));
    expect(await postWebhook(PROD, `${RECEIVER}/big`, "{}", {})).toMatchObject({ ok: false, failure: "too_large", status: 200 });
  });

  it("sends JSON with the given headers, answers status and body, reads Retry-After", async () => {
    const seen = fakeReceiver(RECEIVER, (n) => (n === 1 ? new Response('{"ok":true}') : new Response("slow down", { status: 429, headers: { "retry-after": "7" } })));
    const ok = await postWebhook(PROD, `${RECEIVER}/hook`, '{"a":1}', { "X-GellHub-Event": "handoff.requested" });
    expect(ok).toMatchObject({ ok: true, status: 200, body: '{"ok":true}' });
    expect(seen[0]).toMatchObject({ method: "POST", body: '{"a":1}', headers: { "content-type": "application/json", "x-gellhub-event": "handoff.requested" } });
    expect(await postWebhook(PROD, `${RECEIVER}/hook`, "{}", {})).toMatchObject({ ok: false, failure: "http_error", status: 429, retryAfterSeconds: 7, body: "slow down" });
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("2026-12-01T12:00:00Z");
    expect(parseRetryAfter("120", now)).toBe(120);
    expect(parseRetryAfter("Tue, 01 Dec 2026 12:01:30 GMT", now)).toBe(90);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

import type { Env } from "../env";
import { ApiError } from "../platform/errors";
import { isLocalDev } from "../platform/local";

const BLOCKED_SUFFIXES = [".local", ".internal", ".localhost", ".home.arpa", ".lan", ".intranet", ".corp"];
const BLOCKED_HOSTS = new Set(["localhost", "metadata", "metadata.google.internal", "instance-data", "metadata.azure.com"]);

/**
 * SECURITY.md's outbound URL rule (URL knowledge sources, later skills and handoff): https
 * only, port 443, no userinfo, no IP literal in any notation (dotted, decimal, hex, octal,
 * IPv6), no localhost, `.local`, `.internal` or metadata hosts. Returns the parsed URL or
 * throws 400 `url_not_allowed`.
 */
export function assertOutboundUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ApiError("url_not_allowed", "Not an absolute URL");
  }
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  const refuse = (why: string) => new ApiError("url_not_allowed", `${why}: ${url.protocol}//${host}`);
  if (url.protocol !== "https:") throw refuse("Only https URLs are fetched");
  if (url.port !== "" && url.port !== "443") throw refuse("Only port 443 is allowed");
  if (url.username || url.password) throw refuse("URLs with credentials are not allowed");
  if (host.startsWith("[") || host.includes(":")) throw refuse("IP addresses are not allowed");
  // Anything WHATWG would read as IPv4 (dotted, decimal, hex or octal parts) ends in a numeric label.
  const last = host.split(".").pop() ?? "";
  if (/^(0x[0-9a-f]*|\d+)$/i.test(last)) throw refuse("IP addresses are not allowed");
  if (!host.includes(".")) throw refuse("Single-label hosts are not allowed");
  if (BLOCKED_HOSTS.has(host) || BLOCKED_SUFFIXES.some((s) => host.endsWith(s))) throw refuse("Internal hosts are not allowed");
  return url;
}

const LOCAL_RECEIVER_HOSTS = new Set(["localhost", "127.0.0.1"]);

/**
 * The webhook URL rule (skills and handoff), checked when saved and again before every send:
 * assertOutboundUrl, except that under the local-only switch (`npm run dev`, isLocalDev) an
 * `http(s)://localhost` or `http(s)://127.0.0.1` receiver on any port is allowed too, so a
 * merchant can try their receiver on their machine. Nothing else widens the rule.
 */
export function assertWebhookUrl(raw: string, env: Pick<Env, "LOCAL_DEV">): URL {
  if (isLocalDev(env)) {
    let url: URL | undefined;
    try {
      url = new URL(raw);
    } catch {
      url = undefined;
    }
    if (url && (url.protocol === "http:" || url.protocol === "https:") && LOCAL_RECEIVER_HOSTS.has(url.hostname) && !url.username && !url.password) return url;
  }
  return assertOutboundUrl(raw);
}

/** Time box of one webhook POST (connect, answer and body). */
export const WEBHOOK_TIMEOUT_MS = 5_000;
/** Largest webhook answer read; a larger one is a failure. */
export const MAX_WEBHOOK_RESPONSE_BYTES = 64 * 1024;

export type WebhookFailure = "url_refused" | "redirect" | "http_error" | "timeout" | "network_error" | "too_large";

/** What one POST came to: `ok` (2xx) with its body, or a failure kind; status null when no answer arrived. */
export type WebhookResult = {
  ok: boolean;
  failure?: WebhookFailure;
  status: number | null;
  /** The response body (capped), or the first bytes of an error answer. */
  body: string;
  /** Seconds the receiver asked to wait (Retry-After on 429/503), when it said. */
  retryAfterSeconds?: number;
  error?: string;
  url: string;
  durationMs: number;
};

/**
 * POSTs one JSON body to a merchant's webhook: the URL rule first (assertWebhookUrl), no
 * redirects followed (a 3xx is a failure), WEBHOOK_TIMEOUT_MS for the whole exchange, at most
 * MAX_WEBHOOK_RESPONSE_BYTES read (`ignoreBody`: a 2xx body is not read at all). Never throws: every outcome is a WebhookResult.
 */
export async function postWebhook(
  env: Pick<Env, "LOCAL_DEV">,
  raw: string,
  body: string,
  headers: Record<string, string>,
  opts: { fetcher?: typeof fetch; now?: () => number; ignoreBody?: boolean } = {},
): Promise<WebhookResult> {
  const now = opts.now ?? Date.now;
  const started = now();
  const done = (r: Omit<WebhookResult, "url" | "durationMs">, url = raw): WebhookResult => ({ ...r, url, durationMs: Math.max(0, now() - started) });
  let url: URL;
  try {
    url = assertWebhookUrl(raw, env);
  } catch (err) {
    return done({ ok: false, failure: "url_refused", status: null, body: "", error: err instanceof ApiError ? String(err.detail) : "URL not allowed" });
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), WEBHOOK_TIMEOUT_MS);
  try {
    const res = await (opts.fetcher ?? fetch)(url.toString(), {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/json", "user-agent": "GellHub-Webhooks/1.0", ...headers },
      body,
      signal: controller.signal,
    });
    const status = res.status;
    if (status >= 300 && status < 400) {
      await res.body?.cancel();
      return done({ ok: false, failure: "redirect", status, body: "", error: `redirects are not followed (HTTP ${status} to ${res.headers.get("location") ?? "?"})` }, url.toString());
    }
    const retryAfterSeconds = parseRetryAfter(res.headers.get("retry-after"), now());
    // An event receiver's 2xx body carries nothing we use (the guide: optional `{ ok: true }`).
    if (res.ok && opts.ignoreBody) {
      await res.body?.cancel();
      return done({ ok: true, status, body: "" }, url.toString());
    }
    const text = await readCapped(res, res.ok ? MAX_WEBHOOK_RESPONSE_BYTES : 1024, !res.ok);
    if (text === null) return done({ ok: false, failure: "too_large", status, body: "", error: `the answer is larger than ${MAX_WEBHOOK_RESPONSE_BYTES} bytes` }, url.toString());
    if (!res.ok) return done({ ok: false, failure: "http_error", status, body: text, retryAfterSeconds, error: `HTTP ${status}` }, url.toString());
    return done({ ok: true, status, body: text, retryAfterSeconds }, url.toString());
  } catch (err) {
    if (controller.signal.aborted) return done({ ok: false, failure: "timeout", status: null, body: "", error: `no complete answer within ${WEBHOOK_TIMEOUT_MS / 1000} s` }, url.toString());
    return done({ ok: false, failure: "network_error", status: null, body: "", error: err instanceof Error ? err.message.slice(0, 300) : "network error" }, url.toString());
  } finally {
    clearTimeout(timer);
  }
}

/** Retry-After as delta seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** Reads at most `max` bytes: null when the body is larger (unless `truncate`, which keeps the head). */
async function readCapped(res: Response, max: number, truncate: boolean): Promise<string | null> {
  const reader = res.body?.getReader();
  if (!reader) return "";
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > max) {
      await reader.cancel();
      if (!truncate) return null;
      parts.push(value.subarray(0, max - size));
      size = max;
      break;
    }
    parts.push(value);
    size += value.byteLength;
  }
  return new TextDecoder().decode(concat(parts, size));
}

/** Largest page body read from a URL source. */
export const MAX_FETCH_BYTES = 2 * 1024 * 1024;

/**
 * Fetches a public page once: the URL rule first, no redirects followed (a redirect is a
 * failure with its reason), 10 s time box, at most MAX_FETCH_BYTES read, text types only.
 */
export async function fetchPublicText(raw: string, fetcher: typeof fetch = fetch): Promise<{ contentType: string; body: string }> {
  const url = assertOutboundUrl(raw);
  const res = await fetcher(url.toString(), {
    redirect: "manual",
    headers: { accept: "text/html, text/plain, text/markdown, text/csv;q=0.9", "user-agent": "GellHub-Knowledge/1.0" },
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status >= 300 && res.status < 400) throw new Error(`the page redirects (${res.status}); add the final URL instead`);
  if (!res.ok) throw new Error(`the page answered HTTP ${res.status}`);
  const contentType = (res.headers.get("content-type") ?? "text/plain").split(";")[0]!.trim().toLowerCase();
  if (!/^text\/|^application\/(xhtml\+xml|json)$/.test(contentType)) throw new Error(`unsupported content type ${contentType}`);
  const reader = res.body?.getReader();
  if (!reader) return { contentType, body: "" };
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_FETCH_BYTES) {
      await reader.cancel();
      throw new Error(`the page is larger than ${MAX_FETCH_BYTES} bytes`);
    }
    parts.push(value);
  }
  return { contentType, body: new TextDecoder().decode(concat(parts, size)) };
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

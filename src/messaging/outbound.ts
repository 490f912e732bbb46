import { ApiError } from "../platform/errors";

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

const enc = new TextEncoder();

/**
 * The published webhook signature (guide, "Dynamic skills webhook" and "Human handoff
 * webhook"): lowercase hex HMAC-SHA256 of `timestamp + "." + body` with the merchant's secret,
 * sent as `X-GellHub-Signature`. `timestamp` is the `X-GellHub-Timestamp` value (unix seconds).
 */
export async function signWebhook(secret: string, timestamp: string | number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, enc.encode(`${timestamp}.${body}`));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Unix seconds, the `X-GellHub-Timestamp` value. */
export const unixSeconds = (ms = Date.now()) => String(Math.floor(ms / 1000));

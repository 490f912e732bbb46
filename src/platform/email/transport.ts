import { EmailMessage } from "cloudflare:email";
import { createMimeMessage } from "mimetext";
import type { Env } from "../../env";

/** What a transport needs of one outbox row. */
export interface OutgoingEmail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** A send the transport refused: `retryable` (timeouts, 429, 5xx) or final (4xx, bad address). */
export class SendFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** The transport asked to wait at least this long (Retry-After), in ms. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface EmailTransport {
  kind: "http" | "binding";
  /** Sends one message; resolves to the transport's message id, throws SendFailure. */
  send(email: OutgoingEmail): Promise<string>;
}

/** The default HTTP provider: Resend's send endpoint (any API speaking its JSON works). */
export const DEFAULT_EMAIL_API_URL = "https://api.resend.com/emails";
const HTTP_TIMEOUT_MS = 10_000;

/** `Name <addr@host>` or `addr@host` -> its parts; null when it is neither. */
export function parseMailbox(value: string): { name?: string; addr: string } | null {
  const m = /^\s*(?:"?([^"<>]*?)"?\s*<([^<>\s@]+@[^<>\s@]+)>|([^<>\s@]+@[^<>\s@]+))\s*$/.exec(value);
  if (!m) return null;
  return m[3] ? { addr: m[3] } : { name: m[1] || undefined, addr: m[2]! };
}

/** The message as RFC 5322 MIME (multipart/alternative: text and HTML parts), built by mimetext. */
export function buildMime(from: { name?: string; addr: string }, email: OutgoingEmail): string {
  const msg = createMimeMessage();
  msg.setSender(from.name ? { name: from.name, addr: from.addr } : from.addr);
  msg.setRecipient(email.to);
  msg.setSubject(email.subject);
  msg.setHeader("X-GellHub-Email-Id", email.id);
  // Names and typographic quotes are not ASCII: base64 parts (76-character lines, RFC 2045) survive any relay.
  const part = (data: string) => msg.toBase64(data).replace(/.{76}(?=.)/g, "$&\r\n");
  msg.addMessage({ contentType: "text/plain", encoding: "base64", data: part(email.text) });
  msg.addMessage({ contentType: "text/html", encoding: "base64", data: part(email.html) });
  return msg.asRaw();
}

function retryAfterMs(res: Response): number | undefined {
  const v = res.headers.get("retry-after");
  if (!v) return undefined;
  const secs = Number(v);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * POST {from, to[], subject, text, html} as JSON with `Authorization: Bearer` and the outbox id
 * as `Idempotency-Key` (a retry after a lost answer is not a second email); 2xx `{ id }`.
 */
function httpTransport(url: string, key: string, from: string): EmailTransport {
  return {
    kind: "http",
    async send(email) {
      let res: Response;
      try {
        res = await fetch(url, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "idempotency-key": email.id },
          body: JSON.stringify({ from, to: [email.to], subject: email.subject, text: email.text, html: email.html }),
          redirect: "manual",
          signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
        });
      } catch (err) {
        throw new SendFailure(`provider unreachable: ${String((err as Error)?.message ?? err).slice(0, 200)}`, true);
      }
      const body = (await res.text()).slice(0, 2000);
      if (res.ok) {
        try {
          const id = (JSON.parse(body) as { id?: unknown }).id;
          return typeof id === "string" ? id : "";
        } catch {
          return "";
        }
      }
      let message = body;
      try {
        const parsed = JSON.parse(body) as { message?: unknown; name?: unknown };
        if (typeof parsed.message === "string") message = `${typeof parsed.name === "string" ? parsed.name + ": " : ""}${parsed.message}`;
      } catch {
        // not JSON: keep the text
      }
      const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
      throw new SendFailure(`provider answered ${res.status}: ${message.slice(0, 300)}`, retryable, retryAfterMs(res));
    },
  };
}

/** Cloudflare's `send_email` binding with a raw MIME message (EmailMessage from cloudflare:email). */
function bindingTransport(binding: SendEmail, from: { name?: string; addr: string }): EmailTransport {
  return {
    kind: "binding",
    async send(email) {
      const raw = buildMime(from, email);
      try {
        const result = await binding.send(new EmailMessage(from.addr, email.to, raw));
        return result?.messageId ?? "";
      } catch (err) {
        // The binding throws for refused senders/recipients as for outages; a later try costs little.
        throw new SendFailure(`send_email refused: ${String((err as Error)?.message ?? err).slice(0, 300)}`, true);
      }
    },
  };
}

/**
 * The configured transport: the HTTP provider when EMAIL_API_KEY is set, else the SEND_EMAIL
 * binding; both need EMAIL_FROM. null when neither is configured (local dev, tests): then
 * nothing leaves the machine and messages stay `held` in the outbox.
 */
export function emailTransport(env: Pick<Env, "EMAIL_FROM" | "EMAIL_API_KEY" | "EMAIL_API_URL" | "SEND_EMAIL">): EmailTransport | null {
  const from = env.EMAIL_FROM ? parseMailbox(env.EMAIL_FROM) : null;
  if (!from || !env.EMAIL_FROM) return null;
  if (env.EMAIL_API_KEY) return httpTransport(env.EMAIL_API_URL || DEFAULT_EMAIL_API_URL, env.EMAIL_API_KEY, env.EMAIL_FROM.trim());
  if (env.SEND_EMAIL) return bindingTransport(env.SEND_EMAIL, from);
  return null;
}

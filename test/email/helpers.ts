import { env } from "cloudflare:workers";
import { vi } from "vitest";
import { getDb } from "../../src/db";
import { enqueueEmail, type NewEmail } from "../../src/platform/email";

export const db = () => getDb(env.DB);

/** A deployment with the HTTP provider configured (Resend's wire format at a local URL). */
export const HTTP_ENV = { ...env, EMAIL_FROM: "GellHub <no-reply@mail.example.com>", EMAIL_API_KEY: "re_test_key", EMAIL_API_URL: "https://email-provider.test/emails" };

let n = 0;
export function message(over: Partial<NewEmail> = {}): NewEmail {
  n++;
  return { to: `to-${n}-${Math.random().toString(36).slice(2, 7)}@example.com`, subject: `Subject ${n}`, text: `Text ${n}`, html: `<p>Html ${n}</p>`, kind: "test", ...over };
}

/** Enqueues `msg` against `deployment` at `now`. */
export const enqueue = (deployment: Parameters<typeof enqueueEmail>[1], msg = message(), now = Date.now()) => enqueueEmail(db(), deployment, msg, now);

/** A row as stored. */
export async function row(id: string) {
  return env.DB.prepare("SELECT * FROM email_outbox WHERE id = ?").bind(id).first<Record<string, unknown>>();
}

/** What the fake provider saw, one entry per request. */
export interface ProviderCall {
  url: string;
  method: string;
  headers: Headers;
  body: Record<string, unknown>;
}

/**
 * Replaces fetch with a provider speaking Resend's wire format: each call is recorded and answered
 * by `answer` (default 200 `{ id }`).
 */
export function fakeProvider(answer: (call: ProviderCall, i: number) => Response | Promise<Response> = () => Response.json({ id: crypto.randomUUID() })) {
  const calls: ProviderCall[] = [];
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input as RequestInfo, init);
    const call = { url: req.url, method: req.method, headers: req.headers, body: (await req.json()) as Record<string, unknown> };
    calls.push(call);
    return answer(call, calls.length - 1);
  });
  return { calls, spy };
}

import { env } from "cloudflare:workers";
import { BASE, postJson, uniqueEmail } from "../factories";

/** A valid registration body for a new studio account; `extra` overrides or adds fields. */
export const validRegistration = (extra: Record<string, unknown> = {}) => ({
  email: uniqueEmail("reg"),
  password: "a long enough password",
  displayName: "My Studio",
  accountType: "studio",
  ...extra,
});

/** How many profiles hold `email` (case-insensitively, as stored). */
export async function profileCount(email: string) {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM profiles WHERE email = ?").bind(email.toLowerCase()).first<{ n: number }>();
  return row!.n;
}

/** POST /api/login from our own pages (same Origin unless `headers` says otherwise). */
export const login = (email: string, password: string, headers: Record<string, string> = {}) =>
  postJson("/api/login", { email, password }, { origin: BASE, ...headers });

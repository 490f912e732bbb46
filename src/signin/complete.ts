import type { Context } from "hono";
import { connectRedirectFor } from "../connect/flow";
import type { AppEnv } from "../env";
import { clearSessionCookie, createSession, destroySession, readSessionCookie, setSessionCookie } from "../platform/auth";

/**
 * The one ending of every sign-in and registration (JSON API, page form, Google callback):
 * ends the browser's previous session, sets the new session cookie (a fresh one, or
 * `sessionRaw` that registration already opened) and, while embedded connect is active,
 * returns where the browser goes next (checkout or the partner's return_url); else null.
 */
export async function completeSignIn(
  c: Context<AppEnv>,
  profileId: string,
  via: "login" | "register",
  sessionRaw?: string,
): Promise<string | null> {
  const previous = readSessionCookie(c);
  if (previous) await destroySession(c.var.db, previous);
  setSessionCookie(c, sessionRaw ?? (await createSession(c.var.db, profileId, Date.now())));
  c.set("auth", { profileId, via: "session" });
  return connectRedirectFor(c, profileId, via);
}

/** Ends the browser's session, if any, and clears its cookie. */
export async function signOut(c: Context<AppEnv>): Promise<void> {
  const raw = readSessionCookie(c);
  if (raw) await destroySession(c.var.db, raw);
  clearSessionCookie(c);
}

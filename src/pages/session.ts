import type { Context, MiddlewareHandler } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env";
import { currentProfile } from "../platform/auth";
import { ApiError } from "../platform/errors";

/** The signed-in profile of a dashboard page. */
export type PageUser = NonNullable<Awaited<ReturnType<typeof currentProfile>>>;

/**
 * Dashboard pages need a session: without one the browser goes to /login and comes back to
 * this path afterwards. With one, `auth` is the session and `pageUser(c)` its profile.
 */
export const requirePageSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const user = await currentProfile(c);
  if (!user) return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303);
  c.set("auth", { profileId: user.id, via: "session" });
  c.set("user", user);
  await next();
};

/** The profile `requirePageSession` loaded for this request. */
export const pageUser = (c: Context<AppEnv>) => c.get("user");

/**
 * The text a page shows for a failed form: the first zod issue as `field: message`, or an
 * ApiError's detail (its code when the detail is structured). Anything else is rethrown, so
 * unexpected failures still reach the error handler.
 */
export function formError(err: unknown): string {
  if (err instanceof z.ZodError) {
    const i = err.issues[0]!;
    return `${i.path.join(".") || "form"}: ${i.message}`;
  }
  if (err instanceof ApiError) return typeof err.detail === "string" ? err.detail : err.code;
  throw err;
}

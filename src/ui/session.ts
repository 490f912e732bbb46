import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { currentProfile } from "../platform/auth";

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


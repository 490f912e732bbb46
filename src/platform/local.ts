import type { Env } from "../env";

/**
 * The local-only switch (DESIGN.md "Local-only switches"): true only when `npm run dev` set
 * `LOCAL_DEV=true`. Guards http://localhost webhook receivers and the /dev/mailbox page.
 */
export function isLocalDev(env: Pick<Env, "LOCAL_DEV">): boolean {
  return env.LOCAL_DEV === "true";
}

import { createRouter } from "../platform/openapi";
import { addV1Route } from "./route-kit";
import { sendSoon, ShareParams, shareViaEmail } from "./share-email";

/** `PUT /api/v1/galleries/{id}/share_via_email` (galleries-v1.txt). */
export const shareEmailV1Routes = createRouter();

addV1Route(shareEmailV1Routes, {
  method: "put",
  path: "/api/v1/galleries/{id}/share_via_email",
  summary: "Share the gallery with a user via email",
  description:
    "`email`, `manage?` (true/false). Needs manage access. The person becomes a member of the studio if they are not (with their own team); " +
    "that team gets read on the gallery (`manage: true`: write and manage). An email with a single-use link (7 days) goes out through the outbox; " +
    "the link opens an accept page where they sign in or register with that email. Repeating the share keeps one member and one grant and " +
    "replaces the previous link. The link is never returned by the API.",
  params: ShareParams,
  run: async ({ c, actor, path, input, now }) => {
    const shared = await shareViaEmail(c.var.db, c.env, actor, path.id!, { email: input.email, manage: input.manage ?? false }, { origin: new URL(c.req.url).origin, now });
    sendSoon((p) => c.executionCtx.waitUntil(p), c.var.db, c.env, shared, now);
    return shared.response;
  },
});

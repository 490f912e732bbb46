import { createRouter } from "../platform/openapi";
import { createTusServer } from "../uploads/server";
import { addV1Route } from "./route-kit";
import { injectUploads, InjectUploadsParams, uploaderFor } from "./uploads";

/** The tus 1.0 server of the v1 API: studio key, member key with write somewhere, or the owner's dashboard session. */
export const tusV1Routes = createTusServer({ basePath: "/api/v1/uploads", authorize: uploaderFor });

/** `POST /api/v1/galleries/{id}/inject_uploads`: finished tus uploads become assets of the gallery. */
export const injectV1Routes = createRouter();

addV1Route(injectV1Routes, {
  method: "post",
  path: "/api/v1/galleries/{id}/inject_uploads",
  summary: "Inject uploaded files into a gallery",
  description:
    "Write access. Each `uids` entry is the id of a finished tus upload of the caller (the last segment of its `/api/v1/uploads/…` URL); " +
    "it becomes an asset in folder `prefix` (created when missing; \"\" is the root), named by its `filename` metadata (`name (2).ext` when taken). " +
    "The upload's bytes are moved, never copied. Unknown, expired, unfinished or another caller's uploads: 409 `uploads_not_ready` with " +
    "`detail.unknown` and `detail.unfinished`, nothing injected. Injecting an upload again adds nothing and answers its asset.",
  params: InjectUploadsParams,
  run: ({ c, actor, path, input, now }) => injectUploads(c.var.db, c.env, actor, path.id!, input, now),
});

import { createRouter, errorResponses } from "../platform/openapi";
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

// The tus routes speak headers, not JSON: documented here so the reference lists them.
const TUS_DOC = "tus 1.0.0 (https://tus.io/protocols/resumable-upload). Every answer but OPTIONS carries `Tus-Resumable: 1.0.0`; requests without it get 412.";
const header = (name: string, description: string, required = false) => ({ name, in: "header" as const, required, schema: { type: "string" as const }, description });
const tusResumable = header("Tus-Resumable", "1.0.0", true);
const uid = { name: "uid", in: "path" as const, required: true, schema: { type: "string" as const } };
const tusPaths: Parameters<typeof injectV1Routes.openAPIRegistry.registerPath>[0][] = [
  {
    method: "options" as const,
    path: "/api/v1/uploads",
    summary: "tus server capabilities",
    description: `${TUS_DOC} Answers Tus-Version, Tus-Extension (creation, creation-with-upload, creation-defer-length, termination, expiration, checksum), Tus-Max-Size (with a key: your plan's) and Tus-Checksum-Algorithm.`,
    parameters: [],
    responses: { 204: { description: "Capabilities in headers" } },
  },
  {
    method: "post" as const,
    path: "/api/v1/uploads",
    summary: "Create a resumable upload",
    description: `${TUS_DOC} Send Upload-Length (reserved against your storage now; over the plan's limit 413) or Upload-Defer-Length: 1, and Upload-Metadata \`filename\`, \`filetype\`. With Content-Type application/offset+octet-stream the body is the first chunk. Answers 201 with Location, Upload-Offset and Upload-Expires. Studio key, member key with write on a gallery, or the owner's dashboard session.`,
    parameters: [tusResumable, header("Upload-Length", "Total size in bytes"), header("Upload-Defer-Length", "1 to declare the length later"), header("Upload-Metadata", "key base64value pairs: filename, filetype"), header("Upload-Checksum", "sha1|sha256|sha512|md5 <base64> of a creation-with-upload body")],
    responses: { 201: { description: "Created; Location is the upload URL" }, ...errorResponses(400, 401, 403, 412, 413) },
  },
  {
    method: "head" as const,
    path: "/api/v1/uploads/{uid}",
    summary: "Offset of an upload",
    description: `${TUS_DOC} Upload-Offset, Upload-Length (or Upload-Defer-Length: 1), Upload-Metadata, Upload-Expires; Cache-Control: no-store. Only its creator sees an upload (others 404); expired 410.`,
    parameters: [tusResumable, uid],
    responses: { 200: { description: "State in headers" }, ...errorResponses(404, 410, 412) },
  },
  {
    method: "patch" as const,
    path: "/api/v1/uploads/{uid}",
    summary: "Append a chunk",
    description: `${TUS_DOC} Content-Type application/offset+octet-stream (else 415) and Upload-Offset equal to the upload's (else 409 \`upload_offset_mismatch\`). Any chunk size. 423 \`upload_locked\` while another PATCH writes the upload; 460 \`checksum_mismatch\` (chunk discarded) with Upload-Checksum. 204 with the new Upload-Offset; Upload-Expires moves to 24 h after this PATCH.`,
    parameters: [tusResumable, uid, header("Upload-Offset", "Where this chunk starts", true), header("Upload-Length", "Declares a deferred length"), header("Upload-Checksum", "<algorithm> <base64 digest> of this body")],
    responses: { 204: { description: "Stored; new Upload-Offset" }, ...errorResponses(404, 409, 410, 412, 413, 415, 423, 460) },
  },
  {
    method: "delete" as const,
    path: "/api/v1/uploads/{uid}",
    summary: "Terminate an upload",
    description: `${TUS_DOC} Deletes the bytes and releases the reservation (an upload already injected keeps its asset).`,
    parameters: [tusResumable, uid],
    responses: { 204: { description: "Terminated" }, ...errorResponses(404, 412, 423) },
  },
];
for (const p of tusPaths) injectV1Routes.openAPIRegistry.registerPath({ ...p, tags: ["Uploads (tus)"], security: [{ ApiKey: [] }] });

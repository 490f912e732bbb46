import { Hono, type Context } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../platform/errors";
import {
  assertTusVersion,
  CHECKSUM_ALGORITHMS,
  httpDate,
  OFFSET_CONTENT_TYPE,
  parseChecksum,
  parseSize,
  TUS_EXPOSED_HEADERS,
  TUS_EXTENSIONS,
  TUS_REQUEST_HEADERS,
  TUS_VERSION,
} from "./protocol";
import { ABSOLUTE_MAX_SIZE, createUpload, headUpload, maxSizeFor, patchUpload, terminateUpload, type TusUpload, type Uploader } from "./service";

export interface TusServerOptions {
  /** Where the server answers, e.g. `/api/v1/uploads`. */
  basePath: string;
  /** Who calls (401/403 when nobody may upload): the space and the creator. */
  authorize: (c: Context<AppEnv>) => Promise<Uploader>;
}

/** Upload-Offset, Upload-Length / Upload-Defer-Length, Upload-Expires of an upload. */
function stateHeaders(c: Context<AppEnv>, row: TusUpload) {
  c.header("Upload-Offset", String(row.offset));
  if (row.length === null) c.header("Upload-Defer-Length", "1");
  else c.header("Upload-Length", String(row.length));
  // Finished uploads expire too until they are injected (the cron frees what nobody claimed).
  if (!row.injectedFileId) c.header("Upload-Expires", httpDate(row.expiresAt));
}

function isOffsetStream(c: Context<AppEnv>): boolean {
  return (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase() === OFFSET_CONTENT_TYPE;
}

const contentLengthOf = (c: Context<AppEnv>) => parseSize("Content-Length", c.req.header("content-length"));

/**
 * A tus 1.0.0 server (core, creation, creation-with-upload, creation-defer-length, termination,
 * expiration, checksum) over the uploads service: every answer but OPTIONS carries
 * Tus-Resumable, requests without Tus-Resumable: 1.0.0 get 412, and CORS lets browser clients
 * on other origins (with an API key) read the tus headers. The PATCH work is handed to
 * waitUntil as well, so a client that drops mid-request still gets its received bytes saved
 * and the lease released.
 */
export function createTusServer(opts: TusServerOptions) {
  const app = new Hono<AppEnv>();
  const base = opts.basePath;
  // One authorisation per request: the gate below runs it first, the handlers reuse it.
  const seen = new WeakMap<Request, Promise<Uploader>>();
  const authorize = (c: Context<AppEnv>) => {
    let who = seen.get(c.req.raw);
    if (!who) seen.set(c.req.raw, (who = opts.authorize(c)));
    return who;
  };

  app.use(`${base}`, cors);
  app.use(`${base}/*`, cors);

  app.options(base, options);
  app.options(`${base}/:id`, options);

  async function options(c: Context<AppEnv>) {
    if (c.req.header("access-control-request-method")) {
      c.header("Access-Control-Allow-Methods", "POST, GET, HEAD, PATCH, DELETE, OPTIONS");
      c.header("Access-Control-Allow-Headers", TUS_REQUEST_HEADERS.join(", "));
      c.header("Access-Control-Max-Age", "600");
    }
    c.header("Tus-Version", TUS_VERSION);
    c.header("Tus-Extension", TUS_EXTENSIONS.join(","));
    c.header("Tus-Checksum-Algorithm", Object.keys(CHECKSUM_ALGORITHMS).join(","));
    // With a key the caller's own plan limit, without one the server's.
    const max = c.req.header("x-api-key") ? await maxSizeFor(await authorize(c)).catch(() => ABSOLUTE_MAX_SIZE) : ABSOLUTE_MAX_SIZE;
    c.header("Tus-Max-Size", String(max));
    return c.body(null, 204);
  }

  async function cors(c: Context<AppEnv>, next: () => Promise<void>) {
    await next();
    c.header("Access-Control-Allow-Origin", "*");
    c.header("Access-Control-Expose-Headers", TUS_EXPOSED_HEADERS.join(", "));
    c.header("Vary", "Origin");
    if (c.req.method !== "OPTIONS") {
      c.header("Tus-Resumable", TUS_VERSION);
      c.header("Cache-Control", "no-store");
    }
  }

  // After the headers middleware, so a 412 still carries them. Who calls comes first: a request
  // with a bad key (or a session from another site) is refused as such, whatever its tus version.
  app.use(`${base}`, versionGate);
  app.use(`${base}/*`, versionGate);
  async function versionGate(c: Context<AppEnv>, next: () => Promise<void>) {
    if (c.req.method !== "OPTIONS") {
      await authorize(c);
      assertTusVersion(c.req.header("tus-resumable"));
    }
    await next();
  }

  app.post(base, async (c) => {
    const length = parseSize("Upload-Length", c.req.header("upload-length"));
    const defer = c.req.header("upload-defer-length");
    if (defer !== undefined && defer !== "1") throw new ApiError("invalid_request", "Upload-Defer-Length must be 1");
    if ((length === undefined) === (defer === undefined)) throw new ApiError("invalid_request", "Send Upload-Length or Upload-Defer-Length: 1");
    const contentLength = contentLengthOf(c);
    const withBody = isOffsetStream(c);
    if (!withBody && contentLength) throw new ApiError("unsupported_media_type", `A body on creation needs Content-Type: ${OFFSET_CONTENT_TYPE}`);
    const checksum = parseChecksum(c.req.header("upload-checksum"));
    const u = await authorize(c);
    const db = c.var.db;
    let row = await createUpload(db, c.env.FILES, u, { length: length ?? null, metadata: c.req.header("upload-metadata") ?? "" }, Date.now());
    c.header("Location", `${new URL(c.req.url).origin}${base}/${row.id}`);
    if (withBody && c.req.raw.body) {
      try {
        row = await patchInBackground(c, () =>
          patchUpload(db, c.env.FILES, u, row.id, { offset: 0, contentLength, checksum, body: c.req.raw.body }, Date.now),
        );
      } catch (err) {
        // The upload exists: a failed first chunk still answers 201, the client resumes from HEAD.
        if (!(err instanceof ApiError) || err.status >= 500) throw err;
        row = await headUpload(db, u, row.id, Date.now());
      }
    }
    stateHeaders(c, row);
    return c.body(null, 201);
  });

  app.get(`${base}/:id`, async (c) => {
    const row = await headUpload(c.var.db, await authorize(c), c.req.param("id"), Date.now());
    stateHeaders(c, row);
    if (row.metadata) c.header("Upload-Metadata", row.metadata);
    if (c.req.method === "HEAD") return c.body(null, 200);
    return c.json({ id: row.id, offset: row.offset, length: row.length, filename: row.filename, filetype: row.contentType, completed: row.completedAt !== null, expiresAt: new Date(row.expiresAt).toISOString() });
  });

  const patch = async (c: Context<AppEnv>) => {
    if (!isOffsetStream(c)) throw new ApiError("unsupported_media_type", `PATCH needs Content-Type: ${OFFSET_CONTENT_TYPE}`);
    const offset = parseSize("Upload-Offset", c.req.header("upload-offset"));
    if (offset === undefined) throw new ApiError("invalid_request", "Send Upload-Offset");
    const input = {
      offset,
      length: parseSize("Upload-Length", c.req.header("upload-length")),
      contentLength: contentLengthOf(c),
      checksum: parseChecksum(c.req.header("upload-checksum")),
      body: c.req.raw.body,
    };
    const u = await authorize(c);
    const row = await patchInBackground(c, () => patchUpload(c.var.db, c.env.FILES, u, c.req.param("id")!, input, Date.now));
    stateHeaders(c, row);
    return c.body(null, 204);
  };
  const terminate = async (c: Context<AppEnv>) => {
    await terminateUpload(c.var.db, c.env.FILES, await authorize(c), c.req.param("id")!, Date.now());
    return c.body(null, 204);
  };
  app.patch(`${base}/:id`, patch);
  app.delete(`${base}/:id`, terminate);
  // Clients behind proxies that only pass GET/POST (tus-js-client's overridePatchMethod).
  app.post(`${base}/:id`, (c) => {
    const method = c.req.header("x-http-method-override")?.toUpperCase();
    if (method === "PATCH") return patch(c);
    if (method === "DELETE") return terminate(c);
    throw new ApiError("invalid_request", "POST on an upload needs X-HTTP-Method-Override: PATCH or DELETE");
  });
  return app;
}

/** Runs a PATCH so that it finishes even if the client goes away (its bytes get saved, its lease released). */
async function patchInBackground<T>(c: Context<AppEnv>, work: () => Promise<T>): Promise<T> {
  const running = work();
  try {
    c.executionCtx.waitUntil(running.catch(() => undefined));
  } catch {
    // No execution context (a direct app.request in a unit test): awaiting below is enough.
  }
  return running;
}

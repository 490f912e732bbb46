import { Hono, type Context } from "hono";
import { NONCE, secureHeaders } from "hono/secure-headers";
import { ZodError, type z } from "zod";
import type { AppEnv } from "../env";
import { ApiError, ERROR_CODES } from "../platform/errors";
import { zodDetail } from "../platform/openapi";
import { formText, readForm } from "../ui/form";
import { isNewView, limitClientWrites, readVisitor, unlockDownloads, unlockWithPassword, writeVisitor, type Visitor } from "./access";
import { assertCanDownload, fileDownload, zipResponse } from "./download";
import { favoriteIds, filesByIds, galleryFile, galleryFiles, recordActivity, setFavorite } from "./favorites";
import { pageItems } from "./items";
import { GalleryView, MessageView, PasswordView } from "./public-views";
import { DownloadQuery, EmailBody, FavoriteBody, PinBody } from "./schemas";
import { findShareBySlug, isExpired, type SharedGallery } from "./share";

/** The public side of a shared collection, `/g/{slug}`: no account, the link (and its password) is the key. */
export const publicGalleryRoutes = new Hono<AppEnv>();

// Strict CSP: our own origin only, the page's one script by nonce, never framed. The referrer
// (which holds the slug) never leaves our origin; "no-referrer" would make Chromium send
// `Origin: null` on the page's own form posts, which the same-origin check refuses.
const security = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: [NONCE],
    styleSrc: ["'unsafe-inline'"],
    imgSrc: ["'self'", "data:"],
    mediaSrc: ["'self'"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
  },
  referrerPolicy: "same-origin",
  crossOriginResourcePolicy: "same-origin",
});
publicGalleryRoutes.use("/g/:slug", security);
publicGalleryRoutes.use("/g/:slug/*", security);
publicGalleryRoutes.use("/g/:slug", async (c, next) => {
  await next();
  c.header("Cache-Control", "private, no-store");
  c.header("X-Robots-Tag", "noindex, nofollow");
});

type Open = { g: SharedGallery; visitor: Visitor };

const messagePage = (c: Context<AppEnv>, status: 404 | 410, g?: SharedGallery) =>
  status === 404
    ? c.html(<MessageView title="Gallery not found" text="This link does not lead to a gallery. Ask the photographer for a new link." />, 404)
    : c.html(<MessageView title="This gallery has expired" text={`“${g!.collection.name}” is no longer available at this link. Contact the photographer if you still need it.`} studio={g!.studioName} />, 410);

/** The shared gallery of the slug, or why not: unknown/off (404), expired (410), password needed (401). */
async function openGallery(c: Context<AppEnv>, now: number): Promise<Open | { status: 404 | 410 | 401; g?: SharedGallery }> {
  const g = await findShareBySlug(c.var.db, c.req.param("slug") ?? "");
  if (!g || !g.share.enabled) return { status: 404 };
  if (isExpired(g.share, now)) return { status: 410, g };
  const visitor = await readVisitor(c, g.share);
  if (!visitor.unlocked) return { status: 401, g };
  return { g, visitor };
}

/** For the page's JSON and download endpoints: the open gallery, else the matching ApiError. */
async function requireGallery(c: Context<AppEnv>, now: number): Promise<Open> {
  const o = await openGallery(c, now);
  if ("visitor" in o) return o;
  if (o.status === 404) throw new ApiError("not_found", "gallery not found");
  if (o.status === 410) throw new ApiError("gallery_expired", "This gallery has expired");
  throw new ApiError("password_required", "Enter the gallery password first");
}

/** Runs a JSON or download endpoint; failures answer `{ error, detail }` (these routes are not under /api/). */
async function endpoint(c: Context<AppEnv>, run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ZodError) return c.json({ error: "invalid_request", detail: zodDetail(err) }, 400);
    if (!(err instanceof ApiError)) throw err;
    for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v);
    return c.json({ error: err.code, detail: err.detail }, err.status as (typeof ERROR_CODES)[keyof typeof ERROR_CODES]);
  }
}

async function jsonOf<T extends z.ZodTypeAny>(c: Context<AppEnv>, schema: T): Promise<z.infer<T>> {
  if (!/^application\/json\b/i.test(c.req.header("content-type") ?? "")) throw new ApiError("unsupported_media_type", "Send a JSON body");
  const body = await c.req.json().catch(() => {
    throw new ApiError("invalid_json", "The body is not valid JSON");
  });
  return schema.parse(body);
}

async function renderGallery(c: Context<AppEnv>, o: Open, now: number) {
  const { g, visitor } = o;
  const rows = await galleryFiles(c.var.db, g.share);
  const [items, favorites] = await Promise.all([pageItems(c.env, new URL(c.req.url).origin, rows, now), visitor.email ? favoriteIds(c.var.db, g.share, visitor.email) : []]);
  const cover = items.find((i) => i.id === g.share.coverFileId && i.kind === "image") ?? items.find((i) => i.kind === "image") ?? null;
  // Off the response path: a view's record never delays the page. Reloads within 30 minutes are one view.
  c.executionCtx.waitUntil(isNewView(c, g.share, now).then((fresh) => (fresh ? recordActivity(c.var.db, g.share, "view", visitor.email, "", now) : undefined)));
  return c.html(
    <GalleryView
      slug={g.share.slug}
      name={g.collection.name}
      studio={g.studioName}
      date={g.collection.date}
      cover={cover}
      items={items}
      downloads={g.share.downloads}
      pinRequired={!visitor.pin}
      email={visitor.email}
      favorites={favorites}
      nonce={c.get("secureHeadersNonce") ?? ""}
    />,
  );
}

publicGalleryRoutes.get("/g/:slug", async (c) => {
  const now = Date.now();
  const o = await openGallery(c, now);
  if ("visitor" in o) return renderGallery(c, o, now);
  if (o.status === 401) return c.html(<PasswordView slug={o.g!.share.slug} name={o.g!.collection.name} studio={o.g!.studioName} />, 401);
  return messagePage(c, o.status, o.g);
});

publicGalleryRoutes.post("/g/:slug/unlock", async (c) => {
  const now = Date.now();
  const o = await openGallery(c, now);
  if ("visitor" in o) return c.redirect(`/g/${o.g.share.slug}`, 303);
  if (o.status !== 401) return messagePage(c, o.status, o.g);
  const g = o.g!;
  const again = (error: string, status: 401 | 429) => c.html(<PasswordView slug={g.share.slug} name={g.collection.name} studio={g.studioName} error={error} />, status);
  try {
    const form = await readForm(c);
    if (await unlockWithPassword(c, g, formText(form.password).slice(0, 128), now)) return c.redirect(`/g/${g.share.slug}`, 303);
    return again("That password is not right.", 401);
  } catch (err) {
    if (err instanceof ApiError && err.code === "too_many_attempts") {
      for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v);
      return again("Too many attempts. Wait a few minutes and try again.", 429);
    }
    throw err;
  }
});

publicGalleryRoutes.post("/g/:slug/email", (c) =>
  endpoint(c, async () => {
    const { g, visitor } = await requireGallery(c, Date.now());
    const { email } = await jsonOf(c, EmailBody);
    await limitClientWrites(c, g.share, Date.now());
    await writeVisitor(c, g.share, { ...visitor, email });
    return c.json({ email, favorites: await favoriteIds(c.var.db, g.share, email) });
  }),
);

publicGalleryRoutes.get("/g/:slug/favorites", (c) =>
  endpoint(c, async () => {
    const { g, visitor } = await requireGallery(c, Date.now());
    if (!visitor.email) throw new ApiError("email_required", "Enter your email first");
    return c.json({ email: visitor.email, favorites: await favoriteIds(c.var.db, g.share, visitor.email) });
  }),
);

publicGalleryRoutes.put("/g/:slug/favorites/:fileId", (c) =>
  endpoint(c, async () => {
    const now = Date.now();
    const { g, visitor } = await requireGallery(c, now);
    if (!visitor.email) throw new ApiError("email_required", "Enter your email first");
    const { favorite } = await jsonOf(c, FavoriteBody);
    await limitClientWrites(c, g.share, now);
    await setFavorite(c.var.db, g.share, visitor.email, c.req.param("fileId").slice(0, 64), favorite, now);
    return c.json({ email: visitor.email, favorites: await favoriteIds(c.var.db, g.share, visitor.email) });
  }),
);

publicGalleryRoutes.post("/g/:slug/pin", (c) =>
  endpoint(c, async () => {
    const now = Date.now();
    const o = await requireGallery(c, now);
    const { pin } = await jsonOf(c, PinBody);
    await unlockDownloads(c, o.g, pin, now);
    return c.body(null, 204);
  }),
);

publicGalleryRoutes.get("/g/:slug/download", (c) =>
  endpoint(c, async () => {
    const now = Date.now();
    const { g, visitor } = await requireGallery(c, now);
    const mode = g.share.downloads;
    assertCanDownload(mode, visitor);
    const { list } = DownloadQuery.parse(c.req.query());
    let rows;
    if (list === "favorites") {
      if (!visitor.email) throw new ApiError("email_required", "Enter your email first");
      rows = await filesByIds(c.var.db, g.share, await favoriteIds(c.var.db, g.share, visitor.email));
    } else {
      rows = await galleryFiles(c.var.db, g.share);
    }
    await recordActivity(c.var.db, g.share, "download", visitor.email, list === "favorites" ? `ZIP of ${rows.length} favorites` : `ZIP of all ${rows.length} files`, now);
    const name = list === "favorites" ? `${g.collection.name} - favorites` : g.collection.name;
    return zipResponse(c.env.FILES, rows, mode, name, (p) => c.executionCtx.waitUntil(p));
  }),
);

publicGalleryRoutes.get("/g/:slug/files/:fileId/download", (c) =>
  endpoint(c, async () => {
    const now = Date.now();
    const { g, visitor } = await requireGallery(c, now);
    const mode = g.share.downloads;
    assertCanDownload(mode, visitor);
    const file = await galleryFile(c.var.db, g.share, c.req.param("fileId").slice(0, 64));
    // A resumed or ranged read of the same file is one download, not several.
    if (!c.req.header("range")) await recordActivity(c.var.db, g.share, "download", visitor.email, file.name, now);
    return fileDownload(c.env.FILES, file, mode, c.req.raw);
  }),
);

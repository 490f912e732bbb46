import { Hono, type Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env";
import { renderNotEnabledPage } from "../pages/error";
import { Layout } from "../pages/layout";
import { uploadPageSecurity } from "../pages/security";
import { formError, pageUser, requirePageSession } from "../pages/session";
import { ApiError } from "../platform/errors";
import { ItemName } from "./schemas";
import {
  createFolder,
  driveStorage,
  listAllFolders,
  listFolder,
  listTrash,
  purgeItems,
  restoreItems,
  trashItem,
  updateItem,
  type DriveCtx,
} from "./service";
import { DrivePage } from "./views";

/** The Drive dashboard page: server-rendered forms plus upload, move-picker and preview islands. */
export const drivePageRoutes = new Hono<AppEnv>();

const BASE = "/dashboard/drive";

const security = uploadPageSecurity({
  // PDFs are previewed from a same-origin blob.
  frameSrc: ["blob:"],
  objectSrc: ["'none'"],
});
drivePageRoutes.use(BASE, security);
drivePageRoutes.use(`${BASE}/*`, security);
drivePageRoutes.use(BASE, requirePageSession);
drivePageRoutes.use(`${BASE}/*`, requirePageSession);

const PageQuery = z.object({
  folder: z.string().max(64).optional(),
  view: z.enum(["files", "trash"]).optional(),
  apps: z.enum(["1", "0"]).optional(),
  cursor: z.string().max(2000).optional(),
});

async function sessionCtx(c: Context<AppEnv>): Promise<DriveCtx | null> {
  const user = pageUser(c);
  const drive = await c.var.db.query.drives.findFirst({ where: (d, { eq }) => eq(d.profileId, user.id) });
  return drive ? { driveId: drive.id, profileId: user.id, via: "session", app: null } : null;
}

/** Folders the picker offers: live ones outside integration app trees (read-only here). */
function pickable(folders: Awaited<ReturnType<typeof listAllFolders>>) {
  const byId = new Map(folders.map((f) => [f.id, f]));
  const appTree = (id: string | null): boolean => {
    for (let f = id ? byId.get(id) : undefined, depth = 0; f && depth < 500; f = f.parentId ? byId.get(f.parentId) : undefined, depth++) {
      if (f.appId) return true;
    }
    return false;
  };
  return folders.filter((f) => !appTree(f.id));
}

async function render(c: Context<AppEnv>, error: string | null = null, status = 200) {
  const user = pageUser(c);
  const ctx = await sessionCtx(c);
  if (!ctx) return renderNotEnabledPage(c, user, "Drive");
  const q = PageQuery.safeParse(c.req.query());
  const query = q.success ? q.data : {};
  const view = query.view ?? "files";
  const showApps = query.apps === "1";
  const url = new URL(c.req.url);
  const back = c.req.method === "GET" ? url.pathname + url.search : BASE;
  const now = Date.now();
  const storage = await driveStorage(c.var.db, ctx);
  let listing = null;
  let trash = null;
  let pickerFolders: Awaited<ReturnType<typeof listAllFolders>> = [];
  if (view === "trash") {
    trash = await listTrash(c.var.db, ctx);
  } else {
    try {
      listing = await listFolder(c.var.db, c.env, ctx, { parentId: query.folder, includeIntegrationAppFolders: showApps, limit: 100, cursor: query.cursor }, url.origin, now);
    } catch (err) {
      error ??= formError(err);
      status = status === 200 ? (err instanceof ApiError ? err.status : 400) : status;
      listing = await listFolder(c.var.db, c.env, ctx, { includeIntegrationAppFolders: showApps, limit: 100 }, url.origin, now);
    }
    pickerFolders = pickable(await listAllFolders(c.var.db, ctx.driveId));
  }
  return c.html(
    <Layout title="Drive" user={user}>
      <DrivePage
        driveId={ctx.driveId}
        storage={storage}
        view={view}
        listing={listing}
        trash={trash}
        pickerFolders={pickerFolders}
        showApps={showApps}
        back={back}
        error={error}
        nonce={c.get("secureHeadersNonce")}
      />
    </Layout>,
    status as 200,
  );
}

drivePageRoutes.get(BASE, (c) => render(c));

const text = (v: unknown) => (typeof v === "string" ? v : "");
/** Where to go after a form: only back into this page. */
const backOf = (form: Record<string, unknown>) => {
  const b = text(form.back);
  return /^\/dashboard\/drive(\?[^\s]*)?$/.test(b) && !b.startsWith("//") ? b : BASE;
};
const IdParam = z.object({ id: z.string().min(1).max(64) });
const TypeField = z.enum(["file", "folder"]);
const OptionalFolder = z.string().max(64).transform((s) => s || null);

/** Runs a form action; success redirects (303) back, failure re-renders with the message. */
async function action(c: Context<AppEnv>, run: (ctx: DriveCtx, form: Record<string, unknown>) => Promise<void>) {
  try {
    const ctx = await sessionCtx(c);
    if (!ctx) throw new ApiError("not_found", "This account has no Drive");
    const form = (await c.req.parseBody()) as Record<string, unknown>;
    await run(ctx, form);
    return c.redirect(backOf(form), 303);
  } catch (err) {
    const status = err instanceof ApiError ? err.status : 400;
    return render(c, formError(err), status);
  }
}

drivePageRoutes.post(`${BASE}/folders`, (c) =>
  action(c, async (ctx, form) => {
    await createFolder(c.var.db, ctx, { name: ItemName.parse(text(form.name)), parentId: OptionalFolder.parse(text(form.parentId)) }, Date.now());
  }),
);

drivePageRoutes.post(`${BASE}/items/:id/rename`, (c) =>
  action(c, async (ctx, form) => {
    const { id } = IdParam.parse(c.req.param());
    await updateItem(c.var.db, c.env, ctx, TypeField.parse(form.type), id, { name: ItemName.parse(text(form.name)) }, new URL(c.req.url).origin, Date.now());
  }),
);

drivePageRoutes.post(`${BASE}/items/:id/move`, (c) =>
  action(c, async (ctx, form) => {
    const { id } = IdParam.parse(c.req.param());
    const targetFolderId = OptionalFolder.parse(text(form.targetFolderId));
    await updateItem(c.var.db, c.env, ctx, TypeField.parse(form.type), id, { targetFolderId }, new URL(c.req.url).origin, Date.now());
  }),
);

drivePageRoutes.post(`${BASE}/items/:id/delete`, (c) =>
  action(c, async (ctx, form) => {
    await trashItem(c.var.db, ctx, TypeField.parse(form.type), IdParam.parse(c.req.param()).id, Date.now());
  }),
);

const selection = (form: Record<string, unknown>) => {
  const type = TypeField.parse(form.type);
  const { id } = IdParam.parse({ id: text(form.id) });
  return type === "file" ? { fileIds: [id], folderIds: [] } : { fileIds: [], folderIds: [id] };
};

drivePageRoutes.post(`${BASE}/trash/restore`, (c) =>
  action(c, async (ctx, form) => {
    await restoreItems(c.var.db, ctx, selection(form), Date.now());
  }),
);

drivePageRoutes.post(`${BASE}/trash/delete`, (c) =>
  action(c, async (ctx, form) => {
    await purgeItems(c.var.db, c.env.FILES, ctx, selection(form));
  }),
);

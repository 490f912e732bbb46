import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import type { AppEnv } from "../env";
import { renderNotEnabledPage } from "../ui/error";
import { failureStatus, formError, formText, IdParam, runFormAction, type FormBody } from "../ui/form";
import { Layout } from "../ui/layout";
import { uploadPageSecurity } from "../ui/security";
import { pageUser, requirePageSession } from "../ui/session";
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

async function render(c: Context<AppEnv>, error: string | null = null, status: ContentfulStatusCode = 200) {
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
      status = status === 200 ? failureStatus(err) : status;
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
    status,
  );
}

drivePageRoutes.get(BASE, (c) => render(c));

/** Where to go after a form: only back into this page. */
const backOf = (form: FormBody) => {
  const b = formText(form.back);
  return /^\/dashboard\/drive(\?[^\s]*)?$/.test(b) && !b.startsWith("//") ? b : BASE;
};
const TypeField = z.enum(["file", "folder"]);
const OptionalFolder = z.string().max(64).transform((s) => s || null);

/** Runs a form action; success redirects (303) back, failure re-renders with the message. */
const action = (c: Context<AppEnv>, run: (ctx: DriveCtx, form: FormBody) => Promise<void>) =>
  runFormAction(c, {
    run: async (form) => {
      const ctx = await sessionCtx(c);
      if (!ctx) throw new ApiError("not_found", "This account has no Drive");
      await run(ctx, form);
      return c.redirect(backOf(form), 303);
    },
    onError: ({ message, status }) => render(c, message, status),
  });

drivePageRoutes.post(`${BASE}/folders`, (c) =>
  action(c, async (ctx, form) => {
    await createFolder(c.var.db, ctx, { name: ItemName.parse(formText(form.name)), parentId: OptionalFolder.parse(formText(form.parentId)) }, Date.now());
  }),
);

drivePageRoutes.post(`${BASE}/items/:id/rename`, (c) =>
  action(c, async (ctx, form) => {
    const { id } = IdParam.parse(c.req.param());
    await updateItem(c.var.db, c.env, ctx, TypeField.parse(form.type), id, { name: ItemName.parse(formText(form.name)) }, new URL(c.req.url).origin, Date.now());
  }),
);

drivePageRoutes.post(`${BASE}/items/:id/move`, (c) =>
  action(c, async (ctx, form) => {
    const { id } = IdParam.parse(c.req.param());
    const targetFolderId = OptionalFolder.parse(formText(form.targetFolderId));
    await updateItem(c.var.db, c.env, ctx, TypeField.parse(form.type), id, { targetFolderId }, new URL(c.req.url).origin, Date.now());
  }),
);

drivePageRoutes.post(`${BASE}/items/:id/delete`, (c) =>
  action(c, async (ctx, form) => {
    await trashItem(c.var.db, ctx, TypeField.parse(form.type), IdParam.parse(c.req.param()).id, Date.now());
  }),
);

const selection = (form: FormBody) => {
  const type = TypeField.parse(form.type);
  const { id } = IdParam.parse({ id: formText(form.id) });
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

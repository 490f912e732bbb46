import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import type { AppEnv } from "../env";
import { renderNotEnabledPage } from "../ui/error";
import { formError, formText, IdParam, runFormAction, type FormBody } from "../ui/form";
import { Layout } from "../ui/layout";
import { uploadPageSecurity } from "../ui/security";
import { pageUser, requirePageSession } from "../ui/session";
import { CategoryBody, CollectionIdParam, CreateCollectionBody, FileIdParam, ListFilesQuery } from "./schemas";
import {
  createCategory,
  createCollection,
  deleteCategory,
  deleteCollection,
  deleteFile,
  getCollection,
  getStudio,
  listCategories,
  listCollections,
  renameCategory,
  studioStorage,
  updateCollection,
} from "./service";
import { listFiles } from "./variants";
import { renderCollectionSections } from "./slots";
import { GalleryPage, type GalleryPageProps } from "./views";

/** The Client Gallery dashboard page (server-rendered forms plus one upload island). */
export const galleryPageRoutes = new Hono<AppEnv>();

const BASE = "/dashboard/gallery";

const security = uploadPageSecurity();
galleryPageRoutes.use(BASE, security);
galleryPageRoutes.use(`${BASE}/*`, security);
galleryPageRoutes.use(BASE, requirePageSession);
galleryPageRoutes.use(`${BASE}/*`, requirePageSession);

const PageQuery = z.object({
  category: z.string().max(64).optional(),
  collection: z.string().max(64).optional(),
  cursor: ListFilesQuery.shape.cursor,
});

async function render(c: Context<AppEnv>, error: string | null = null, status: ContentfulStatusCode = 200) {
  const user = pageUser(c);
  const studio = await c.var.db.query.studios.findFirst({ where: (s, { eq }) => eq(s.profileId, user.id) });
  if (!studio) return renderNotEnabledPage(c, user, "Client Gallery");
  const q = PageQuery.safeParse(c.req.query());
  const query = q.success ? q.data : {};
  const filter = query.category || undefined;
  const now = Date.now();
  const [storage, categories, collections] = await Promise.all([
    studioStorage(c.var.db, studio),
    listCategories(c.var.db, studio.id),
    listCollections(c.var.db, studio.id, filter),
  ]);
  let selected: GalleryPageProps["selected"] = null;
  let sections: Awaited<ReturnType<typeof renderCollectionSections>> = [];
  if (query.collection) {
    try {
      const collection = await getCollection(c.var.db, studio.id, query.collection);
      const files = await listFiles(c.var.db, c.env, studio.id, collection.id, { limit: 60, cursor: query.cursor }, new URL(c.req.url).origin, now);
      selected = { collection, files };
      sections = await renderCollectionSections(c, studio, collection.id);
    } catch (err) {
      error ??= formError(err);
      status = status === 200 ? 404 : status;
    }
  }
  return c.html(
    <Layout title="Client Gallery" user={user}>
      <GalleryPage
        studioId={studio.id}
        storage={storage}
        categories={categories}
        collections={collections}
        filter={filter}
        selected={selected}
        error={error}
        nonce={c.get("secureHeadersNonce")}
      />
      {sections.length ? <div class="card" style="margin-top:20px">{sections}</div> : null}
    </Layout>,
    status,
  );
}

galleryPageRoutes.get(BASE, (c) => render(c));

/** Runs a form action; success redirects (303) to the path `run` returns, failure re-renders with the message. */
const action = (c: Context<AppEnv>, run: (studio: { id: string; profileId: string }, form: FormBody) => Promise<string>) =>
  runFormAction(c, {
    run: async (form) => c.redirect(await run(await getStudio(c.var.db, c.var.auth.profileId), form), 303),
    onError: ({ message, status }) => render(c, message, status),
  });

const collectionFields = (form: FormBody) => ({
  name: formText(form.name),
  clientName: formText(form.clientName),
  date: formText(form.date) || null,
  categoryId: formText(form.categoryId) || null,
});

galleryPageRoutes.post(`${BASE}/categories`, (c) =>
  action(c, async (studio, form) => {
    await createCategory(c.var.db, studio.id, CategoryBody.parse({ name: formText(form.name) }).name, Date.now());
    return BASE;
  }),
);

galleryPageRoutes.post(`${BASE}/categories/:id/rename`, (c) =>
  action(c, async (studio, form) => {
    await renameCategory(c.var.db, studio.id, IdParam.parse(c.req.param()).id, CategoryBody.parse({ name: formText(form.name) }).name);
    return BASE;
  }),
);

galleryPageRoutes.post(`${BASE}/categories/:id/delete`, (c) =>
  action(c, async (studio) => {
    await deleteCategory(c.var.db, studio.id, IdParam.parse(c.req.param()).id, Date.now());
    return BASE;
  }),
);

galleryPageRoutes.post(`${BASE}/collections`, (c) =>
  action(c, async (studio, form) => {
    const col = await createCollection(c.var.db, studio.id, CreateCollectionBody.parse(collectionFields(form)), Date.now());
    return `${BASE}?collection=${col.id}`;
  }),
);

galleryPageRoutes.post(`${BASE}/collections/:id`, (c) =>
  action(c, async (studio, form) => {
    const { id } = CollectionIdParam.parse(c.req.param());
    await updateCollection(c.var.db, studio.id, id, CreateCollectionBody.parse(collectionFields(form)), Date.now());
    return `${BASE}?collection=${id}`;
  }),
);

galleryPageRoutes.post(`${BASE}/collections/:id/delete`, (c) =>
  action(c, async (studio) => {
    await deleteCollection(c.var.db, c.env.FILES, studio.id, CollectionIdParam.parse(c.req.param()).id);
    return BASE;
  }),
);

galleryPageRoutes.post(`${BASE}/collections/:id/files/:fileId/delete`, (c) =>
  action(c, async (studio) => {
    const { id, fileId } = FileIdParam.parse(c.req.param());
    await deleteFile(c.var.db, c.env.FILES, studio.id, id, fileId);
    return `${BASE}?collection=${id}`;
  }),
);

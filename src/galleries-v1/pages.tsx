import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import type { AppEnv } from "../env";
import { renderNotEnabledPage } from "../ui/error";
import { formError, formText, pageId, runFormAction, type FormBody } from "../ui/form";
import { Layout } from "../ui/layout";
import { pageSecurity, uploadPageSecurity } from "../ui/security";
import { pageUser, requirePageSession } from "../ui/session";
import { getStudio } from "../gallery/service";
import { membershipsOf, pageActorFor, type Actor } from "./access";
import { createFolder, listFolders, moveContents, renameAsset, renameFolder } from "./folders";
import { getGallery, listAssets, listGalleries } from "./galleries";
import { createField, getGalleryMetadata, listFields, updateGalleryMetadata } from "./metadata";
import { MembersPage } from "./members-view";
import { createMember, createTeam, deleteMember, deleteTeam, listMembers, listTeams, rotateMemberKey, setTeamMembers } from "./people";
import { effectiveAccess, listGalleryTeams, revokeTeamRight, setTeamRight, teamRightsEverywhere } from "./rights";
import { CreateFieldParams, CreateFolderParams, CreateMemberParams, ItemName, PageParams, TeamParams } from "./schemas";
import { GalleryV1Page, SharedPage } from "./views";
import { shareFromPage } from "./share-pages";
import { injectUploads, InjectUploadsParams } from "./uploads";

/** Dashboard pages of the v1 model: one gallery's folders, rights and metadata; Members & Teams. */
export const galleriesV1PageRoutes = new Hono<AppEnv>();

// The gallery page runs one inline script (drag to move) with the page's nonce.
galleriesV1PageRoutes.use("/dashboard/galleries/*", uploadPageSecurity());
for (const path of ["/dashboard/shared", "/dashboard/members", "/dashboard/members/*", "/dashboard/teams", "/dashboard/teams/*", "/dashboard/fields"]) {
  galleriesV1PageRoutes.use(path, pageSecurity);
}
for (const path of ["/dashboard/shared", "/dashboard/galleries/*", "/dashboard/members", "/dashboard/members/*", "/dashboard/teams", "/dashboard/teams/*", "/dashboard/fields"]) {
  galleriesV1PageRoutes.use(path, requirePageSession);
}

/** The signed-in studio acts as the owner; null when the profile has no Client Gallery. */
async function ownerActor(c: Context<AppEnv>): Promise<Actor | null> {
  try {
    return { kind: "owner", studioId: (await getStudio(c.var.db, pageUser(c).id)).id };
  } catch {
    return null;
  }
}

const Level = z.enum(["read", "write", "manage"]);

const notFoundPage = (c: Context<AppEnv>, message = "gallery not found") =>
  c.html(
    <Layout title="Gallery" user={pageUser(c)}>
      <h1>Gallery not found</h1>
      <p class="muted">{message}</p>
    </Layout>,
    404,
  );

async function renderGallery(c: Context<AppEnv>, id: string, error: string | null = null, status: ContentfulStatusCode = 200) {
  const user = pageUser(c);
  const actor = await pageActorFor(c.var.db, user, id);
  if (!actor) return notFoundPage(c);
  const db = c.var.db;
  const q = PageParams.safeParse({ ...c.req.query(), limit: 100 });
  try {
    const gallery = await getGallery(db, actor, id);
    const [folders, page, metadata, fields, teams] = await Promise.all([
      listFolders(db, actor, id),
      listAssets(db, c.env, actor, id, q.success ? q.data : { limit: 100 }, new URL(c.req.url).origin, Date.now()),
      getGalleryMetadata(db, actor, id),
      listFields(db, actor.studioId),
      listTeams(db, actor.studioId),
    ]);
    const manage = gallery.access === "manage";
    const [rights, effective] = manage ? await Promise.all([listGalleryTeams(db, actor, id), effectiveAccess(db, actor, id)]) : [null, null];
    return c.html(
      <Layout title={gallery.name} user={user}>
        <GalleryV1Page
          gallery={gallery}
          folders={folders.folders}
          assets={page.assets}
          nextCursor={page.next_cursor}
          rights={rights?.teams ?? null}
          effective={effective?.members ?? null}
          teams={teams.teams}
          fields={fields.custom_metadata_fields}
          metadata={metadata.custom_metadata}
          error={error}
          nonce={c.get("secureHeadersNonce")}
        />
      </Layout>,
      status,
    );
  } catch (err) {
    return notFoundPage(c, formError(err));
  }
}

galleriesV1PageRoutes.get("/dashboard/galleries/:id", (c) => renderGallery(c, pageId(c.req.param("id"), "gallery")));

/** A gallery form action: success goes back to the gallery page (303), failure re-renders it with the message. */
function galleryAction(path: string, run: (c: Context<AppEnv>, actor: Actor, id: string, form: FormBody) => Promise<unknown>) {
  galleriesV1PageRoutes.post(`/dashboard/galleries/:id/${path}`, async (c) => {
    const id = pageId(c.req.param("id"), "gallery");
    const actor = await pageActorFor(c.var.db, pageUser(c), id);
    if (!actor) return notFoundPage(c);
    return runFormAction(c, {
      run: async (form) => {
        await run(c, actor, id, form);
        return c.redirect(`/dashboard/galleries/${id}`, 303);
      },
      onError: ({ message, status }) => renderGallery(c, id, message, status),
    });
  });
}

galleryAction("folders", (c, actor, id, form) => {
  const p = CreateFolderParams.parse({ dirname: formText(form.parent), name: formText(form.name) });
  return createFolder(c.var.db, actor, id, p.dirname, p.name, Date.now());
});
galleryAction("folders/rename", (c, actor, id, form) => renameFolder(c.var.db, actor, id, formText(form.path), ItemName.parse(formText(form.name))));
galleryAction("move", (c, actor, id, form) => {
  const folder = formText(form.folder);
  const assetId = formText(form.asset_id);
  return moveContents(c.var.db, c.env.FILES, actor, id, {
    target: formText(form.target),
    folders: folder ? [{ containerId: id, dirname: folder }] : [],
    assetIds: assetId ? [assetId] : [],
    overwrite: false,
  });
});
galleryAction("assets/rename", (c, actor, id, form) => renameAsset(c.var.db, actor, id, formText(form.asset_id), ItemName.parse(formText(form.name))));
galleryAction("share", shareFromPage);
galleryAction("inject", (c, actor, id, form) => injectUploads(c.var.db, c.env, actor, id, InjectUploadsParams.parse({ uids: [formText(form.uid)], prefix: formText(form.prefix) }), Date.now()));
galleryAction("rights", (c, actor, id, form) => setTeamRight(c.var.db, actor, id, formText(form.team_id), Level.parse(formText(form.level)), Date.now()));
galleryAction("metadata", (c, actor, id, form) => {
  const entries = Object.entries(form)
    .filter(([k]) => k.startsWith("field_"))
    .map(([k, v]) => ({ key: k, fieldId: k.slice("field_".length), value: formText(v) }));
  return updateGalleryMetadata(c.var.db, actor, id, entries, Date.now());
});
galleriesV1PageRoutes.post("/dashboard/galleries/:id/rights/:teamId/revoke", async (c) => {
  const id = pageId(c.req.param("id"), "gallery");
  const actor = await pageActorFor(c.var.db, pageUser(c), id);
  if (!actor) return notFoundPage(c);
  return runFormAction(c, {
    run: async () => {
      await revokeTeamRight(c.var.db, actor, id, pageId(c.req.param("teamId"), "team"));
      return c.redirect(`/dashboard/galleries/${id}`, 303);
    },
    onError: ({ message, status }) => renderGallery(c, id, message, status),
  });
});

// ---------- Members & Teams ----------

async function renderMembers(c: Context<AppEnv>, opts: { error?: string | null; status?: ContentfulStatusCode; newKey?: { memberId: string; key: string } } = {}) {
  const user = pageUser(c);
  const actor = await ownerActor(c);
  // People without a studio of their own come here as members: their page is Shared with me.
  if (!actor) return c.redirect("/dashboard/shared", 303);
  const [members, teams, fields] = await Promise.all([listMembers(c.var.db, actor.studioId), listTeams(c.var.db, actor.studioId), listFields(c.var.db, actor.studioId)]);
  if (opts.newKey) c.header("Cache-Control", "no-store");
  return c.html(
    <Layout title="Members & Teams" user={user}>
      <MembersPage members={members.members} teams={teams.teams} fields={fields.custom_metadata_fields} newKey={opts.newKey} error={opts.error} />
    </Layout>,
    opts.status ?? 200,
  );
}

galleriesV1PageRoutes.get("/dashboard/members", (c) => renderMembers(c));

/** A Members & Teams form action: 303 back to the page, or the page again with the message. */
function studioAction(path: string, run: (c: Context<AppEnv>, studioId: string, form: FormBody) => Promise<Response | void>) {
  galleriesV1PageRoutes.post(path, async (c) => {
    const actor = await ownerActor(c);
    if (!actor) return renderNotEnabledPage(c, pageUser(c), "Client Gallery");
    return runFormAction(c, {
      run: async (form) => (await run(c, actor.studioId, form)) ?? c.redirect("/dashboard/members", 303),
      onError: ({ message, status }) => renderMembers(c, { error: message, status }),
    });
  });
}

studioAction("/dashboard/members", async (c, studioId, form) => {
  await createMember(c.var.db, studioId, CreateMemberParams.parse({ email: formText(form.email), name: formText(form.name) }), Date.now());
});
studioAction("/dashboard/members/:id/key", async (c, studioId) => {
  const memberId = pageId(c.req.param("id"), "member");
  const key = await rotateMemberKey(c.var.db, studioId, memberId);
  // The key is shown once, on this answer, never through a redirect URL.
  return renderMembers(c, { newKey: { memberId, key: key.api_key } });
});
studioAction("/dashboard/members/:id/delete", (c, studioId) => deleteMember(c.var.db, studioId, pageId(c.req.param("id"), "member")));
studioAction("/dashboard/teams", async (c, studioId, form) => {
  await createTeam(c.var.db, studioId, TeamParams.parse({ name: formText(form.name) }).name, Date.now());
});
studioAction("/dashboard/teams/:id/members", async (c, studioId, form) => {
  const ids = (await c.req.parseBody({ all: true })).member_ids ?? form.member_ids;
  const list = (Array.isArray(ids) ? ids : ids === undefined ? [] : [ids]).map(formText).filter(Boolean);
  await setTeamMembers(c.var.db, studioId, pageId(c.req.param("id"), "team"), list);
});
studioAction("/dashboard/teams/:id/everywhere", async (c, studioId, form) => {
  const level = formText(form.level);
  const revoke = level === "revoke";
  await teamRightsEverywhere(c.var.db, { kind: "owner", studioId }, pageId(c.req.param("id"), "team"), { revoke, level: revoke ? "read" : Level.parse(level) }, Date.now());
});
studioAction("/dashboard/teams/:id/delete", (c, studioId) => deleteTeam(c.var.db, studioId, pageId(c.req.param("id"), "team")));
studioAction("/dashboard/fields", async (c, studioId, form) => {
  const options = formText(form.options)
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean);
  const p = CreateFieldParams.parse({ name: formText(form.name), field_type: formText(form.field_type), options: options.length ? options : undefined });
  await createField(c.var.db, studioId, { name: p.name, fieldType: p.field_type, options: p.options }, Date.now());
});

// ---------- Shared with me ----------

galleriesV1PageRoutes.get("/dashboard/shared", async (c) => {
  const user = pageUser(c);
  const db = c.var.db;
  const shared = [];
  for (const m of await membershipsOf(db, user)) {
    const studio = await db.query.studios.findFirst({ where: (s, { eq }) => eq(s.id, m.studioId) });
    const page = await listGalleries(db, { kind: "member", studioId: m.studioId, memberId: m.id }, { limit: 500 });
    shared.push({ studio: studio?.name ?? "", galleries: page.galleries });
  }
  return c.html(
    <Layout title="Shared with me" user={user}>
      <SharedPage shared={shared} verified={user.googleSubject !== null || user.emailVerifiedAt !== null} />
    </Layout>,
  );
});

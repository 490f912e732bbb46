import { createRouter } from "../platform/openapi";
import { createFolder, listFolders, moveContents, renameAsset, renameFolder } from "./folders";
import { addAssets, createGallery, deleteGallery, getGallery, listAssets, listGalleries, updateGallery } from "./galleries";
import { getGalleryMetadata, updateGalleryMetadata } from "./metadata";
import { bulkGalleryRights, effectiveAccess, levelOf, listGalleryTeams, revokeTeamRight, setTeamRight, teamRightsEverywhere } from "./rights";
import { addV1Route } from "./route-kit";
import {
  AddAssetsParams,
  BulkGalleryParams,
  BulkTeamParams,
  CreateFolderParams,
  CreateGalleryParams,
  MoveContentsParams,
  PageParams,
  RenameAssetParams,
  RenameFolderParams,
  TeamRightParams,
  UpdateGalleryParams,
  UpdateMetadataParams,
} from "./schemas";

/** The v1 galleries API of galleries-v1.txt (inject_uploads and share_via_email come later). */
export const galleriesV1Routes = createRouter();
const r = galleriesV1Routes;
const G = "/api/v1/galleries";

// Static segments first: `update_teams/{team_id}` must not be read as a gallery id.
addV1Route(r, {
  method: "put",
  path: `${G}/update_teams/{team_id}`,
  summary: "Bulk update access rights for a galleries for a specific team id",
  description: "Owner only. Gives the team read (or `write`, or `manage`) on every gallery of the studio, or removes its rights everywhere with `revoke`.",
  params: BulkTeamParams,
  run: ({ c, actor, path, input, now }) => teamRightsEverywhere(c.var.db, actor, path.team_id!, { revoke: input.revoke, level: levelOf(input) }, now),
});

addV1Route(r, {
  method: "get",
  path: G,
  summary: "Get a list of gallery names",
  description: "The galleries the caller can read, newest first: `{ galleries: [{ id, name }], next_cursor }`. Pass `next_cursor` back as `cursor`; `limit` 1–500 (100).",
  params: PageParams,
  run: ({ c, actor, input }) => listGalleries(c.var.db, actor, input),
});

addV1Route(r, {
  method: "post",
  path: G,
  summary: "Create a new gallery",
  description: "Owner only. `gallery[name]` and `gallery[description]` (the headline) are required. The gallery is also a Client Gallery collection.",
  params: CreateGalleryParams,
  status: 201,
  run: ({ c, actor, input, now }) => createGallery(c.var.db, actor, input.gallery, now),
});

addV1Route(r, {
  method: "get",
  path: `${G}/{id}`,
  summary: "Display a gallery",
  description: "Read access. With `asset_count` and the caller's `access` (read, write or manage).",
  run: ({ c, actor, path }) => getGallery(c.var.db, actor, path.id!),
});

addV1Route(r, {
  method: "put",
  path: `${G}/{id}`,
  summary: "Update a gallery",
  description: "Write access. `gallery[name]`, `gallery[description]`, both optional.",
  params: UpdateGalleryParams,
  run: ({ c, actor, path, input, now }) => updateGallery(c.var.db, actor, path.id!, input.gallery ?? {}, now),
});

addV1Route(r, {
  method: "delete",
  path: `${G}/{id}`,
  summary: "Delete a gallery",
  description: "Manage access. Removes its rights, metadata and folders and unlinks its assets; objects no other gallery holds are deleted and their bytes freed.",
  status: 204,
  run: ({ c, actor, path }) => deleteGallery(c.var.db, c.env.FILES, actor, path.id!),
});

addV1Route(r, {
  method: "get",
  path: `${G}/{id}/assets`,
  summary: "Display all assets related to the gallery",
  description: "Read access. Oldest first, each with name, type, size, dirname and a signed `url`; paged like the list of galleries.",
  params: PageParams,
  run: ({ c, actor, path, input, now }) => listAssets(c.var.db, c.env, actor, path.id!, input, new URL(c.req.url).origin, now),
});

addV1Route(r, {
  method: "post",
  path: `${G}/{id}/addassets`,
  summary: "Add assets to a gallery",
  description:
    "Write access. Links assets of other galleries of the studio (`asset_ids`) into this one, at its root: one stored object, counted once against the quota. " +
    "Assets already here are left as they are; an unknown or unreadable id is 404 and nothing is linked.",
  params: AddAssetsParams,
  run: ({ c, actor, path, input, now }) => addAssets(c.var.db, actor, path.id!, input.asset_ids, now),
});

// ---------- rights ----------

addV1Route(r, {
  method: "get",
  path: `${G}/{id}/teams`,
  summary: "Display all teams and their access rights in regards to a gallery",
  description: "Manage access.",
  run: ({ c, actor, path }) => listGalleryTeams(c.var.db, actor, path.id!),
});

addV1Route(r, {
  method: "put",
  path: `${G}/{id}/teams`,
  summary: "Update access rights of a team to a gallery",
  description: "Manage access. `team_id`; `write` (default false) for read/write, `manage` (ours) for write plus this gallery's rights.",
  params: TeamRightParams,
  run: ({ c, actor, path, input, now }) => setTeamRight(c.var.db, actor, path.id!, input.team_id, levelOf(input), now),
});

addV1Route(r, {
  method: "delete",
  path: `${G}/{id}/teams/{team_id}`,
  summary: "Remove access rights of a team to a gallery",
  description: "Manage access.",
  status: 204,
  run: ({ c, actor, path }) => revokeTeamRight(c.var.db, actor, path.id!, path.team_id!),
});

addV1Route(r, {
  method: "put",
  path: `${G}/{id}/update_teams`,
  summary: "Bulk update access rights for a gallery",
  description: "Manage access. `own_teams` true: every member's own team; false: every normal team. `write` / `manage` set the level, `revoke` removes their rights.",
  params: BulkGalleryParams,
  run: ({ c, actor, path, input, now }) => bulkGalleryRights(c.var.db, actor, path.id!, { ownTeams: input.own_teams, revoke: input.revoke, level: levelOf(input) }, now),
});

addV1Route(r, {
  method: "get",
  path: `${G}/{id}/effective_access_rights`,
  summary: "Show all users mapped to the teams that give them access rights to a gallery",
  description: "Manage access. Each member with read/write/manage (the best over their teams) and the teams that give it.",
  run: ({ c, actor, path }) => effectiveAccess(c.var.db, actor, path.id!),
});

// ---------- metadata ----------

addV1Route(r, {
  method: "get",
  path: `${G}/{id}/custom_metadata`,
  summary: "Display metadata of a gallery",
  description: "Read access.",
  run: ({ c, actor, path }) => getGalleryMetadata(c.var.db, actor, path.id!),
});

addV1Route(r, {
  method: "put",
  path: `${G}/{id}/update_metadata`,
  summary: "Update metadata of a gallery",
  description:
    'Write access. `custom_metadata` is a hash of hashes: `{ "0": { "custom_metadata_field": "<field id>", "value": "…" } }` (an array works too). ' +
    "Each value is checked against its field's type; `null` or \"\" clears it. One bad entry rejects the whole update.",
  params: UpdateMetadataParams,
  run: ({ c, actor, path, input, now }) => {
    const entries = Object.entries(input.custom_metadata).map(([key, e]) => ({ key, fieldId: e.custom_metadata_field, value: e.value }));
    return updateGalleryMetadata(c.var.db, actor, path.id!, entries, now);
  },
});

// ---------- folders ----------

addV1Route(r, {
  method: "get",
  path: `${G}/{id}/folders`,
  summary: "List the folders of a gallery",
  description: "Read access. Every folder's path (`a/b`), sorted; the root is \"\".",
  run: ({ c, actor, path }) => listFolders(c.var.db, actor, path.id!),
});

addV1Route(r, {
  method: "put",
  path: `${G}/{id}/create_folder`,
  summary: "Create a new folder in the Gallery",
  description: 'Write access. `dirname` of the parent ("" = root), `name`; `storage` may only be `default`. 409 `name_conflict` when the name is taken.',
  params: CreateFolderParams,
  run: ({ c, actor, path, input, now }) => createFolder(c.var.db, actor, path.id!, input.dirname, input.name, now),
});

addV1Route(r, {
  method: "put",
  path: `${G}/{id}/rename_folder`,
  summary: "Rename a folder of a Gallery",
  description: "Write access. `folder[dirname]` is the folder's path, `name` its new name; every asset and subfolder beneath follows.",
  params: RenameFolderParams,
  run: ({ c, actor, path, input }) => renameFolder(c.var.db, actor, path.id!, input.folder.dirname, input.name),
});

addV1Route(r, {
  method: "put",
  path: `${G}/{id}/move_contents`,
  summary: "Move contents of the Gallery between folders",
  description:
    "Write access. `target_folder[dirname]`; `folders[]` each with `container_id` (this gallery) and `dirname`; `asset_ids[]`. All or nothing: " +
    "name clashes are 409 `name_conflict` listing them unless `mode` is `overwrite`, which replaces the existing items. Moving a folder into itself is 400 `invalid_move`.",
  params: MoveContentsParams,
  run: ({ c, actor, path, input }) =>
    moveContents(c.var.db, c.env.FILES, actor, path.id!, {
      target: input.target_folder.dirname,
      folders: input.folders.map((f) => ({ containerId: f.container_id, dirname: f.dirname })),
      assetIds: input.asset_ids,
      overwrite: input.mode === "overwrite",
    }),
});

addV1Route(r, {
  method: "put",
  path: `${G}/{id}/rename_asset`,
  summary: "Rename an asset of a Gallery",
  description: "Write access. `asset_id`, `name`; 409 `name_conflict` when a sibling has the name.",
  params: RenameAssetParams,
  run: ({ c, actor, path, input }) => renameAsset(c.var.db, actor, path.id!, input.asset_id, input.name),
});


import { z } from "@hono/zod-openapi";
import { METADATA_FIELD_TYPES } from "../db/schema";
import { userText } from "../platform/text";
import { Bool, List, Str } from "./params";

/** A folder or asset name: one line of text, no "/" or "\\", never "." or "..". */
export const ItemName = userText({ min: 1, max: 255 })
  .refine((s) => !/[/\\]/.test(s), "must not contain / or \\")
  .refine((s) => s !== "." && s !== "..", 'must not be "." or ".."');

/** A folder path inside a gallery: "" (or "/") is the root; surrounding slashes are dropped. */
export const Dirname = z
  .string()
  .max(2048)
  .transform((s, ctx) => {
    const trimmed = s.replace(/^\/+|\/+$/g, "");
    if (trimmed === "") return "";
    const out: string[] = [];
    for (const p of trimmed.split("/")) {
      const r = ItemName.safeParse(p);
      if (!r.success || r.data !== p) {
        ctx.addIssue({ code: "custom", message: `invalid folder name "${p}"` });
        return z.NEVER;
      }
      out.push(r.data);
    }
    return out.join("/");
  });

/** The only storage is `default`. */
export const Storage = z.literal("default", { error: 'the only storage is "default"' }).optional();

const GalleryName = userText({ min: 1, max: 200 });
const Description = userText({ max: 2000 });

/** Rails' wrap_parameters: `{ name }` at the top level counts as `{ gallery: { name } }`. */
const wrapGallery = (v: unknown) =>
  v && typeof v === "object" && !("gallery" in v) && ("name" in v || "description" in v) ? { ...v, gallery: { name: (v as Record<string, unknown>).name, description: (v as Record<string, unknown>).description } } : v;

export const CreateGalleryParams = z.preprocess(wrapGallery, z.object({ gallery: z.object({ name: GalleryName, description: Description }) }));
export const UpdateGalleryParams = z.preprocess(
  wrapGallery,
  z.object({ gallery: z.object({ name: GalleryName.optional(), description: Description.optional() }).nullish() }),
);

export const PageParams = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(512).optional(),
});

export const AddAssetsParams = z.object({ asset_ids: List(Str(64)).default([]) });

export const TeamRightParams = z.object({ team_id: Str(64), write: Bool.default(false), manage: Bool.default(false) });
export const BulkGalleryParams = z.object({ own_teams: Bool, revoke: Bool.default(false), write: Bool.default(false), manage: Bool.default(false) });
export const BulkTeamParams = z.object({ revoke: Bool.default(false), write: Bool.default(false), manage: Bool.default(false) });

const MetadataEntry = z.object({ custom_metadata_field: Str(64), value: z.union([z.string().max(4000), z.number(), z.boolean(), z.null()]) });
export const UpdateMetadataParams = z.object({
  custom_metadata: z.union([z.array(MetadataEntry).max(200), z.record(z.string().max(16), MetadataEntry)]),
});

export const CreateFolderParams = z.object({ storage: Storage, dirname: Dirname, name: ItemName });
export const RenameFolderParams = z.object({ folder: z.object({ storage: Storage, dirname: Dirname }), name: ItemName });
export const MoveContentsParams = z.object({
  target_folder: z.object({ storage: Storage, dirname: Dirname }),
  folders: List(z.object({ container_id: Str(64), storage: Storage, dirname: Dirname }), 200).default([]),
  asset_ids: List(Str(64)).default([]),
  mode: z.enum(["overwrite", "default", ""]).optional(),
});
export const RenameAssetParams = z.object({ storage: Storage, asset_id: Str(64), name: ItemName });

export const CreateMemberParams = z.object({
  email: z.email().max(254),
  name: userText({ max: 200 }).optional(),
  manager: Bool.optional(),
});
export const UpdateMemberParams = z.object({ name: userText({ max: 200 }).optional(), manager: Bool.optional() });
export const TeamParams = z.object({ name: userText({ min: 1, max: 200 }) });
export const TeamMembersParams = z.object({ member_ids: List(Str(64), 500) });
export const CreateFieldParams = z.object({
  name: userText({ min: 1, max: 100 }),
  field_type: z.enum(METADATA_FIELD_TYPES),
  options: List(userText({ min: 1, max: 200 }), 100).optional(),
});

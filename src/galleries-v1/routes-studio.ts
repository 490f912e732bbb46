import { createRouter } from "../platform/openapi";
import { assertOwner, assertOwnerOf } from "./access";
import { createField, deleteField, listFields } from "./metadata";
import { createMember, createTeam, deleteMember, deleteTeam, getMember, getTeam, listMembers, listTeams, renameTeam, rotateMemberKey, setTeamMembers, updateMember } from "./people";
import { addV1Route } from "./route-kit";
import { CreateFieldParams, CreateMemberParams, TeamMembersParams, TeamParams, UpdateMemberParams } from "./schemas";

/** Studio-wide v1 routes (members, teams, custom metadata fields): the studio's key only (403 `owner_only`). */
export const studioV1Routes = createRouter();
const r = studioV1Routes;
const tags = ["Galleries v1: members and teams"];

addV1Route(r, {
  method: "get",
  path: "/api/v1/members",
  tags,
  summary: "List members",
  run: ({ c, actor }) => (assertOwner(actor), listMembers(c.var.db, actor.studioId)),
});

addV1Route(r, {
  method: "post",
  path: "/api/v1/members",
  tags,
  summary: "Invite a member",
  description: "`email`, `name?`, `manager?`. The member gets an own team (a team of one). 409 `member_exists` for a known email.",
  params: CreateMemberParams,
  status: 201,
  run: ({ c, actor, input, now }) => (assertOwner(actor), createMember(c.var.db, actor.studioId, input, now)),
});

addV1Route(r, {
  method: "get",
  path: "/api/v1/members/{id}",
  tags,
  summary: "Get a member",
  run: async ({ c, actor, path }) => (await assertOwnerOf(c.var.db, actor, "member", path.id!), getMember(c.var.db, actor.studioId, path.id!)),
});

addV1Route(r, {
  method: "patch",
  path: "/api/v1/members/{id}",
  tags,
  summary: "Update a member",
  description: "`name`, `manager`; the own team's name follows the member's.",
  params: UpdateMemberParams,
  run: async ({ c, actor, path, input }) => (await assertOwnerOf(c.var.db, actor, "member", path.id!), updateMember(c.var.db, actor.studioId, path.id!, input)),
});

addV1Route(r, {
  method: "delete",
  path: "/api/v1/members/{id}",
  tags,
  summary: "Remove a member",
  description: "Deletes the member, their own team with its rights, and their place in every team; their key stops working.",
  status: 204,
  run: async ({ c, actor, path }) => (await assertOwnerOf(c.var.db, actor, "member", path.id!), deleteMember(c.var.db, actor.studioId, path.id!)),
});

addV1Route(r, {
  method: "post",
  path: "/api/v1/members/{id}/api_key",
  tags,
  summary: "Create or rotate a member key",
  description: "Returns the member key (`mk_…`) once; the previous one stops working. The key acts as the member on the v1 API.",
  status: 201,
  run: async ({ c, actor, path }) => {
    await assertOwnerOf(c.var.db, actor, "member", path.id!);
    c.header("Cache-Control", "no-store");
    return rotateMemberKey(c.var.db, actor.studioId, path.id!);
  },
});

addV1Route(r, {
  method: "get",
  path: "/api/v1/teams",
  tags,
  summary: "List teams",
  description: "Normal teams first, then members' own teams (`own_team: true`).",
  run: ({ c, actor }) => (assertOwner(actor), listTeams(c.var.db, actor.studioId)),
});

addV1Route(r, {
  method: "post",
  path: "/api/v1/teams",
  tags,
  summary: "Create a team",
  params: TeamParams,
  status: 201,
  run: ({ c, actor, input, now }) => (assertOwner(actor), createTeam(c.var.db, actor.studioId, input.name, now)),
});

addV1Route(r, {
  method: "get",
  path: "/api/v1/teams/{id}",
  tags,
  summary: "Get a team",
  run: async ({ c, actor, path }) => (await assertOwnerOf(c.var.db, actor, "team", path.id!), getTeam(c.var.db, actor.studioId, path.id!)),
});

addV1Route(r, {
  method: "patch",
  path: "/api/v1/teams/{id}",
  tags,
  summary: "Rename a team",
  description: "Own teams cannot be edited (400 `own_team_not_editable`).",
  params: TeamParams,
  run: async ({ c, actor, path, input }) => (await assertOwnerOf(c.var.db, actor, "team", path.id!), renameTeam(c.var.db, actor.studioId, path.id!, input.name)),
});

addV1Route(r, {
  method: "delete",
  path: "/api/v1/teams/{id}",
  tags,
  summary: "Delete a team",
  description: "Its rights go with it. Own teams cannot be deleted (400 `own_team_not_editable`).",
  status: 204,
  run: async ({ c, actor, path }) => (await assertOwnerOf(c.var.db, actor, "team", path.id!), deleteTeam(c.var.db, actor.studioId, path.id!)),
});

addV1Route(r, {
  method: "put",
  path: "/api/v1/teams/{id}/members",
  tags,
  summary: "Set a team's members",
  description: "`member_ids` replaces the team's members; every id must be a member of the studio.",
  params: TeamMembersParams,
  run: async ({ c, actor, path, input }) => (await assertOwnerOf(c.var.db, actor, "team", path.id!), setTeamMembers(c.var.db, actor.studioId, path.id!, input.member_ids)),
});

addV1Route(r, {
  method: "get",
  path: "/api/v1/custom_metadata_fields",
  tags,
  summary: "List custom metadata fields",
  run: ({ c, actor }) => (assertOwner(actor), listFields(c.var.db, actor.studioId)),
});

addV1Route(r, {
  method: "post",
  path: "/api/v1/custom_metadata_fields",
  tags,
  summary: "Create a custom metadata field",
  description: "`name`, `field_type` (string, number, date, boolean, select), `options` for select fields.",
  params: CreateFieldParams,
  status: 201,
  run: ({ c, actor, input, now }) => (assertOwner(actor), createField(c.var.db, actor.studioId, { name: input.name, fieldType: input.field_type, options: input.options }, now)),
});

addV1Route(r, {
  method: "delete",
  path: "/api/v1/custom_metadata_fields/{id}",
  tags,
  summary: "Delete a custom metadata field",
  description: "Every gallery's value of it goes too.",
  status: 204,
  run: async ({ c, actor, path }) => (await assertOwnerOf(c.var.db, actor, "field", path.id!), deleteField(c.var.db, actor.studioId, path.id!)),
});

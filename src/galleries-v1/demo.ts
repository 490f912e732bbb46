import type { Db } from "../db";
import { getStudio } from "../gallery/service";
import type { Actor } from "./access";
import { createFolder } from "./folders";
import { createGallery } from "./galleries";
import { createField } from "./metadata";
import { createMember, createTeam, setTeamMembers } from "./people";
import { setTeamRight } from "./rights";

/** Local demo data only (`npm run dev`): one v1 gallery with folders, a member, a team with write access, a metadata field. */
export async function seedGalleriesV1Demo(db: Db, profileId: string, now: number): Promise<void> {
  const actor: Actor = { kind: "owner", studioId: (await getStudio(db, profileId)).id };
  const gallery = await createGallery(db, actor, { name: "Demo wedding", description: "Anna & Ben, by the lake" }, now);
  for (const name of ["Ceremony", "Reception"]) await createFolder(db, actor, gallery.id, "", name, now);
  const member = await createMember(db, actor.studioId, { email: "assistant@demo.gellhub.dev", name: "Demo assistant" }, now);
  const team = await createTeam(db, actor.studioId, "Editors", now);
  await setTeamMembers(db, actor.studioId, team.id, [member.id]);
  await setTeamRight(db, actor, gallery.id, team.id, "write", now);
  await createField(db, actor.studioId, { name: "Guests", fieldType: "number" }, now);
}

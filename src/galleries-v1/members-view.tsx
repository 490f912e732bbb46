import type { FC } from "hono/jsx";
import { DataTable } from "../ui/table";
import { ErrorAlert } from "../ui/views";
import type { listFields } from "./metadata";
import type { listMembers, listTeams } from "./people";

type Team = Awaited<ReturnType<typeof listTeams>>["teams"][number];
type Member = Awaited<ReturnType<typeof listMembers>>["members"][number];
type Field = Awaited<ReturnType<typeof listFields>>["custom_metadata_fields"][number];

export interface MembersPageProps {
  members: Member[];
  teams: Team[];
  fields: Field[];
  newKey?: { memberId: string; key: string } | null;
  error?: string | null;
}

/** Members & Teams: invite members, member keys, teams and their members, bulk rights, metadata fields. */
export const MembersPage: FC<MembersPageProps> = ({ members, teams, fields, newKey, error }) => {
  const byId = new Map(members.map((m) => [m.id, m]));
  const normal = teams.filter((t) => !t.own_team);
  return (
    <>
      <p class="muted">
        <a href="/dashboard">Dashboard</a> / Members &amp; Teams · <a href="/dashboard/shared">Shared with me</a>
      </p>
      <h1>Members &amp; Teams</h1>
      <ErrorAlert message={error} />
      {newKey ? (
        <div class="alert secret" role="status">
          Member key for {byId.get(newKey.memberId)?.email}: copy it now, it is shown once.
          <code data-testid="member-key">{newKey.key}</code>
        </div>
      ) : null}
      <div class="card">
        <h3>Members</h3>
        <DataTable
          label="Members"
          columns={["Email", "Name", "Key", ""]}
          empty="No members yet."
          rows={members.map((m) => (
            <tr data-member-id={m.id}>
              <td>{m.email}</td>
              <td>{m.name}</td>
              <td>{m.api_key ? <code class="inline">{`${m.api_key.prefix}…${m.api_key.last4}`}</code> : <span class="muted">none</span>}</td>
              <td class="row">
                <form method="post" action={`/dashboard/members/${m.id}/key`}>
                  <button class="btn secondary small" type="submit" aria-label={`New key for ${m.email}`}>
                    {m.api_key ? "Rotate key" : "Create key"}
                  </button>
                </form>
                <form method="post" action={`/dashboard/members/${m.id}/delete`}>
                  <button class="btn danger small" type="submit" aria-label={`Remove ${m.email}`}>
                    Remove
                  </button>
                </form>
              </td>
            </tr>
          ))}
        />
        <form method="post" action="/dashboard/members" class="row" aria-label="Invite member" style="margin-top:10px">
          <input type="email" name="email" required placeholder="email@example.com" aria-label="Member email" />
          <input type="text" name="name" maxlength={200} placeholder="Name" aria-label="Member name" />
          <button class="btn small" type="submit">
            Invite
          </button>
        </form>
      </div>

      <div class="card" style="margin-top:16px">
        <h3>Teams</h3>
        <DataTable
          label="Teams"
          columns={["Team", "Members", "On every gallery", ""]}
          empty="No teams yet."
          rows={normal.map((t) => (
            <tr data-team-id={t.id}>
              <td>{t.name}</td>
              <td>
                <form method="post" action={`/dashboard/teams/${t.id}/members`} class="row">
                  {members.map((m) => (
                    <label style="display:flex;gap:4px;font-weight:400">
                      <input type="checkbox" name="member_ids" value={m.id} checked={t.member_ids.includes(m.id)} />
                      {m.name || m.email}
                    </label>
                  ))}
                  <button class="btn secondary small" type="submit" aria-label={`Save members of ${t.name}`}>
                    Save
                  </button>
                </form>
              </td>
              <td>
                <form method="post" action={`/dashboard/teams/${t.id}/everywhere`} class="row">
                  <select name="level" aria-label={`Access of ${t.name} on every gallery`}>
                    <option value="read">read</option>
                    <option value="write">write</option>
                    <option value="manage">manage</option>
                    <option value="revoke">none</option>
                  </select>
                  <button class="btn secondary small" type="submit" aria-label={`Apply to every gallery for ${t.name}`}>
                    Apply
                  </button>
                </form>
              </td>
              <td>
                <form method="post" action={`/dashboard/teams/${t.id}/delete`}>
                  <button class="btn danger small" type="submit" aria-label={`Delete team ${t.name}`}>
                    Delete
                  </button>
                </form>
              </td>
            </tr>
          ))}
        />
        <form method="post" action="/dashboard/teams" class="row" aria-label="Create team" style="margin-top:10px">
          <input type="text" name="name" required maxlength={200} placeholder="Team name" aria-label="Team name" />
          <button class="btn small" type="submit">
            Create team
          </button>
        </form>
      </div>

      <div class="card" style="margin-top:16px">
        <h3>Custom metadata fields</h3>
        <DataTable
          label="Metadata fields"
          columns={["Name", "Type", "Options"]}
          empty="No fields yet."
          rows={fields.map((f) => (
            <tr data-field-id={f.id}>
              <td>{f.name}</td>
              <td>{f.field_type}</td>
              <td>{(f.options ?? []).join(", ")}</td>
            </tr>
          ))}
        />
        <form method="post" action="/dashboard/fields" class="row" aria-label="Create field" style="margin-top:10px">
          <input type="text" name="name" required maxlength={100} placeholder="Field name" aria-label="Field name" />
          <select name="field_type" aria-label="Field type">
            {["string", "number", "date", "boolean", "select"].map((t) => (
              <option value={t}>{t}</option>
            ))}
          </select>
          <input type="text" name="options" placeholder="Options, comma separated" aria-label="Field options" />
          <button class="btn small" type="submit">
            Add field
          </button>
        </form>
      </div>
    </>
  );
};

import { describe, expect, it } from "vitest";
import { call } from "../factories";

describe("OpenAPI reference", () => {
  it("documents every v1 route with the verbs of ROUTES.md and the members/teams/fields shape", async () => {
    const res = await call("/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    const want: Record<string, string[]> = {
      "/api/v1/galleries": ["get", "post"],
      "/api/v1/galleries/{id}": ["delete", "get", "put"],
      "/api/v1/galleries/{id}/assets": ["get"],
      "/api/v1/galleries/{id}/addassets": ["post"],
      "/api/v1/galleries/{id}/teams": ["get", "put"],
      "/api/v1/galleries/{id}/teams/{team_id}": ["delete"],
      "/api/v1/galleries/{id}/update_teams": ["put"],
      "/api/v1/galleries/update_teams/{team_id}": ["put"],
      "/api/v1/galleries/{id}/effective_access_rights": ["get"],
      "/api/v1/galleries/{id}/custom_metadata": ["get"],
      "/api/v1/galleries/{id}/update_metadata": ["put"],
      "/api/v1/galleries/{id}/create_folder": ["put"],
      "/api/v1/galleries/{id}/move_contents": ["put"],
      "/api/v1/galleries/{id}/rename_folder": ["put"],
      "/api/v1/galleries/{id}/rename_asset": ["put"],
      "/api/v1/members": ["get", "post"],
      "/api/v1/members/{id}": ["delete", "get", "patch"],
      "/api/v1/members/{id}/api_key": ["post"],
      "/api/v1/teams": ["get", "post"],
      "/api/v1/teams/{id}": ["delete", "get", "patch"],
      "/api/v1/teams/{id}/members": ["put"],
      "/api/v1/custom_metadata_fields": ["get", "post"],
      "/api/v1/custom_metadata_fields/{id}": ["delete"],
    };
    for (const [path, verbs] of Object.entries(want)) {
      expect(Object.keys(doc.paths[path] ?? {}).sort(), path).toEqual(verbs);
    }
  });
});

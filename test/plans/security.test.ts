import { describe, expect, it } from "vitest";
import { createPartnerApp } from "../connect/helpers";
import { call, dash, registerStaff } from "../factories";

describe("GET /api/public/plans?client_id=", () => {
  it("answers 403 for a type of another line and 400 for an unknown client", async () => {
    const app = await createPartnerApp("clientGallery");
    const res = await call(`/api/public/plans?client_id=${app.clientId}&type=drive`);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: "product_not_allowed" });
    const unknown = await call("/api/public/plans?client_id=ci_nope");
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: "unknown_client" });
    expect((await call(`/api/public/plans?client_id=${"x".repeat(101)}`)).status).toBe(400);
  });

  it("refuses the client_id of a suspended app with 403 app_suspended, on both plan routes, until it is reactivated", async () => {
    const staff = await registerStaff();
    const app = await createPartnerApp("drive");
    expect((await dash("PATCH", `/api/admin/apps/${app.id}`, staff, { status: "suspended" })).status).toBe(200);
    for (const path of [`/api/public/plans?client_id=${app.clientId}`, `/api/public/plans/by-id?id=plan_drive_plus&client_id=${app.clientId}`]) {
      const res = await call(path);
      expect(res.status, path).toBe(403);
      expect(await res.json()).toMatchObject({ error: "app_suspended" });
    }
    // Without a client_id the public list is still there for everyone.
    expect((await call("/api/public/plans?type=drive")).status).toBe(200);
    expect((await dash("PATCH", `/api/admin/apps/${app.id}`, staff, { status: "active" })).status).toBe(200);
    expect((await call(`/api/public/plans?client_id=${app.clientId}`)).status).toBe(200);
  });
});

describe("GET /api/public/plans/by-id?client_id=", () => {
  it("returns a plan of the app's line and 403 for another line", async () => {
    const app = await createPartnerApp("drive");
    const ok = await call(`/api/public/plans/by-id?id=plan_drive_plus&client_id=${app.clientId}`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ id: "plan_drive_plus" });
    const other = await call(`/api/public/plans/by-id?id=plan_cg_pro&client_id=${app.clientId}`);
    expect(other.status).toBe(403);
    expect((await call("/api/public/plans/by-id?id=plan_cg_pro")).status).toBe(200);
    expect((await call(`/api/public/plans/by-id?id=plan_drive_plus&client_id=ci_nope`)).status).toBe(400);
  });
});

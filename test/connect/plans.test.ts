import { describe, expect, it } from "vitest";
import { call } from "../factories";
import { createPartnerApp } from "./helpers";

describe("GET /api/public/plans?client_id=", () => {
  it("returns { allowedProductTypes, plans } for the app's line only", async () => {
    const app = await createPartnerApp("drive");
    const res = await call(`/api/public/plans?client_id=${app.clientId}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { allowedProductTypes: string[]; plans: { planType: string }[] };
    expect(body.allowedProductTypes).toEqual(["drive"]);
    expect(body.plans.length).toBeGreaterThan(0);
    expect(body.plans.every((p) => p.planType === "drive")).toBe(true);
    const same = await call(`/api/public/plans?client_id=${app.clientId}&type=drive`);
    expect(same.status).toBe(200);
  });

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

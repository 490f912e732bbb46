import { describe, expect, it } from "vitest";
import { call } from "../factories";

const DOCUMENTED = ["id", "planType", "name", "description", "features", "storageLimitBytes", "price", "billingPeriod", "clientGalleryEnabled"];

describe("GET /api/public/plans", () => {
  it("lists the published plans of one line with exactly the documented fields", async () => {
    for (const type of ["clientGallery", "drive"] as const) {
      const res = await call(`/api/public/plans?type=${type}`);
      expect(res.status).toBe(200);
      const plans = (await res.json()) as Record<string, unknown>[];
      expect(plans.length).toBeGreaterThan(0);
      for (const p of plans) {
        expect(Object.keys(p).sort()).toEqual([...DOCUMENTED].sort());
        expect(p.planType).toBe(type);
        expect(p.clientGalleryEnabled).toBe(type === "clientGallery");
        expect(["monthly", "annual"]).toContain(p.billingPeriod);
      }
      expect(plans.some((p) => p.price === 0)).toBe(true);
    }
  });

  it("gives messaging plans their monthly credits", async () => {
    const plans = (await (await call("/api/public/plans?type=messaging")).json()) as Record<string, unknown>[];
    expect(plans.length).toBeGreaterThan(0);
    for (const p of plans) {
      expect(Object.keys(p).sort()).toEqual([...DOCUMENTED, "monthlyCredits"].sort());
      expect(p.monthlyCredits).toBeGreaterThan(0);
    }
  });

  it("lists every line when type is omitted", async () => {
    const plans = (await (await call("/api/public/plans")).json()) as { planType: string }[];
    expect(new Set(plans.map((p) => p.planType))).toEqual(new Set(["clientGallery", "drive", "messaging"]));
  });

  it("rejects an unknown type with 400 invalid_request", async () => {
    const res = await call("/api/public/plans?type=photos");
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid_request" });
  });
});

describe("GET /api/public/plans/by-id", () => {
  it("returns one plan by id", async () => {
    const res = await call("/api/public/plans/by-id?id=plan_drive_plus");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: "plan_drive_plus", planType: "drive", price: 8 });
  });

  it("answers 404 for an unknown id and 400 without one", async () => {
    expect((await call("/api/public/plans/by-id?id=plan_nope")).status).toBe(404);
    const missing = await call("/api/public/plans/by-id");
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: "invalid_request" });
  });
});

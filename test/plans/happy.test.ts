import { describe, expect, it } from "vitest";
import { createPartnerApp } from "../connect/helpers";
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
});

describe("GET /api/public/plans/by-id", () => {
  it("returns one plan by id", async () => {
    const res = await call("/api/public/plans/by-id?id=plan_drive_plus");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: "plan_drive_plus", planType: "drive", price: 8 });
  });
});

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
});

import { describe, expect, it } from "vitest";
import { call } from "../factories";

describe("GET /api/public/plans", () => {
  it("rejects an unknown type with 400 invalid_request", async () => {
    const res = await call("/api/public/plans?type=photos");
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid_request" });
  });

  it("rejects an empty or over-long client_id with 400 invalid_request", async () => {
    for (const clientId of ["", "c".repeat(101)]) {
      const res = await call(`/api/public/plans?client_id=${clientId}`);
      expect(res.status, clientId).toBe(400);
      expect(await res.json()).toMatchObject({ error: "invalid_request" });
    }
  });
});

describe("GET /api/public/plans/by-id", () => {
  it("answers 404 for an unknown id and 400 without one", async () => {
    expect((await call("/api/public/plans/by-id?id=plan_nope")).status).toBe(404);
    const missing = await call("/api/public/plans/by-id");
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: "invalid_request" });
  });

  it("rejects an empty or over-long id with 400 invalid_request", async () => {
    for (const id of ["", "plan_" + "x".repeat(96)]) {
      const res = await call(`/api/public/plans/by-id?id=${id}`);
      expect(res.status, id).toBe(400);
      expect(await res.json()).toMatchObject({ error: "invalid_request" });
    }
  });
});

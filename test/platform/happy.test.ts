import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "../../src/platform/crypto";
import { call } from "../factories";

/** The published OpenAPI document, as a client downloads it. */
async function openApiDoc() {
  const res = await call("/api/openapi.json");
  return { res, doc: (await res.json()) as { openapi: string; paths: Record<string, Record<string, { responses: object }>> } };
}

describe("API reference", () => {
  it("serves a valid OpenAPI 3.1 document covering the routes", async () => {
    const { res, doc } = await openApiDoc();
    expect(res.status).toBe(200);
    expect(doc.openapi).toBe("3.1.0");
    for (const [path, verb] of [
      ["/api/register", "post"],
      ["/api/login", "post"],
      ["/api/logout", "post"],
      ["/api/account", "get"],
      ["/api/public/plans", "get"],
      ["/api/public/plans/by-id", "get"],
    ] as const) {
      expect(doc.paths[path]?.[verb], `${verb} ${path}`).toBeDefined();
      expect(Object.keys(doc.paths[path]![verb]!.responses).length).toBeGreaterThan(0);
    }
  });

  it("covers every connect, console, admin and Google sign-in route", async () => {
    const { doc } = await openApiDoc();
    for (const [path, verb] of [
      ["/api/integrations/connect/start", "get"],
      ["/api/integrations/connect/context", "get"],
      ["/api/integrations/connect/finalize", "post"],
      ["/api/integrations/connect/exchange", "post"],
      ["/api/integrations/connect/verify", "post"],
      ["/integrations/connect/stripe-return", "get"],
      ["/api/console/apps", "get"],
      ["/api/console/apps", "post"],
      ["/api/console/apps/{id}", "get"],
      ["/api/console/apps/{id}", "patch"],
      ["/api/console/apps/{id}", "delete"],
      ["/api/console/apps/{id}/rotate-secret", "post"],
      ["/api/console/apps/{id}/analytics", "get"],
      ["/api/admin/apps", "get"],
      ["/api/admin/apps/{id}", "patch"],
      ["/api/auth/google", "get"],
      ["/api/auth/google/callback", "get"],
    ] as const) {
      expect(doc.paths[path]?.[verb], `${verb} ${path}`).toBeDefined();
    }
  });

  it("documents every billing route", async () => {
    const { doc } = await openApiDoc();
    expect(Object.keys(doc.paths["/api/billing/status"]!)).toContain("get");
    expect(Object.keys(doc.paths["/api/billing/checkout-session"]!)).toContain("post");
    expect(Object.keys(doc.paths["/api/billing/portal"]!)).toContain("post");
    expect(Object.keys(doc.paths["/api/billing/invoices"]!)).toContain("get");
    expect(Object.keys(doc.paths["/api/webhooks/stripe"]!)).toContain("post");
  });

  it("publishes every Drive route in the OpenAPI document", async () => {
    const { doc } = await openApiDoc();
    expect(Object.keys(doc.paths["/api/drive"]!).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/api/drive/items/{id}"]!).sort()).toEqual(["delete", "get", "patch"]);
    expect(Object.keys(doc.paths["/api/drive/trash"]!).sort()).toEqual(["delete", "get", "post"]);
    for (const p of ["/api/drive/upload", "/api/drive/upload/presign", "/api/drive/upload/complete", "/api/drive/storage", "/api/drive/media"]) expect(doc.paths[p], p).toBeDefined();
  });

  it("renders /docs from our own assets, not a CDN", async () => {
    const html = await (await call("/docs")).text();
    expect(html).toContain('data-url="/api/openapi.json"');
    expect(html).toContain('src="/assets/scalar/standalone.js"');
    expect(html).not.toMatch(/https?:\/\/(cdn|unpkg|jsdelivr)/);
  });
});

describe("password hashing", () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("hunter2 hunter2", "pepper");
    expect(await verifyPassword("hunter2 hunter2", stored, "pepper")).toBe(true);
    expect(await verifyPassword("hunter2 hunter3", stored, "pepper")).toBe(false);
    expect(await verifyPassword("hunter2 hunter2", stored, "other pepper")).toBe(false);
    expect(await verifyPassword("hunter2 hunter2", null)).toBe(false);
  });
});

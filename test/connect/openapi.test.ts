import { describe, expect, it } from "vitest";
import { call } from "../factories";

describe("OpenAPI document", () => {
  it("covers every connect, console, admin and Google sign-in route", async () => {
    const doc = (await (await call("/api/openapi.json")).json()) as { paths: Record<string, Record<string, { responses: object }>> };
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
});

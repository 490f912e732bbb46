import { describe, expect, it } from "vitest";
import { PBKDF2_MAX_ITERATIONS, hashPassword, timingSafeEqualStr, verifyPassword } from "../../src/platform/crypto";
import { call, postJson } from "../factories";

describe("errors and routing", () => {
  it("answers an unknown API route with 404 JSON", async () => {
    const res = await call("/api/does-not-exist");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(await res.json()).toMatchObject({ error: "not_found", requestId: expect.any(String) });
  });

  it("answers an unknown page with an HTML 404", async () => {
    const res = await call("/nowhere");
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/Page not found/);
  });

  it("refuses a JSON body over 1 MiB with 413", async () => {
    const res = await postJson("/api/register", { email: "a@b.co", padding: "x".repeat(1024 * 1024 + 10) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: "payload_too_large" });
  });

  it("answers CORS preflights for key-authenticated API calls from browsers", async () => {
    const res = await call("/api/account", {
      method: "OPTIONS",
      headers: { origin: "https://partner.example.com", "access-control-request-method": "GET", "access-control-request-headers": "x-api-key" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-headers")).toMatch(/x-api-key/i);
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });
});

describe("API reference", () => {
  it("serves a valid OpenAPI 3.1 document covering the routes", async () => {
    const res = await call("/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { responses: object }>> };
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

  it("salts every hash and never goes above the Workers PBKDF2 limit", async () => {
    expect(PBKDF2_MAX_ITERATIONS).toBe(100_000);
    const [a, b] = [await hashPassword("same password"), await hashPassword("same password")];
    expect(a).not.toBe(b);
    const raised = a.replace("$100000$", "$100001$");
    expect(await verifyPassword("same password", raised)).toBe(false);
  });

  it("compares secrets of different lengths without throwing", async () => {
    expect(await timingSafeEqualStr("abc", "abc")).toBe(true);
    expect(await timingSafeEqualStr("abc", "abcd")).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { hashPassword, PBKDF2_MAX_ITERATIONS, timingSafeEqualStr, verifyPassword } from "../../src/platform/crypto";
import { call } from "../factories";

describe("CORS", () => {
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

describe("password hashing", () => {
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

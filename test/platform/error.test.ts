import { describe, expect, it } from "vitest";
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
});

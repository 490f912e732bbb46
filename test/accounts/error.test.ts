import { describe, expect, it } from "vitest";
import { call, postJson, registerAccount, sessionHeaders } from "../factories";

describe("dashboard key management", () => {
  it("refuses a key for a line the account does not have, until it is enabled", async () => {
    const a = await registerAccount("studio");
    const before = await postJson("/api/account/keys", { productLine: "drive" }, sessionHeaders(a));
    expect(before.status).toBe(409);
    expect(await before.json()).toMatchObject({ error: "product_line_not_enabled" });

    const enable = await postJson("/api/account/product-lines", { productLine: "drive" }, sessionHeaders(a));
    expect(enable.status).toBe(201);
    const { key } = (await enable.json()) as { key: string };
    const account = (await (await call("/api/account", { headers: { "x-api-key": key } })).json()) as { productLines: { productLine: string }[] };
    expect(account.productLines.map((l) => l.productLine)).toEqual(["gallery", "drive"]);
    const again = await postJson("/api/account/product-lines", { productLine: "drive" }, sessionHeaders(a));
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: "product_line_exists" });
  });

  it.each([
    ["an unknown product line", { productLine: "photos" }],
    ["an oversized label", { productLine: "gallery", label: "x".repeat(61) }],
    ["an extra field", { productLine: "gallery", profileId: "pr_x" }],
  ])("rejects %s with 400", async (_n, body) => {
    const a = await registerAccount("studio");
    const res = await postJson("/api/account/keys", body, sessionHeaders(a));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid_request" });
  });
});

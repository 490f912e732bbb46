import { describe, expect, it } from "vitest";
import { createPartnerApp } from "../connect/helpers";
import { call, dash, registerAccount, sessionHeaders, submitForm } from "../factories";
import { validApp as valid } from "./helpers";

describe("POST /api/console/apps", () => {
  it("rejects wildcards, fragments, userinfo, non-https and relative redirect URIs", async () => {
    const dev = await registerAccount("studio");
    for (const uri of [
      "https://*.example.com/cb",
      "https://shop.example.com/cb#x",
      "https://user:pw@shop.example.com/cb",
      "http://shop.example.com/cb",
      "ftp://shop.example.com/cb",
      "/relative/cb",
      "javascript:alert(1)",
      "https://shop.example.com/" + "a".repeat(2000),
    ]) {
      const res = await dash("POST", "/api/console/apps", dev, { ...valid, redirectUris: [uri] });
      expect(res.status, uri).toBe(400);
      expect(await res.json()).toMatchObject({ error: "invalid_request" });
    }
  });

  it("rejects bad bodies: no line, two lines, unknown line, missing name, too many URIs, extra fields", async () => {
    const dev = await registerAccount("studio");
    for (const body of [
      { ...valid, allowedProductTypes: [] },
      { ...valid, allowedProductTypes: ["drive", "clientGallery"] },
      { ...valid, allowedProductTypes: ["photos"] },
      { ...valid, name: "" },
      { ...valid, name: "x".repeat(101) },
      { ...valid, redirectUris: [] },
      { ...valid, redirectUris: Array.from({ length: 11 }, (_, i) => `https://s.example.com/${i}`) },
      { ...valid, status: "suspended" },
    ]) {
      const res = await dash("POST", "/api/console/apps", dev, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await dash("GET", "/api/console/apps", dev)).status).toBe(200);
    expect(((await (await dash("GET", "/api/console/apps", dev)).json()) as { apps: unknown[] }).apps).toHaveLength(0);
  });

  it("answers malformed JSON with 400 invalid_json and a form body with 415, creating nothing", async () => {
    const dev = await registerAccount("studio");
    const broken = await call("/api/console/apps", { method: "POST", headers: sessionHeaders(dev, { "content-type": "application/json" }), body: '{"name":' });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: "invalid_json" });
    const form = await call("/api/console/apps", {
      method: "POST",
      headers: sessionHeaders(dev, { "content-type": "application/x-www-form-urlencoded" }),
      body: new URLSearchParams({ name: valid.name, redirectUris: valid.redirectUris[0]! }).toString(),
    });
    expect(form.status).toBe(415);
    expect(await form.json()).toMatchObject({ error: "unsupported_media_type" });
    expect(((await (await dash("GET", "/api/console/apps", dev)).json()) as { apps: unknown[] }).apps).toHaveLength(0);
  });
});

describe("managing an app", () => {
  it("answers 400 to an over-long id and 404 to an unknown one on every app route", async () => {
    const dev = await registerAccount("studio");
    const long = "a".repeat(65);
    for (const [method, suffix, body] of [
      ["GET", "", undefined],
      ["PATCH", "", { name: "x" }],
      ["DELETE", "", undefined],
      ["POST", "/rotate-secret", undefined],
      ["GET", "/analytics", undefined],
    ] as const) {
      expect((await dash(method, `/api/console/apps/${long}${suffix}`, dev, body)).status).toBe(400);
      expect((await dash(method, `/api/console/apps/app_missing${suffix}`, dev, body)).status).toBe(404);
    }
  });

  it("rejects a bad PATCH", async () => {
    const app = await createPartnerApp("drive");
    for (const body of [{}, { redirectUris: ["http://x.example.com/cb"] }, { name: "" }, { allowedProductTypes: ["messaging"] }]) {
      expect((await dash("PATCH", `/api/console/apps/${app.id}`, app.owner, body)).status).toBe(400);
    }
  });
});

describe("GET /api/console/apps/:id/analytics", () => {
  it("rejects a bad days value", async () => {
    const app = await createPartnerApp("drive");
    for (const d of ["0", "91", "abc"]) expect((await dash("GET", `/api/console/apps/${app.id}/analytics?days=${d}`, app.owner)).status).toBe(400);
  });
});

describe("Developer Console pages", () => {
  it("shows form errors without creating anything", async () => {
    const dev = await registerAccount("studio");
    const res = await submitForm(dev, "/dashboard/console/apps", { name: "Bad", productType: "drive", redirectUris: "http://evil.example.com/cb" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("https");
  });
});

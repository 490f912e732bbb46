import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { BASE, call, registerAccount, sessionHeaders } from "../factories";

const MALFORMED = { "content-type": "multipart/form-data; boundary=q" };
const BODY = "name=x";

/** The dashboard form routes that reported 500 to a malformed multipart body. */
const REPORTED = [
  "/dashboard/keys",
  "/dashboard/product-lines",
  "/dashboard/billing/checkout",
  "/dashboard/drive/folders",
  "/dashboard/drive/trash/restore",
  "/dashboard/gallery/categories",
  "/dashboard/gallery/collections",
];

async function withAllLines() {
  const a = await registerAccount("studio");
  await call("/api/account/product-lines", { method: "POST", headers: sessionHeaders(a, { "content-type": "application/json" }), body: JSON.stringify({ productLine: "drive" }) });
  return a;
}

describe("a form body that cannot be read", () => {
  it("shows the login and register forms again with 400 and a message, to anyone", async () => {
    for (const path of ["/login", "/register"]) {
      const res = await call(path, { method: "POST", headers: { origin: BASE, ...MALFORMED }, body: BODY });
      expect(res.status, path).toBe(400);
      const html = await res.text();
      expect(html, path).toMatch(/role="alert"[^>]*>[^<]*form could not be read/);
      expect(html, path).toMatch(/<form/);
    }
  });

  it("shows each reported dashboard page again with 400 and a message", async () => {
    const a = await withAllLines();
    for (const path of REPORTED) {
      const res = await call(path, { method: "POST", headers: sessionHeaders(a, MALFORMED), body: BODY, redirect: "manual" });
      expect(res.status, path).toBe(400);
      expect(await res.text(), path).toMatch(/form could not be read/);
    }
  });

  it("never answers 500 on any form route, signed in or not", async () => {
    const a = await withAllLines();
    const failures: string[] = [];
    for (const r of createApp().routes) {
      if (r.method !== "POST" || r.path.startsWith("/api/") || r.path.startsWith("/storage/")) continue;
      const path = r.path.replace(/:[^/]+/g, "x").replace(/\*/g, "x");
      for (const headers of [sessionHeaders(a, MALFORMED), { origin: BASE, ...MALFORMED }]) {
        const res = await call(path, { method: "POST", headers, body: BODY, redirect: "manual" });
        if (res.status >= 500) failures.push(`${path} -> ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("answers the multipart upload APIs with 400 invalid_request", async () => {
    const studio = await registerAccount("studio");
    const drive = await registerAccount("drive");
    for (const [path, key] of [["/api/upload", studio.key], ["/api/drive/upload", drive.key]] as const) {
      const res = await call(path, { method: "POST", headers: { "x-api-key": key, ...MALFORMED }, body: BODY });
      expect(res.status, path).toBe(400);
      expect(await res.json(), path).toMatchObject({ error: "invalid_request" });
    }
  });
});

import { describe, expect, it } from "vitest";
import { createApp, CROSS_SITE_ROUTES } from "../../src/app";
import { BASE, call, registerAccount } from "../factories";

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const EVIL = "https://evil.example";

/** Every state-changing route the app serves that browsers may not call cross-site, with params filled in. */
function cookieReachableRoutes(): { method: string; path: string }[] {
  const seen = new Set<string>();
  const out: { method: string; path: string }[] = [];
  for (const r of createApp().routes) {
    if (!UNSAFE.has(r.method)) continue;
    const path = r.path.replace(/:[^/]+/g, "x").replace(/\*/g, "x");
    if (CROSS_SITE_ROUTES.some((re) => re.test(path)) || seen.has(`${r.method} ${path}`)) continue;
    seen.add(`${r.method} ${path}`);
    out.push({ method: r.method, path });
  }
  return out;
}

const STRAY_KEY_HEADERS: Record<string, Record<string, string>> = {
  "no x-api-key": {},
  "an empty x-api-key": { "x-api-key": "" },
  "a junk x-api-key": { "x-api-key": "junk-key-that-matches-nothing" },
};

describe("cookie-authenticated state changes and the Origin rule", () => {
  it("covers the routes it claims to: API and form routes are both in the list", () => {
    const routes = cookieReachableRoutes().map((r) => `${r.method} ${r.path}`);
    expect(routes).toContain("POST /api/account/keys");
    expect(routes).toContain("POST /dashboard/drive/folders");
    expect(routes).toContain("POST /login");
    expect(routes.length).toBeGreaterThan(40);
  });

  for (const [label, extra] of Object.entries(STRAY_KEY_HEADERS)) {
    it(`refuses a foreign Origin with a valid session cookie and ${label}, on every route`, async () => {
      const a = await registerAccount("drive");
      const accepted: string[] = [];
      for (const { method, path } of cookieReachableRoutes()) {
        const res = await call(path, {
          method,
          headers: { cookie: a.cookie, origin: EVIL, "content-type": "application/json", ...extra },
          body: method === "DELETE" ? undefined : "{}",
          redirect: "manual",
        });
        const body = await res.text();
        const refused = res.status === 403 && /origin_not_allowed|Cross-site request refused/.test(body);
        // With a key header, an API route that takes keys answers for the key, never for the cookie.
        const keyRejected = "x-api-key" in extra && path.startsWith("/api/") && res.status === 401 && /"(missing_api_key|invalid_api_key)"/.test(body);
        if (!refused && !keyRejected) accepted.push(`${method} ${path} -> ${res.status} ${body.slice(0, 80)}`);
      }
      expect(accepted).toEqual([]);
    });
  }

  it("does what the cookie asks from our own origin (the check above is not vacuous)", async () => {
    const a = await registerAccount("drive");
    const headers = { cookie: a.cookie, origin: BASE, "content-type": "application/json", "x-api-key": "junk" };
    const key = await call("/api/account/keys", { method: "POST", headers, body: JSON.stringify({ productLine: "drive", label: "x" }) });
    expect(key.status).toBe(201);
    const folder = await call("/dashboard/drive/folders", {
      method: "POST",
      headers: { cookie: a.cookie, origin: BASE, "content-type": "application/x-www-form-urlencoded", "x-api-key": "junk" },
      body: "name=Mine",
      redirect: "manual",
    });
    expect(folder.status).toBe(303);
  });

  it("still lets a key call the API cross-origin, cookie or not", async () => {
    const a = await registerAccount("drive");
    const res = await call("/api/drive", {
      method: "POST",
      headers: { origin: EVIL, "content-type": "application/json", "x-api-key": a.key },
      body: JSON.stringify({ name: "From a partner page" }),
    });
    expect(res.status).toBe(201);
  });

  it("refuses the reported requests: a new key and a new folder through a cookie with a stray key header", async () => {
    const a = await registerAccount("drive");
    const key = await call("/api/account/keys", {
      method: "POST",
      headers: { cookie: a.cookie, origin: EVIL, "x-api-key": "", "content-type": "application/json" },
      body: JSON.stringify({ productLine: "drive", label: "x" }),
    });
    expect(key.status).toBe(403);
    expect(await key.json()).toMatchObject({ error: "origin_not_allowed" });
    const folder = await call("/dashboard/drive/folders", {
      method: "POST",
      headers: { cookie: a.cookie, origin: EVIL, "x-api-key": "junk", "content-type": "application/x-www-form-urlencoded" },
      body: "name=Evil",
      redirect: "manual",
    });
    expect(folder.status).toBe(403);
    const list = await call("/api/drive", { headers: { "x-api-key": a.key } });
    expect(JSON.stringify(await list.json())).not.toContain("Evil");
  });
});

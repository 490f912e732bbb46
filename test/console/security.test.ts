import { describe, expect, it } from "vitest";
import { createPartnerApp, verify } from "../connect/helpers";
import { call, dash, registerAccount, sessionHeaders } from "../factories";
import { validApp as valid } from "./helpers";

describe("POST /api/console/apps", () => {
  it("needs a session: no cookie -> 401, an API key never authenticates, cross-site -> 403", async () => {
    const dev = await registerAccount("studio");
    expect((await call("/api/console/apps")).status).toBe(401);
    expect((await call("/api/console/apps", { headers: { "x-api-key": dev.key } })).status).toBe(401);
    const cross = await call("/api/console/apps", {
      method: "POST",
      headers: { cookie: dev.cookie, origin: "https://evil.test", "content-type": "application/json" },
      body: JSON.stringify(valid),
    });
    expect(cross.status).toBe(403);
  });
});

describe("managing an app", () => {
  it("hides every app route from another account with 404", async () => {
    const app = await createPartnerApp("drive");
    const stranger = await registerAccount("drive");
    const routes: [string, string, unknown?][] = [
      ["GET", `/api/console/apps/${app.id}`],
      ["PATCH", `/api/console/apps/${app.id}`, { name: "Mine now" }],
      ["DELETE", `/api/console/apps/${app.id}`],
      ["POST", `/api/console/apps/${app.id}/rotate-secret`],
      ["GET", `/api/console/apps/${app.id}/analytics`],
    ];
    for (const [method, path, body] of routes) {
      const res = await dash(method, path, stranger, body);
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    const list = (await (await dash("GET", "/api/console/apps", stranger)).json()) as { apps: unknown[] };
    expect(list.apps).toHaveLength(0);
    // The app is untouched and its secret still works.
    const still = (await (await dash("GET", `/api/console/apps/${app.id}`, app.owner)).json()) as { name: string };
    expect(still.name).not.toBe("Mine now");
    expect((await verify("pr_x", app)).status).toBe(404);
  });
});

describe("Developer Console pages", () => {
  it("redirects to login without a session and 404s another account's app page", async () => {
    const app = await createPartnerApp("drive");
    const anon = await call("/dashboard/console", { redirect: "manual" });
    expect(anon.status).toBe(303);
    expect(anon.headers.get("location")).toMatch(/^\/login/);
    const stranger = await registerAccount("drive");
    expect((await call(`/dashboard/console/${app.id}`, { headers: sessionHeaders(stranger) })).status).toBe(404);
    expect((await call(`/dashboard/console/${app.id}/rotate`, { method: "POST", headers: sessionHeaders(stranger) })).status).toBe(404);
    expect((await call(`/dashboard/console/${app.id}/delete`, { method: "POST", headers: sessionHeaders(stranger) })).status).toBe(404);
    const page = await call(`/dashboard/console/${app.id}`, { headers: sessionHeaders(app.owner) });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("funnel-chart");
  });
});

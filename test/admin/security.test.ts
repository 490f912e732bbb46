import { describe, expect, it } from "vitest";
import { createPartnerApp, startUrl, verify } from "../connect/helpers";
import { Browser, call, registerAccount, registerStaff, sessionHeaders } from "../factories";
import { patchApp } from "./helpers";

describe("GET /api/admin/apps", () => {
  it("is for staff only: 401 without a session, 403 for a regular user, keys never work", async () => {
    const user = await registerAccount("studio");
    expect((await call("/api/admin/apps")).status).toBe(401);
    expect((await call("/api/admin/apps", { headers: sessionHeaders(user) })).status).toBe(403);
    expect((await call("/api/admin/apps", { headers: { "x-api-key": user.key } })).status).toBe(401);
    const app = await createPartnerApp("drive");
    expect((await patchApp(app.owner, app.id, { status: "suspended" })).status).toBe(403);
  });
});

describe("PATCH /api/admin/apps/:id", () => {
  it("a flow in progress cannot finish once its app is suspended", async () => {
    const staff = await registerStaff();
    const app = await createPartnerApp("drive");
    const b = new Browser();
    await b.fetch(startUrl(app));
    await patchApp(staff, app.id, { status: "suspended" });
    const user = await registerAccount("drive");
    const login = await b.postJson("/api/login", { email: user.email, password: user.password });
    expect(login.status).toBe(200);
    expect(await login.json()).not.toHaveProperty("connectRedirect");
    await b.fetch(startUrl(app));
    expect(b.cookies.has("gh_connect")).toBe(false);
    const fin = await b.fetch("/api/integrations/connect/finalize", { method: "POST" });
    expect(fin.status).toBe(400);
  });

  it("finalize answers 403 app_suspended when the app was suspended mid-flow", async () => {
    const staff = await registerStaff();
    const app = await createPartnerApp("drive");
    const user = await registerAccount("drive");
    const b = new Browser();
    await b.postJson("/api/login", { email: user.email, password: user.password });
    await b.fetch(startUrl(app, { next: "login" }));
    await patchApp(staff, app.id, { status: "suspended" });
    const fin = await b.fetch("/api/integrations/connect/finalize", { method: "POST" });
    expect(fin.status).toBe(403);
    expect(await fin.json()).toMatchObject({ error: "app_suspended" });
  });

  it("refuses a staff session's change from a foreign Origin, by API and by form, and the app stays active", async () => {
    const staff = await registerStaff();
    const app = await createPartnerApp("drive");
    const evil = { cookie: staff.cookie, origin: "https://evil.example" };
    const api = await call(`/api/admin/apps/${app.id}`, {
      method: "PATCH",
      headers: { ...evil, "content-type": "application/json" },
      body: JSON.stringify({ status: "suspended" }),
    });
    expect(api.status).toBe(403);
    expect(await api.json()).toMatchObject({ error: "origin_not_allowed" });
    const form = await call(`/admin/apps/${app.id}/status`, { method: "POST", headers: evil, body: new URLSearchParams({ status: "suspended" }), redirect: "manual" });
    expect(form.status).toBe(403);
    expect((await verify("pr_x", app)).status).toBe(404);
    expect((await call(startUrl(app), { redirect: "manual" })).status).toBe(302);
  });
});

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, registerAccount, sessionHeaders, type TestAccount } from "../factories";
import { Browser, connectViaRegister, createPartnerApp, exchange, startUrl, verify } from "../connect/helpers";

async function staffAccount(): Promise<TestAccount> {
  const a = await registerAccount("studio");
  await env.DB.prepare("UPDATE profiles SET role = 'staff' WHERE id = ?").bind(a.profileId).run();
  return a;
}

const patch = (a: TestAccount, id: string, body: unknown) =>
  call(`/api/admin/apps/${id}`, { method: "PATCH", headers: sessionHeaders(a, { "content-type": "application/json" }), body: JSON.stringify(body) });

describe("GET /api/admin/apps", () => {
  it("lists every app with its owner and figures for staff", async () => {
    const staff = await staffAccount();
    const app = await createPartnerApp("drive");
    const { code, profileId } = await connectViaRegister(app);
    await exchange(code, app);
    await verify(profileId, app);
    const res = await call("/api/admin/apps", { headers: sessionHeaders(staff) });
    expect(res.status).toBe(200);
    const { apps } = (await res.json()) as { apps: Record<string, any>[] };
    const row = apps.find((a) => a.id === app.id)!;
    expect(row).toMatchObject({
      clientId: app.clientId,
      owner: { profileId: app.owner.profileId, email: app.owner.email },
      linkedProfiles: 1,
      figures: { starts: 1, registrations: 1, finalizations: 1, exchanges: 1, verifies: 1 },
    });
    expect(row).not.toHaveProperty("clientSecret");
  });

  it("is for staff only: 401 without a session, 403 for a regular user, keys never work", async () => {
    const user = await registerAccount("studio");
    expect((await call("/api/admin/apps")).status).toBe(401);
    expect((await call("/api/admin/apps", { headers: sessionHeaders(user) })).status).toBe(403);
    expect((await call("/api/admin/apps", { headers: { "x-api-key": user.key } })).status).toBe(401);
    const app = await createPartnerApp("drive");
    expect((await patch(app.owner, app.id, { status: "suspended" })).status).toBe(403);
  });
});

describe("PATCH /api/admin/apps/:id", () => {
  it("suspends an app: start, exchange and verify fail with 403 app_suspended; reactivation restores them", async () => {
    const staff = await staffAccount();
    const app = await createPartnerApp("drive");
    const { code, profileId } = await connectViaRegister(app);
    const res = await patch(staff, app.id, { status: "suspended" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "suspended" });

    const start = await call(startUrl(app), { redirect: "manual" });
    expect(start.status).toBe(403);
    expect(start.headers.get("location")).toBeNull();
    expect(await start.text()).toContain("app_suspended");
    const ex = await exchange(code, app);
    expect(ex.status).toBe(403);
    expect(await ex.json()).toMatchObject({ error: "app_suspended" });
    const v = await verify(profileId, app);
    expect(v.status).toBe(403);
    expect(await v.json()).toMatchObject({ error: "app_suspended" });
    const plans = await call(`/api/public/plans?client_id=${app.clientId}`);
    expect(plans.status).toBe(403);

    expect((await patch(staff, app.id, { status: "active" })).status).toBe(200);
    expect((await exchange(code, app)).status).toBe(200);
    expect((await verify(profileId, app)).status).toBe(200);
    expect((await call(startUrl(app), { redirect: "manual" })).status).toBe(302);
  });

  it("a flow in progress cannot finish once its app is suspended", async () => {
    const staff = await staffAccount();
    const app = await createPartnerApp("drive");
    const b = new Browser();
    await b.fetch(startUrl(app));
    await patch(staff, app.id, { status: "suspended" });
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
    const staff = await staffAccount();
    const app = await createPartnerApp("drive");
    const user = await registerAccount("drive");
    const b = new Browser();
    await b.postJson("/api/login", { email: user.email, password: user.password });
    await b.fetch(startUrl(app, { next: "login" }));
    await patch(staff, app.id, { status: "suspended" });
    const fin = await b.fetch("/api/integrations/connect/finalize", { method: "POST" });
    expect(fin.status).toBe(403);
    expect(await fin.json()).toMatchObject({ error: "app_suspended" });
  });

  it("rejects a bad status and answers 404 for an unknown app", async () => {
    const staff = await staffAccount();
    const app = await createPartnerApp("drive");
    expect((await patch(staff, app.id, { status: "deleted" })).status).toBe(400);
    expect((await patch(staff, app.id, {})).status).toBe(400);
    expect((await patch(staff, "app_missing", { status: "suspended" })).status).toBe(404);
  });
});

describe("/admin/apps page", () => {
  it("lists apps for staff and suspends through the form; regular users get 403", async () => {
    const staff = await staffAccount();
    const app = await createPartnerApp("drive");
    const page = await call("/admin/apps", { headers: sessionHeaders(staff) });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(app.clientId);
    expect(html).toContain(app.owner.email);
    const res = await call(`/admin/apps/${app.id}/status`, {
      method: "POST",
      headers: sessionHeaders(staff),
      body: new URLSearchParams({ status: "suspended" }),
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    expect((await verify("pr_x", app)).status).toBe(403);
    const user = await registerAccount("drive");
    expect((await call("/admin/apps", { headers: sessionHeaders(user) })).status).toBe(403);
    expect(
      (await call(`/admin/apps/${app.id}/status`, { method: "POST", headers: sessionHeaders(user), body: new URLSearchParams({ status: "active" }) })).status,
    ).toBe(403);
    expect((await verify("pr_x", app)).status).toBe(403);
  });
});

import { describe, expect, it } from "vitest";
import { connectViaRegister, createPartnerApp, exchange, startUrl, verify } from "../connect/helpers";
import { call, registerAccount, registerStaff, sessionHeaders, submitForm } from "../factories";
import { patchApp } from "./helpers";

describe("GET /api/admin/apps", () => {
  it("lists every app with its owner and figures for staff", async () => {
    const staff = await registerStaff();
    const app = await createPartnerApp("drive");
    const { code, profileId } = await connectViaRegister(app);
    await exchange(code, app);
    await verify(profileId, app);
    const res = await call("/api/admin/apps", { headers: sessionHeaders(staff) });
    expect(res.status).toBe(200);
    const { apps } = (await res.json()) as { apps: Record<string, unknown>[] };
    const row = apps.find((a) => a.id === app.id)!;
    expect(row).toMatchObject({
      clientId: app.clientId,
      owner: { profileId: app.owner.profileId, email: app.owner.email },
      linkedProfiles: 1,
      figures: { starts: 1, registrations: 1, finalizations: 1, exchanges: 1, verifies: 1 },
    });
    expect(row).not.toHaveProperty("clientSecret");
  });
});

describe("PATCH /api/admin/apps/:id", () => {
  it("suspends an app: start, exchange and verify fail with 403 app_suspended; reactivation restores them", async () => {
    const staff = await registerStaff();
    const app = await createPartnerApp("drive");
    const { code, profileId } = await connectViaRegister(app);
    const res = await patchApp(staff, app.id, { status: "suspended" });
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

    expect((await patchApp(staff, app.id, { status: "active" })).status).toBe(200);
    expect((await exchange(code, app)).status).toBe(200);
    expect((await verify(profileId, app)).status).toBe(200);
    expect((await call(startUrl(app), { redirect: "manual" })).status).toBe(302);
  });
});

describe("/admin/apps page", () => {
  it("lists apps for staff and suspends through the form; regular users get 403", async () => {
    const staff = await registerStaff();
    const app = await createPartnerApp("drive");
    const page = await call("/admin/apps", { headers: sessionHeaders(staff) });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(app.clientId);
    expect(html).toContain(app.owner.email);
    const res = await submitForm(staff, `/admin/apps/${app.id}/status`, { status: "suspended" });
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

import { describe, expect, it } from "vitest";
import { createPartnerApp, verify } from "../connect/helpers";
import { call, registerStaff, sessionHeaders, submitForm } from "../factories";
import { patchApp } from "./helpers";

describe("PATCH /api/admin/apps/:id", () => {
  it("rejects a bad status and answers 404 for an unknown app", async () => {
    const staff = await registerStaff();
    const app = await createPartnerApp("drive");
    expect((await patchApp(staff, app.id, { status: "deleted" })).status).toBe(400);
    expect((await patchApp(staff, app.id, {})).status).toBe(400);
    expect((await patchApp(staff, "app_missing", { status: "suspended" })).status).toBe(404);
  });

  it("rejects an over-long id, an extra field and a non-JSON body, and the app stays active", async () => {
    const staff = await registerStaff();
    const app = await createPartnerApp("drive");
    const longId = await patchApp(staff, "a".repeat(65), { status: "suspended" });
    expect(longId.status).toBe(400);
    expect(await longId.json()).toMatchObject({ error: "invalid_request" });
    const extra = await patchApp(staff, app.id, { status: "suspended", reason: "spam" });
    expect(extra.status).toBe(400);
    expect(await extra.json()).toMatchObject({ error: "invalid_request" });
    const form = await call(`/api/admin/apps/${app.id}`, {
      method: "PATCH",
      headers: sessionHeaders(staff, { "content-type": "application/x-www-form-urlencoded" }),
      body: "status=suspended",
    });
    expect(form.status).toBe(415);
    expect(await form.json()).toMatchObject({ error: "unsupported_media_type" });
    expect((await verify("pr_x", app)).status).toBe(404);
  });
});

describe("/admin/apps page", () => {
  it("answers a status other than active or suspended with a 400 page and changes nothing", async () => {
    const staff = await registerStaff();
    const app = await createPartnerApp("drive");
    const res = await submitForm(staff, `/admin/apps/${app.id}/status`, { status: "deleted" });
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toContain("status must be active or suspended");
    expect((await verify("pr_x", app)).status).toBe(404);
  });
});

import { describe, expect, it } from "vitest";
import { connectViaRegister, createPartnerApp, exchange, keyStatus, startUrl, verify } from "../connect/helpers";
import { call, dash, registerAccount, sessionHeaders, submitForm } from "../factories";
import { validApp as valid } from "./helpers";

describe("POST /api/console/apps", () => {
  it("creates an app and returns the client secret once", async () => {
    const dev = await registerAccount("studio");
    const res = await dash("POST", "/api/console/apps", dev, valid);
    expect(res.status).toBe(201);
    const app = (await res.json()) as Record<string, unknown>;
    expect(app).toMatchObject({ name: valid.name, allowedProductTypes: ["drive"], redirectUris: valid.redirectUris, status: "active" });
    expect(String(app.clientId)).toMatch(/^ci_/);
    expect(String(app.clientSecret)).toMatch(/^cs_[A-Za-z0-9_-]{43}$/);
    const list = (await (await dash("GET", "/api/console/apps", dev)).json()) as { apps: Record<string, unknown>[] };
    expect(list.apps).toHaveLength(1);
    expect(list.apps[0]).toMatchObject({ id: app.id, clientId: app.clientId });
    expect(list.apps[0]).not.toHaveProperty("clientSecret");
    const one = (await (await dash("GET", `/api/console/apps/${app.id}`, dev)).json()) as Record<string, unknown>;
    expect(one).not.toHaveProperty("clientSecret");
    expect(JSON.stringify(one)).not.toContain(String(app.clientSecret));
  });

  it("accepts http only for localhost", async () => {
    const dev = await registerAccount("studio");
    for (const uri of ["http://localhost:3000/cb", "http://127.0.0.1:8080/cb"]) {
      expect((await dash("POST", "/api/console/apps", dev, { ...valid, redirectUris: [uri] })).status).toBe(201);
    }
  });
});

describe("managing an app", () => {
  it("rotates the secret: the old one stops working at once", async () => {
    const app = await createPartnerApp("drive");
    const { profileId } = await connectViaRegister(app);
    expect((await verify(profileId, app)).status).toBe(200);
    const res = await dash("POST", `/api/console/apps/${app.id}/rotate-secret`, app.owner);
    expect(res.status).toBe(200);
    const rotated = (await res.json()) as { clientSecret: string; clientId: string };
    expect(rotated.clientId).toBe(app.clientId);
    expect(rotated.clientSecret).not.toBe(app.clientSecret);
    expect((await verify(profileId, app)).status).toBe(401);
    expect((await verify(profileId, { clientId: app.clientId, clientSecret: rotated.clientSecret })).status).toBe(200);
  });

  it("edits redirect URIs; start then accepts only the new set", async () => {
    const app = await createPartnerApp("drive");
    const next = "https://new.example.com/cb";
    const res = await dash("PATCH", `/api/console/apps/${app.id}`, app.owner, { redirectUris: [next] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ redirectUris: [next] });
    expect((await call(startUrl(app), { redirect: "manual" })).status).toBe(400);
    expect((await call(startUrl({ ...app, redirectUri: next }), { redirect: "manual" })).status).toBe(302);
  });

  it("deletes an app; its client id is then unknown and the keys it issued are revoked", async () => {
    const app = await createPartnerApp("drive");
    const merchant = await connectViaRegister(app);
    const issued = (await (await exchange(merchant.code, app)).json()) as { driveApiKey: string };
    expect(await keyStatus(issued.driveApiKey)).toBe(200);
    expect((await dash("DELETE", `/api/console/apps/${app.id}`, app.owner)).status).toBe(200);
    expect(await keyStatus(issued.driveApiKey)).toBe(401);
    // The merchant's own keys are untouched.
    const own = (await (await merchant.browser.fetch("/api/account/keys")).json()) as { keys: { partnerAppId: string | null }[] };
    expect(own.keys.some((k) => k.partnerAppId === null)).toBe(true);
    expect((await dash("GET", `/api/console/apps/${app.id}`, app.owner)).status).toBe(404);
    expect((await call(startUrl(app), { redirect: "manual" })).status).toBe(400);
    expect((await exchange("x", app)).status).toBe(401);
  });
});

describe("GET /api/console/apps/:id/analytics", () => {
  it("counts the funnel per day", async () => {
    const app = await createPartnerApp("drive");
    const a = await connectViaRegister(app);
    await exchange(a.code, app);
    await verify(a.profileId, app);
    await verify(a.profileId, app);
    await call(startUrl(app), { redirect: "manual" });
    const res = await dash("GET", `/api/console/apps/${app.id}/analytics?days=7`, app.owner);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { days: { date: string; starts: number }[]; totals: Record<string, number> };
    expect(body.days).toHaveLength(7);
    expect(body.days[6]!.date).toBe(new Date().toISOString().slice(0, 10));
    expect(body.totals).toEqual({ starts: 2, registrations: 1, logins: 0, finalizations: 1, exchanges: 1, verifies: 2 });
    expect(body.days[6]).toMatchObject({ starts: 2, exchanges: 1 });
  });
});

describe("Developer Console pages", () => {
  it("creates an app through the form and shows the secret once, in the yellow box", async () => {
    const dev = await registerAccount("studio");
    const res = await submitForm(dev, "/dashboard/console/apps", { name: "Form App", productType: "clientGallery", redirectUris: "https://a.example.com/cb\nhttps://b.example.com/cb" });
    expect(res.status).toBe(201);
    const html = await res.text();
    expect(html).toContain('class="alert secret"');
    const secret = /data-testid="client-secret-value">(cs_[A-Za-z0-9_-]+)</.exec(html)![1]!;
    const list = await (await call("/dashboard/console", { headers: sessionHeaders(dev) })).text();
    expect(list).toContain("Form App");
    expect(list).not.toContain(secret);
  });
});

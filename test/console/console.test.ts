import { describe, expect, it } from "vitest";
import { call, registerAccount, sessionHeaders, type TestAccount } from "../factories";
import { connectViaRegister, createPartnerApp, exchange, startUrl, verify } from "../connect/helpers";

const api = (a: TestAccount, path: string, method = "GET", body?: unknown) =>
  call(path, {
    method,
    headers: sessionHeaders(a, body === undefined ? {} : { "content-type": "application/json" }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const valid = { name: "My Shop Sync", allowedProductTypes: ["drive"], redirectUris: ["https://shop.example.com/oauth/gellhub/callback"] };

describe("POST /api/console/apps", () => {
  it("creates an app and returns the client secret once", async () => {
    const dev = await registerAccount("studio");
    const res = await api(dev, "/api/console/apps", "POST", valid);
    expect(res.status).toBe(201);
    const app = (await res.json()) as Record<string, unknown>;
    expect(app).toMatchObject({ name: valid.name, allowedProductTypes: ["drive"], redirectUris: valid.redirectUris, status: "active" });
    expect(String(app.clientId)).toMatch(/^ci_/);
    expect(String(app.clientSecret)).toMatch(/^cs_[A-Za-z0-9_-]{43}$/);
    const list = (await (await api(dev, "/api/console/apps")).json()) as { apps: Record<string, unknown>[] };
    expect(list.apps).toHaveLength(1);
    expect(list.apps[0]).toMatchObject({ id: app.id, clientId: app.clientId });
    expect(list.apps[0]).not.toHaveProperty("clientSecret");
    const one = (await (await api(dev, `/api/console/apps/${app.id}`)).json()) as Record<string, unknown>;
    expect(one).not.toHaveProperty("clientSecret");
    expect(JSON.stringify(one)).not.toContain(String(app.clientSecret));
  });

  it("accepts http only for localhost", async () => {
    const dev = await registerAccount("studio");
    for (const uri of ["http://localhost:3000/cb", "http://127.0.0.1:8080/cb"]) {
      expect((await api(dev, "/api/console/apps", "POST", { ...valid, redirectUris: [uri] })).status).toBe(201);
    }
  });

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
      const res = await api(dev, "/api/console/apps", "POST", { ...valid, redirectUris: [uri] });
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
      const res = await api(dev, "/api/console/apps", "POST", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await api(dev, "/api/console/apps")).status).toBe(200);
    expect(((await (await api(dev, "/api/console/apps")).json()) as { apps: unknown[] }).apps).toHaveLength(0);
  });

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
  it("rotates the secret: the old one stops working at once", async () => {
    const app = await createPartnerApp("drive");
    const { profileId } = await connectViaRegister(app);
    expect((await verify(profileId, app)).status).toBe(200);
    const res = await api(app.owner, `/api/console/apps/${app.id}/rotate-secret`, "POST");
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
    const res = await api(app.owner, `/api/console/apps/${app.id}`, "PATCH", { redirectUris: [next] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ redirectUris: [next] });
    expect((await call(startUrl(app), { redirect: "manual" })).status).toBe(400);
    expect((await call(startUrl({ ...app, redirectUri: next }), { redirect: "manual" })).status).toBe(302);
  });

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
      expect((await api(dev, `/api/console/apps/${long}${suffix}`, method, body)).status).toBe(400);
      expect((await api(dev, `/api/console/apps/app_missing${suffix}`, method, body)).status).toBe(404);
    }
  });

  it("rejects a bad PATCH", async () => {
    const app = await createPartnerApp("drive");
    for (const body of [{}, { redirectUris: ["http://x.example.com/cb"] }, { name: "" }, { allowedProductTypes: ["messaging"] }]) {
      expect((await api(app.owner, `/api/console/apps/${app.id}`, "PATCH", body)).status).toBe(400);
    }
  });

  it("deletes an app; its client id is then unknown and the keys it issued are revoked", async () => {
    const app = await createPartnerApp("drive");
    const merchant = await connectViaRegister(app);
    const issued = (await (await exchange(merchant.code, app)).json()) as { driveApiKey: string };
    const status = (key: string) => call("/api/billing/status", { headers: { "x-api-key": key } }).then((r) => r.status);
    expect(await status(issued.driveApiKey)).toBe(200);
    expect((await api(app.owner, `/api/console/apps/${app.id}`, "DELETE")).status).toBe(200);
    expect(await status(issued.driveApiKey)).toBe(401);
    // The merchant's own keys are untouched.
    const own = (await (await merchant.browser.fetch("/api/account/keys")).json()) as { keys: { partnerAppId: string | null }[] };
    expect(own.keys.some((k) => k.partnerAppId === null)).toBe(true);
    expect((await api(app.owner, `/api/console/apps/${app.id}`)).status).toBe(404);
    expect((await call(startUrl(app), { redirect: "manual" })).status).toBe(400);
    expect((await exchange("x", app)).status).toBe(401);
  });

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
      const res = await api(stranger, path, method, body);
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    const list = (await (await api(stranger, "/api/console/apps")).json()) as { apps: unknown[] };
    expect(list.apps).toHaveLength(0);
    // The app is untouched and its secret still works.
    const still = (await (await api(app.owner, `/api/console/apps/${app.id}`)).json()) as { name: string };
    expect(still.name).not.toBe("Mine now");
    expect((await verify("pr_x", app)).status).toBe(404);
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
    const res = await api(app.owner, `/api/console/apps/${app.id}/analytics?days=7`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { days: { date: string; starts: number }[]; totals: Record<string, number> };
    expect(body.days).toHaveLength(7);
    expect(body.days[6]!.date).toBe(new Date().toISOString().slice(0, 10));
    expect(body.totals).toEqual({ starts: 2, registrations: 1, logins: 0, finalizations: 1, exchanges: 1, verifies: 2 });
    expect(body.days[6]).toMatchObject({ starts: 2, exchanges: 1 });
  });

  it("rejects a bad days value", async () => {
    const app = await createPartnerApp("drive");
    for (const d of ["0", "91", "abc"]) expect((await api(app.owner, `/api/console/apps/${app.id}/analytics?days=${d}`)).status).toBe(400);
  });
});

describe("Developer Console pages", () => {
  it("creates an app through the form and shows the secret once, in the yellow box", async () => {
    const dev = await registerAccount("studio");
    const res = await call("/dashboard/console/apps", {
      method: "POST",
      headers: sessionHeaders(dev),
      body: new URLSearchParams({ name: "Form App", productType: "clientGallery", redirectUris: "https://a.example.com/cb\nhttps://b.example.com/cb" }),
    });
    expect(res.status).toBe(201);
    const html = await res.text();
    expect(html).toContain('class="alert secret"');
    const secret = /data-testid="client-secret-value">(cs_[A-Za-z0-9_-]+)</.exec(html)![1]!;
    const list = await (await call("/dashboard/console", { headers: sessionHeaders(dev) })).text();
    expect(list).toContain("Form App");
    expect(list).not.toContain(secret);
  });

  it("shows form errors without creating anything", async () => {
    const dev = await registerAccount("studio");
    const res = await call("/dashboard/console/apps", {
      method: "POST",
      headers: sessionHeaders(dev),
      body: new URLSearchParams({ name: "Bad", productType: "drive", redirectUris: "http://evil.example.com/cb" }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("https");
  });

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


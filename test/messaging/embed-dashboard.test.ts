import { describe, expect, it } from "vitest";
import { call, dash, ok, sessionHeaders, submitForm } from "../factories";
import { registerMessaging, type Embed } from "./helpers";

const PAGE = "/dashboard/messaging";
const page = (a: { cookie: string }) => call(PAGE, { headers: sessionHeaders(a) });
const config = (a: { cookie: string }) => ok<Embed>(dash("GET", "/api/messaging/embed-config", a));

/** Text as the page escapes it inside elements and attributes. */
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const valid = {
  embedEnabled: "on",
  embedAllowedOrigins: "Shop.Example.com\r\nblog.example.org\n\n",
  embedAccentColor: "#FF5500",
  embedLauncherIcon: "🛍️",
  embedGreeting: "Welcome to the shop!",
  chatTitle: "Shop help",
};

describe("messaging dashboard: website widget", () => {
  it("renders the settings, both snippets, the share link, a copy button each and the nonce'd preview script", async () => {
    const a = await registerMessaging();
    const res = await page(a);
    expect(res.status).toBe(200);
    const html = await res.text();
    const e = await config(a);
    expect(html).toContain('aria-label="Website widget"');
    expect(html).toContain(esc(e.embedCodeFloating));
    expect(html).toContain(esc(e.embedCodeButton));
    expect(html).toContain(`value="${e.embedShareLink}"`);
    expect(html.match(/data-copy="/g)).toHaveLength(3);
    expect(html).toContain(`data-testid="embed-id">${e.embedPublicId}<`);
    // The limits the public API enforces are the ones the merchant reads.
    const limits = html.slice(html.indexOf('data-testid="widget-limits"'), html.indexOf("</ul>", html.indexOf('data-testid="widget-limits"')));
    expect(limits).toMatch(/up to 1,000 characters; each visitor up to 10 messages a minute, each network address\s*20, the whole widget 300/);
    expect(limits).toContain("At most 5,000 widget messages a day");
    for (const name of ["embedEnabled", "embedAllowedOrigins", "embedAccentColor", "embedLauncherIcon", "embedShowLauncher", "embedGreeting", "chatTitle"]) {
      expect(html, name).toContain(`name="${name}"`);
    }
    const nonce = /script-src 'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1];
    expect(nonce).toBeTruthy();
    const re = nonce!.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    expect(html).toMatch(new RegExp(`<script nonce="${re}">[^<]*widget-form`));
  });

  it("saves every setting through the form (303) and the session API reads them back", async () => {
    const a = await registerMessaging();
    const before = await config(a);
    const res = await submitForm(a, `${PAGE}/widget`, valid);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${PAGE}#website-widget`);
    const e = await config(a);
    expect(e).toMatchObject({
      embedEnabled: true,
      embedPublicId: before.embedPublicId,
      embedAllowedOrigins: ["shop.example.com", "blog.example.org"],
      embedAccentColor: "#ff5500",
      embedLauncherIcon: "🛍️",
      embedShowLauncher: false,
      embedGreeting: "Welcome to the shop!",
      chatTitle: "Shop help",
    });
    const html = await (await page(a)).text();
    expect(html).toContain("Welcome to the shop!");
    expect(html).toContain(esc(e.embedCodeFloating));
    // Unchecked boxes switch off; an empty title falls back to the default.
    await submitForm(a, `${PAGE}/widget`, { ...valid, embedEnabled: "", embedShowLauncher: "on", chatTitle: "" });
    expect(await config(a)).toMatchObject({ embedEnabled: false, embedShowLauncher: true, chatTitle: "Chat" });
  });

  it("an invalid accent or enabling without a domain shows the error with 400 and changes nothing", async () => {
    const a = await registerMessaging();
    await submitForm(a, `${PAGE}/widget`, valid);
    const saved = await config(a);
    const bad = await submitForm(a, `${PAGE}/widget`, { ...valid, embedAccentColor: "red", embedGreeting: "Not saved" });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain("embedAccentColor: a hex colour like #0d9488");
    expect(html).toContain('value="red"'); // what was typed stays in the form
    expect(await config(a)).toEqual(saved);
    const noHost = await submitForm(a, `${PAGE}/widget`, { ...valid, embedAllowedOrigins: "" });
    expect(noHost.status).toBe(400);
    expect(await noHost.text()).toContain("Add at least one allowed domain");
    const badHost = await submitForm(a, `${PAGE}/widget`, { ...valid, embedAllowedOrigins: "https://shop.com" });
    expect(badHost.status).toBe(400);
    expect(await config(a)).toEqual(saved);
  });

  it("rotate issues a new embed id shown in the snippets", async () => {
    const a = await registerMessaging();
    const before = await config(a);
    const res = await submitForm(a, `${PAGE}/widget/rotate`);
    expect(res.status).toBe(303);
    const after = await config(a);
    expect(after.embedPublicId).toMatch(/^emb_/);
    expect(after.embedPublicId).not.toBe(before.embedPublicId);
    const html = await (await page(a)).text();
    expect(html).toContain(after.embedPublicId);
    expect(html).not.toContain(before.embedPublicId);
  });

  it("another account's session neither sees nor changes the settings; a foreign Origin is refused", async () => {
    const a = await registerMessaging();
    const b = await registerMessaging();
    await submitForm(a, `${PAGE}/widget`, valid);
    const mine = await config(a);
    const theirs = await (await page(b)).text();
    expect(theirs).not.toContain(mine.embedPublicId);
    expect(theirs).not.toContain("Welcome to the shop!");
    await submitForm(b, `${PAGE}/widget`, { ...valid, embedGreeting: "From b" });
    await submitForm(b, `${PAGE}/widget/rotate`);
    expect(await config(a)).toEqual(mine);
    expect((await config(b)).embedGreeting).toBe("From b");

    for (const path of [`${PAGE}/widget`, `${PAGE}/widget/rotate`]) {
      const evil = await call(path, {
        method: "POST",
        headers: { cookie: a.cookie, origin: "https://evil.example" },
        body: new URLSearchParams({ ...valid, embedGreeting: "Evil" }),
        redirect: "manual",
      });
      expect(evil.status, path).toBe(403);
    }
    expect(await config(a)).toEqual(mine);
    // Without a session: the login page, nothing saved.
    const anon = await call(`${PAGE}/widget`, { method: "POST", headers: { origin: "http://localhost" }, body: new URLSearchParams(valid), redirect: "manual" });
    expect([302, 303]).toContain(anon.status);
    expect(await config(a)).toEqual(mine);
  });
});

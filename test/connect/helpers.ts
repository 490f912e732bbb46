import { exports } from "cloudflare:workers";
import { BASE, postJson, registerAccount, sessionHeaders, type TestAccount } from "../factories";

/**
 * A cookie-keeping browser against the Worker: sends its cookies, stores Set-Cookie
 * (including deletions), and sends Origin on unsafe methods like a real browser does.
 * Requests to other hosts (the partner's callback) are not sent: follow() stops there.
 */
export class Browser {
  readonly cookies = new Map<string, string>();

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const full = new URL(url, BASE);
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const method = (init.method ?? "GET").toUpperCase();
    if (method !== "GET" && method !== "HEAD" && !headers.has("origin")) headers.set("origin", full.origin);
    const res = await exports.default.fetch(new Request(full, { ...init, headers, redirect: "manual" }));
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split("=")[1]!) < Date.now()));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  postJson(path: string, body: unknown): Promise<Response> {
    return this.fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  }

  postForm(path: string, fields: Record<string, string>): Promise<Response> {
    return this.fetch(path, { method: "POST", body: new URLSearchParams(fields) });
  }

  /** Follows redirects on our own origin; returns the first response that is not one, or the foreign Location. */
  async follow(res: Response): Promise<{ res: Response; external?: URL }> {
    for (let i = 0; i < 10 && res.status >= 300 && res.status < 400; i++) {
      const loc = new URL(res.headers.get("location")!, BASE);
      if (loc.origin !== BASE) return { res, external: loc };
      res = await this.fetch(loc.toString());
    }
    return { res };
  }
}

/** The Worker seen as a partner backend sees it over the network (the documented snippets use fetch). */
export const gellhubFetch = (url: string, init?: RequestInit) => exports.default.fetch(new Request(url, init));

export interface PartnerApp {
  id: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  owner: TestAccount;
}

let n = 0;
/** A fresh developer account with one app of the given line. */
export async function createPartnerApp(
  productType: "clientGallery" | "drive" | "messaging" = "drive",
  extra: { redirectUris?: string[]; owner?: TestAccount } = {},
): Promise<PartnerApp> {
  const owner = extra.owner ?? (await registerAccount("studio"));
  const redirectUri = `https://partner${++n}.example.com/api/gellhub/callback`;
  const res = await postJson(
    "/api/console/apps",
    { name: `Partner ${n}`, allowedProductTypes: [productType], redirectUris: extra.redirectUris ?? [redirectUri] },
    sessionHeaders(owner),
  );
  if (res.status !== 201) throw new Error(`create app failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { id: string; clientId: string; clientSecret: string; redirectUris: string[] };
  return { id: body.id, clientId: body.clientId, clientSecret: body.clientSecret, redirectUri: body.redirectUris[0]!, owner };
}

export function startUrl(app: PartnerApp, params: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams({ client_id: app.clientId, return_url: app.redirectUri });
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, v);
  return `/api/integrations/connect/start?${q}`;
}

/** The documented partner exchange snippet, verbatim apart from the base URL. */
export async function exchange(code: string, app: { clientId: string; clientSecret: string }) {
  const r = await gellhubFetch(`${BASE}/api/integrations/connect/exchange`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      code,
      client_id: app.clientId, // server env
      client_secret: app.clientSecret,
    }),
  });
  return r;
}

export async function verify(profileId: string, app: { clientId: string; clientSecret: string }) {
  return gellhubFetch(`${BASE}/api/integrations/connect/verify`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ profile_id: profileId, client_id: app.clientId, client_secret: app.clientSecret }),
  });
}

/** Runs start -> register (API, same-origin) -> partner callback; returns the callback URL. */
export async function connectViaRegister(app: PartnerApp, accountType: "studio" | "drive" | "messaging" = "drive", state = "st-" + Math.random().toString(36).slice(2)) {
  const browser = new Browser();
  const start = await browser.fetch(startUrl(app, { state }));
  if (start.status !== 302) throw new Error(`start failed: ${start.status} ${await start.text()}`);
  const email = `connect-${Date.now().toString(36)}-${++n}@example.com`;
  const reg = await browser.postJson("/api/register", { email, password: "partner flow pw 1", displayName: "Connected", accountType });
  if (reg.status !== 201) throw new Error(`register failed: ${reg.status} ${await reg.text()}`);
  const body = (await reg.json()) as { profileId: string; connectRedirect?: string };
  if (!body.connectRedirect) throw new Error("no connectRedirect");
  const callback = new URL(body.connectRedirect);
  return { browser, callback, code: callback.searchParams.get("code")!, state, profileId: body.profileId, email };
}

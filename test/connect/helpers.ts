import { expect } from "vitest";
import { BASE, Browser, call, fetchUrl, postJson, registerAccount, sessionHeaders, type AccountType, type TestAccount } from "../factories";

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

/** The documented partner exchange snippet, verbatim apart from the base URL (a partner backend reaches us with fetch). */
export async function exchange(code: string, app: { clientId: string; clientSecret: string }) {
  const r = await fetchUrl(`${BASE}/api/integrations/connect/exchange`, {
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
  return fetchUrl(`${BASE}/api/integrations/connect/verify`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ profile_id: profileId, client_id: app.clientId, client_secret: app.clientSecret }),
  });
}

/** Runs start -> register (API, same-origin) -> partner callback; returns the callback URL. */
export async function connectViaRegister(app: PartnerApp, accountType: AccountType = "drive", state = "st-" + Math.random().toString(36).slice(2)) {
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

/** A drive account that completed embedded connect with `app`: the issued key, as the partner's backend holds it, and the user's session. */
export async function connectedDrive(app: PartnerApp) {
  const flow = await connectViaRegister(app, "drive");
  const res = await exchange(flow.code, app);
  if (res.status !== 200) throw new Error(`exchange: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { driveApiKey: string; profileId: string };
  const cookie = `gh_session=${flow.browser.cookies.get("gh_session")}`;
  return { key: body.driveApiKey, cookie, profileId: body.profileId };
}

/** The status GET /api/billing/status answers to `key`: 200 while the key works, 401 once it is revoked. */
export const keyStatus = (key: string) => call("/api/billing/status", { headers: { "x-api-key": key } }).then((r) => r.status);

/** Sends until the answer is a 429 or `max` requests went out; returns the last answer and how many were sent. */
export async function sendUntilLimited(send: () => Promise<Response>, max: number) {
  let last: Response | null = null;
  let sent = 0;
  while (sent < max && last?.status !== 429) {
    last = await send();
    sent++;
  }
  return { last: last!, sent };
}

/** GETs a connect URL as a browser's first hop: a redirect comes back as it is, never followed. */
export const getStart = (path: string) => call(path, { redirect: "manual" });

/** Asserts an HTML error page: never a redirect (to the partner or anywhere) and no cookie set. */
export async function expectErrorPage(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get("location")).toBeNull();
  expect(res.headers.get("set-cookie")).toBeNull();
  expect(res.headers.get("content-type")).toMatch(/text\/html/);
}

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import type { Env } from "../../src/env";
import { BASE, registerAccount, uniqueEmail } from "../factories";
import { createPartnerApp, exchange, startUrl } from "./helpers";

/**
 * A local OpenID provider speaking the real wire format (discovery document, JWKS, token
 * endpoint with PKCE), reached through a fetch spy: the Worker under test runs in this
 * isolate, so its outbound fetch to the issuer lands here instead of the network.
 */
const ISSUER = "https://idp.example.test";
const CLIENT_ID = "gellhub-test-client.apps.example";
const CLIENT_SECRET = "test-client-secret";
let keys: { privateKey: CryptoKey; jwk: Record<string, unknown> };
let rogue: CryptoKey;
const issued = new Map<string, { challenge: string; nonce: string; redirectUri: string; claims: Record<string, unknown>; key?: CryptoKey; aud?: string; iss?: string }>();

beforeAll(async () => {
  const pair = await generateKeyPair("RS256", { extractable: true });
  keys = { privateKey: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" } };
  rogue = (await generateKeyPair("RS256")).privateKey;
});

const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

async function provider(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const req = new Request(input, init);
  const url = new URL(req.url);
  if (url.origin !== ISSUER) throw new Error(`unexpected outbound fetch ${req.url}`);
  if (url.pathname === "/.well-known/openid-configuration") {
    return Response.json({
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/o/oauth2/v2/auth`,
      token_endpoint: `${ISSUER}/token`,
      jwks_uri: `${ISSUER}/oauth2/v3/certs`,
      response_types_supported: ["code"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      code_challenge_methods_supported: ["S256"],
    });
  }
  if (url.pathname === "/oauth2/v3/certs") return Response.json({ keys: [keys.jwk] });
  if (url.pathname === "/token" && req.method === "POST") {
    const form = new URLSearchParams(await req.text());
    const grant = issued.get(form.get("code") ?? "");
    if (!grant || form.get("client_id") !== CLIENT_ID || form.get("client_secret") !== CLIENT_SECRET) {
      return Response.json({ error: "invalid_client" }, { status: 401 });
    }
    issued.delete(form.get("code")!);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(form.get("code_verifier") ?? "")));
    if (b64url(digest) !== grant.challenge || form.get("redirect_uri") !== grant.redirectUri || form.get("grant_type") !== "authorization_code") {
      return Response.json({ error: "invalid_grant" }, { status: 400 });
    }
    const idToken = await new SignJWT({ nonce: grant.nonce, ...grant.claims })
      .setProtectedHeader({ alg: "RS256", kid: "k1" })
      .setIssuer(grant.iss ?? ISSUER)
      .setAudience(grant.aud ?? CLIENT_ID)
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(grant.key ?? keys.privateKey);
    return Response.json({ access_token: "at", token_type: "Bearer", expires_in: 3600, id_token: idToken });
  }
  return new Response("not found", { status: 404 });
}

const googleEnv = { ...env, GOOGLE_CLIENT_ID: CLIENT_ID, GOOGLE_CLIENT_SECRET: CLIENT_SECRET, OIDC_ISSUER: ISSUER } as unknown as Env;

/** A cookie-keeping browser against the Worker with Google configured. */
class GoogleBrowser {
  cookies = new Map<string, string>();
  constructor(private readonly workerEnv: Env = googleEnv) {}
  async get(url: string): Promise<Response> {
    const headers = new Headers();
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request(new URL(url, BASE), { headers, redirect: "manual" }) as never, this.workerEnv, ctx);
    await waitOnExecutionContext(ctx);
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const [name, ...rest] = pair!.split("=");
      const value = rest.join("=");
      if (value === "" || attrs.some((a) => /max-age=0/i.test(a))) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
    return res;
  }
}

/** The user "approves" at the provider: returns the callback URL the provider would redirect to. */
function approve(authorize: URL, claims: Record<string, unknown>, tweak: Partial<{ key: CryptoKey; aud: string; iss: string; state: string }> = {}) {
  expect(authorize.origin + authorize.pathname).toBe(`${ISSUER}/o/oauth2/v2/auth`);
  expect(authorize.searchParams.get("response_type")).toBe("code");
  expect(authorize.searchParams.get("client_id")).toBe(CLIENT_ID);
  expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
  expect(authorize.searchParams.get("scope")).toContain("openid");
  const code = `code-${crypto.randomUUID()}`;
  issued.set(code, {
    challenge: authorize.searchParams.get("code_challenge")!,
    nonce: authorize.searchParams.get("nonce")!,
    redirectUri: authorize.searchParams.get("redirect_uri")!,
    claims,
    ...tweak,
  });
  const cb = new URL(authorize.searchParams.get("redirect_uri")!);
  cb.searchParams.set("code", code);
  cb.searchParams.set("state", tweak.state ?? authorize.searchParams.get("state")!);
  return cb.pathname + cb.search;
}

afterEach(() => vi.restoreAllMocks());

describe("Google sign-in (OpenID Connect)", () => {
  it("creates an account for a new verified Google user and signs the browser in", async () => {
    vi.spyOn(globalThis, "fetch").mockImplementation(provider);
    const b = new GoogleBrowser();
    const start = await b.get("/api/auth/google");
    expect(start.status).toBe(302);
    expect(b.cookies.has("gh_oidc")).toBe(true);
    const email = uniqueEmail("google");
    const cb = await b.get(approve(new URL(start.headers.get("location")!), { sub: `g-${crypto.randomUUID()}`, email, email_verified: true, name: "Gina Google" }));
    expect(cb.status).toBe(302);
    expect(cb.headers.get("location")).toBe("/dashboard");
    expect(b.cookies.has("gh_session")).toBe(true);
    expect(b.cookies.has("gh_oidc")).toBe(false);
    const account = (await (await b.get("/api/account")).json()) as { profile: { email: string; displayName: string } };
    expect(account.profile).toMatchObject({ email, displayName: "Gina Google" });
    const row = await env.DB.prepare("SELECT password_hash, google_subject FROM profiles WHERE email = ?").bind(email).first<{ password_hash: string | null; google_subject: string }>();
    expect(row!.password_hash).toBeNull();
    expect(row!.google_subject).toMatch(/^g-/);
  });

  it("links an existing account by verified email and finds it by subject afterwards", async () => {
    vi.spyOn(globalThis, "fetch").mockImplementation(provider);
    const user = await registerAccount("drive");
    const sub = `g-${crypto.randomUUID()}`;
    for (const email of [user.email, "changed-" + user.email]) {
      const b = new GoogleBrowser();
      const start = await b.get("/api/auth/google");
      const cb = await b.get(approve(new URL(start.headers.get("location")!), { sub, email, email_verified: true }));
      expect(cb.status).toBe(302);
      const account = (await (await b.get("/api/account")).json()) as { profile: { id: string } };
      expect(account.profile.id).toBe(user.profileId);
    }
  });

  it("returns to the partner with a code when embedded connect is active", async () => {
    vi.spyOn(globalThis, "fetch").mockImplementation(provider);
    const app = await createPartnerApp("drive");
    const b = new GoogleBrowser();
    expect((await b.get(startUrl(app, { state: "g-state" }))).status).toBe(302);
    const page = await (await b.get("/register")).text();
    expect(page).toContain('href="/api/auth/google"');
    const start = await b.get("/api/auth/google");
    const cb = await b.get(approve(new URL(start.headers.get("location")!), { sub: `g-${crypto.randomUUID()}`, email: uniqueEmail("gc"), email_verified: true }));
    expect(cb.status).toBe(302);
    const partner = new URL(cb.headers.get("location")!);
    expect(partner.origin + partner.pathname).toBe(app.redirectUri);
    expect(partner.searchParams.get("state")).toBe("g-state");
    vi.restoreAllMocks();
    const res = await exchange(partner.searchParams.get("code")!, app);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accountKind: "drive" });
  });

  it("refuses a mismatched state, a missing cookie and a provider error without signing in", async () => {
    vi.spyOn(globalThis, "fetch").mockImplementation(provider);
    const b = new GoogleBrowser();
    const start = await b.get("/api/auth/google");
    const claims = { sub: "g-x", email: uniqueEmail("gx"), email_verified: true };
    const bad = await b.get(approve(new URL(start.headers.get("location")!), claims, { state: "forged" }));
    expect(bad.status).toBe(400);
    expect(b.cookies.has("gh_session")).toBe(false);
    const fresh = new GoogleBrowser();
    const noCookie = await fresh.get(approve(new URL(start.headers.get("location")!), claims));
    expect(noCookie.status).toBe(400);
    const c = new GoogleBrowser();
    await c.get("/api/auth/google");
    expect((await c.get("/api/auth/google/callback?error=access_denied&state=x")).status).toBe(400);
    expect(c.cookies.has("gh_session")).toBe(false);
  });

  it("rejects ID tokens with a foreign signature, audience or issuer, and unverified emails", async () => {
    vi.spyOn(globalThis, "fetch").mockImplementation(provider);
    const tweaks = [{ key: rogue }, { aud: "someone-else" }, { iss: "https://evil.example.test" }];
    for (const tweak of tweaks) {
      const b = new GoogleBrowser();
      const start = await b.get("/api/auth/google");
      const res = await b.get(approve(new URL(start.headers.get("location")!), { sub: "g-t", email: uniqueEmail("gt"), email_verified: true }, tweak));
      expect(res.status).toBe(400);
      expect(b.cookies.has("gh_session")).toBe(false);
    }
    const b = new GoogleBrowser();
    const start = await b.get("/api/auth/google");
    const res = await b.get(approve(new URL(start.headers.get("location")!), { sub: "g-u", email: uniqueEmail("gu"), email_verified: false }));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("not verified");
  });

  it("is hidden and answers 404 when not configured", async () => {
    const b = new GoogleBrowser({ ...env } as unknown as Env);
    expect((await b.get("/api/auth/google")).status).toBe(404);
    expect((await b.get("/api/auth/google/callback?code=x&state=y")).status).toBe(404);
    expect(await (await b.get("/login")).text()).not.toContain("/api/auth/google");
    const configured = new GoogleBrowser();
    expect(await (await configured.get("/login")).text()).toContain("/api/auth/google");
  });
});

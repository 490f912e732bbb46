import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterEach, beforeAll, expect, vi } from "vitest";

/**
 * A local OpenID provider speaking the real wire format (discovery document, JWKS, token
 * endpoint with PKCE), reached through a fetch spy: the Worker under test runs in this
 * isolate, so its outbound fetch to the issuer lands here instead of the network.
 */
export const ISSUER = "https://idp.example.test";
const CLIENT_ID = "gellhub-test-client.apps.example";
const CLIENT_SECRET = "test-client-secret";

/** The secrets of a deployment with Google sign-in configured against the fake issuer. */
export const GOOGLE_ENV = { GOOGLE_CLIENT_ID: CLIENT_ID, GOOGLE_CLIENT_SECRET: CLIENT_SECRET, OIDC_ISSUER: ISSUER };

let keys: { privateKey: CryptoKey; jwk: Record<string, unknown> };
let rogue: CryptoKey;
const issued = new Map<string, { challenge: string; nonce: string; redirectUri: string; claims: Record<string, unknown>; key?: CryptoKey; aud?: string; iss?: string }>();

/** Makes the provider's signing key (and a rogue one) before the file's tests; restores fetch after each test. */
export function useFakeGoogle(): void {
  beforeAll(async () => {
    const pair = await generateKeyPair("RS256", { extractable: true });
    keys = { privateKey: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" } };
    rogue = (await generateKeyPair("RS256")).privateKey;
  });
  afterEach(() => vi.restoreAllMocks());
}

/** A key the provider never published. */
export const rogueKey = () => rogue;

const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** The provider's HTTP endpoints; install with `vi.spyOn(globalThis, "fetch").mockImplementation(provider)`. */
export async function provider(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
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

/** The user "approves" at the provider: returns the callback URL the provider would redirect to. */
export function approve(authorize: URL, claims: Record<string, unknown>, tweak: Partial<{ key: CryptoKey; aud: string; iss: string; state: string }> = {}) {
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

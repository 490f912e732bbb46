import { createRemoteJWKSet, jwtVerify } from "jose";
import { z } from "zod";
import { base64url, randomToken } from "../ids";

export const GOOGLE_ISSUER = "https://accounts.google.com";

const Discovery = z.object({
  issuer: z.string().url(),
  authorization_endpoint: z.string().url(),
  token_endpoint: z.string().url(),
  jwks_uri: z.string().url(),
});
export type ProviderMetadata = z.infer<typeof Discovery>;

const TokenResponse = z.object({ id_token: z.string().min(1).max(20_000), token_type: z.string().optional() });

const IdClaims = z.object({
  sub: z.string().min(1).max(255),
  email: z.string().max(254).optional(),
  email_verified: z.union([z.boolean(), z.enum(["true", "false"])]).optional(),
  name: z.string().max(200).optional(),
  nonce: z.string().optional(),
});

export interface OidcClientConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

const discoveryCache = new Map<string, { meta: ProviderMetadata; until: number }>();
const jwksCache = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/** The provider's metadata from `/.well-known/openid-configuration`; its issuer must equal ours. */
export async function discover(issuer: string, now = Date.now()): Promise<ProviderMetadata> {
  const hit = discoveryCache.get(issuer);
  if (hit && hit.until > now) return hit.meta;
  const res = await fetch(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`, { headers: { accept: "application/json" } });
  if (!res.ok) throw new Error(`OpenID discovery failed: ${res.status}`);
  const meta = Discovery.parse(await res.json());
  if (meta.issuer !== issuer) throw new Error("OpenID discovery: issuer mismatch");
  discoveryCache.set(issuer, { meta, until: now + 3600_000 });
  return meta;
}

/** state, nonce and a PKCE verifier (256 bits each) plus the S256 challenge. */
export async function newAuthRequest() {
  const verifier = randomToken(32);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return { state: randomToken(32), nonce: randomToken(32), verifier, challenge: base64url(new Uint8Array(digest)) };
}

export function authorizationUrl(
  meta: ProviderMetadata,
  p: { clientId: string; redirectUri: string; state: string; nonce: string; challenge: string },
): string {
  const url = new URL(meta.authorization_endpoint);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", p.clientId);
  url.searchParams.set("redirect_uri", p.redirectUri);
  url.searchParams.set("scope", "openid email profile");
  url.searchParams.set("state", p.state);
  url.searchParams.set("nonce", p.nonce);
  url.searchParams.set("code_challenge", p.challenge);
  url.searchParams.set("code_challenge_method", "S256");
  return url.toString();
}

export interface VerifiedIdentity {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

/**
 * Redeems the authorization code at the token endpoint (client_secret_post + PKCE verifier)
 * and verifies the ID token against the provider's JWKS: signature, issuer, audience,
 * expiry and nonce.
 */
export async function redeemCode(
  cfg: OidcClientConfig,
  meta: ProviderMetadata,
  p: { code: string; redirectUri: string; verifier: string; nonce: string },
): Promise<VerifiedIdentity> {
  const res = await fetch(meta.token_endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: p.code,
      redirect_uri: p.redirectUri,
      client_id: cfg.clientId,
      client_secret: cfg.clientSecret,
      code_verifier: p.verifier,
    }),
  });
  if (!res.ok) throw new Error(`token endpoint answered ${res.status}`);
  const tokens = TokenResponse.parse(await res.json());
  let jwks = jwksCache.get(meta.jwks_uri);
  if (!jwks) {
    jwks = createRemoteJWKSet(new URL(meta.jwks_uri));
    jwksCache.set(meta.jwks_uri, jwks);
  }
  const { payload } = await jwtVerify(tokens.id_token, jwks, {
    // Google documents both spellings of its issuer in ID tokens.
    issuer: meta.issuer === GOOGLE_ISSUER ? [GOOGLE_ISSUER, "accounts.google.com"] : meta.issuer,
    audience: cfg.clientId,
    algorithms: ["RS256", "ES256"],
    clockTolerance: 60,
  });
  const claims = IdClaims.parse(payload);
  if (claims.nonce !== p.nonce) throw new Error("ID token nonce mismatch");
  return {
    subject: claims.sub,
    email: claims.email?.toLowerCase() ?? null,
    emailVerified: claims.email_verified === true || claims.email_verified === "true",
    name: claims.name ?? null,
  };
}

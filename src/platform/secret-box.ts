import type { Env } from "../env";
import { ApiError } from "./errors";
import { base64url, fromBase64url } from "./ids";
import { isLocalDev } from "./local";

// Used only under `npm run dev` (LOCAL_DEV) when no WEBHOOK_SECRET_KEY is configured.
const LOCAL_DEV_KEY = "gellhub-local-development-webhook-secret-key-not-for-production";
const VERSION = "v1";
const enc = new TextEncoder();

/** The key material: WEBHOOK_SECRET_KEY (>= 32 chars), or the dev value under the local-only switch. */
function keyMaterial(env: Pick<Env, "WEBHOOK_SECRET_KEY" | "LOCAL_DEV">): string {
  const k = env.WEBHOOK_SECRET_KEY;
  if (k && k.length >= 32) return k;
  if (isLocalDev(env)) return LOCAL_DEV_KEY;
  throw new ApiError("encryption_not_configured", "WEBHOOK_SECRET_KEY (>= 32 chars) must be configured to store webhook secrets");
}

/** Whether secrets can be sealed here (a key is configured, or local dev). */
export function canSealSecrets(env: Pick<Env, "WEBHOOK_SECRET_KEY" | "LOCAL_DEV">): boolean {
  try {
    keyMaterial(env);
    return true;
  } catch {
    return false;
  }
}

async function aesKey(material: string): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey("raw", enc.encode(material), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: enc.encode("gellhub/secret-box/v1") },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/**
 * Encrypts a secret for storage: AES-256-GCM, a fresh 96-bit IV, and `context` (e.g. the
 * profile id and the secret's purpose) as additional data, so a sealed value copied to another
 * row or tenant does not open. Output: `v1.<iv>.<ciphertext>` (base64url).
 */
export async function sealSecret(env: Pick<Env, "WEBHOOK_SECRET_KEY" | "LOCAL_DEV">, plaintext: string, context: string): Promise<string> {
  const key = await aesKey(keyMaterial(env));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: enc.encode(context) }, key, enc.encode(plaintext));
  return `${VERSION}.${base64url(iv)}.${base64url(new Uint8Array(ct))}`;
}

/**
 * Decrypts what sealSecret made with the same key and context; throws if tampered, moved or
 * keyed differently. During a key rotation WEBHOOK_SECRET_KEY_PREVIOUS is tried second.
 */
export async function openSecret(env: Pick<Env, "WEBHOOK_SECRET_KEY" | "WEBHOOK_SECRET_KEY_PREVIOUS" | "LOCAL_DEV">, sealed: string, context: string): Promise<string> {
  const [version, iv, ct] = sealed.split(".");
  if (version !== VERSION || !iv || !ct) throw new Error("not a sealed secret");
  const materials = [keyMaterial(env), ...(env.WEBHOOK_SECRET_KEY_PREVIOUS && env.WEBHOOK_SECRET_KEY_PREVIOUS.length >= 32 ? [env.WEBHOOK_SECRET_KEY_PREVIOUS] : [])];
  let failure: unknown;
  for (const material of materials) {
    try {
      const pt = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64url(iv), additionalData: enc.encode(context) }, await aesKey(material), fromBase64url(ct));
      return new TextDecoder().decode(pt);
    } catch (err) {
      failure = err;
    }
  }
  throw failure;
}

import { base64url, fromBase64url } from "./ids";

const enc = new TextEncoder();

/** Workers refuse PBKDF2 above 100,000 iterations in production; never raise past this. */
export const PBKDF2_MAX_ITERATIONS = 100_000;
export const PASSWORD_ITERATIONS = PBKDF2_MAX_ITERATIONS;

function toHex(buf: ArrayBuffer): string {
  return [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function sha256Hex(input: string): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", enc.encode(input)));
}

async function sha256Bytes(input: string | Uint8Array): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", typeof input === "string" ? enc.encode(input) : input);
}

/**
 * Constant-time string equality. Both sides are hashed first so the comparison is always
 * between two 32-byte digests (timingSafeEqual throws on unequal lengths).
 */
export async function timingSafeEqualStr(a: string, b: string): Promise<boolean> {
  const [da, db] = await Promise.all([sha256Bytes(a), sha256Bytes(b)]);
  return crypto.subtle.timingSafeEqual(da, db);
}

async function pbkdf2(password: string, salt: Uint8Array, iterations: number, pepper: string): Promise<Uint8Array> {
  if (iterations > PBKDF2_MAX_ITERATIONS) throw new Error("PBKDF2 iterations above the Workers limit");
  const key = await crypto.subtle.importKey("raw", enc.encode(password + pepper), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

/** `pbkdf2-sha256$<iterations>$<salt b64url>$<hash b64url>`: self-describing so it can be raised later. */
export async function hashPassword(password: string, pepper = ""): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await pbkdf2(password, salt, PASSWORD_ITERATIONS, pepper);
  return `pbkdf2-sha256$${PASSWORD_ITERATIONS}$${base64url(salt)}$${base64url(hash)}`;
}

// A real hash of a random password: verifying against it costs what a real check costs.
const DUMMY_HASH = `pbkdf2-sha256$${PASSWORD_ITERATIONS}$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;

/** Verifies in constant time. `stored` null (unknown user) still runs one full derivation. */
export async function verifyPassword(password: string, stored: string | null, pepper = ""): Promise<boolean> {
  const parts = (stored ?? DUMMY_HASH).split("$");
  if (parts.length !== 4 || parts[0] !== "pbkdf2-sha256") return false;
  const iterations = Number(parts[1]);
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > PBKDF2_MAX_ITERATIONS) return false;
  const expected = fromBase64url(parts[3]!);
  const actual = await pbkdf2(password, fromBase64url(parts[2]!), iterations, pepper);
  const same = expected.byteLength === actual.byteLength && crypto.subtle.timingSafeEqual(expected, actual);
  return stored !== null && same;
}

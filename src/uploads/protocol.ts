import { ApiError } from "../platform/errors";

/**
 * The tus 1.0.0 wire format (https://tus.io/protocols/resumable-upload): versions, extensions,
 * header parsing. Pure functions, no storage.
 */
export const TUS_VERSION = "1.0.0";
export const TUS_EXTENSIONS = ["creation", "creation-with-upload", "creation-defer-length", "termination", "expiration", "checksum"] as const;

/** tus checksum names -> the algorithm names of crypto.DigestStream. */
export const CHECKSUM_ALGORITHMS = { sha1: "SHA-1", sha256: "SHA-256", sha512: "SHA-512", md5: "MD5" } as const;
export type ChecksumAlgorithm = keyof typeof CHECKSUM_ALGORITHMS;

export const OFFSET_CONTENT_TYPE = "application/offset+octet-stream";

/** Headers a browser client sends and reads (CORS). */
export const TUS_REQUEST_HEADERS = [
  "Tus-Resumable",
  "Upload-Length",
  "Upload-Offset",
  "Upload-Metadata",
  "Upload-Defer-Length",
  "Upload-Checksum",
  "Upload-Concat",
  "X-HTTP-Method-Override",
  "X-Requested-With",
  "Content-Type",
  "x-api-key",
];
export const TUS_EXPOSED_HEADERS = [
  "Location",
  "Tus-Resumable",
  "Tus-Version",
  "Tus-Extension",
  "Tus-Max-Size",
  "Tus-Checksum-Algorithm",
  "Upload-Offset",
  "Upload-Length",
  "Upload-Metadata",
  "Upload-Defer-Length",
  "Upload-Expires",
  "X-Request-Id",
  "Retry-After",
];

/** 412 unless the request speaks tus 1.0.0 (the server's Tus-Version rides on the answer). */
export function assertTusVersion(header: string | undefined): void {
  if (header !== TUS_VERSION) {
    throw new ApiError("tus_version_unsupported", `Send Tus-Resumable: ${TUS_VERSION}`, { headers: { "Tus-Version": TUS_VERSION } });
  }
}

/** A non-negative integer header (Upload-Length, Upload-Offset); undefined when absent, 400 when malformed. */
export function parseSize(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,16}$/.test(value.trim())) throw new ApiError("invalid_request", `${name} must be a non-negative integer`);
  const n = Number(value.trim());
  if (!Number.isSafeInteger(n)) throw new ApiError("invalid_request", `${name} is too large`);
  return n;
}

/**
 * Decodes Upload-Metadata: comma-separated `key base64value` pairs (value optional). Keys are
 * ASCII without spaces or commas and unique; values must be valid base64 of UTF-8 text.
 */
export function parseMetadata(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header || !header.trim()) return out;
  if (header.length > 4096) throw new ApiError("invalid_request", "Upload-Metadata is limited to 4096 characters");
  for (const pair of header.split(",")) {
    const [key, value, ...rest] = pair.trim().split(" ");
    if (!key || rest.length || !/^[\x21-\x2b\x2d-\x7e]+$/.test(key) || key in out) throw new ApiError("invalid_request", "Upload-Metadata is malformed");
    if (value === undefined || value === "") {
      out[key] = "";
      continue;
    }
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw new ApiError("invalid_request", `Upload-Metadata value of ${key} is not base64`);
    try {
      const bytes = Uint8Array.from(atob(value), (ch) => ch.charCodeAt(0));
      out[key] = new TextDecoder("utf-8", { fatal: true } as TextDecoderConstructorOptions).decode(bytes);
    } catch {
      throw new ApiError("invalid_request", `Upload-Metadata value of ${key} is not base64 of UTF-8 text`);
    }
  }
  return out;
}

/** Upload-Checksum `<algorithm> <base64 digest>`; 400 `checksum_algorithm_unsupported` for others. */
export function parseChecksum(header: string | undefined): { algorithm: ChecksumAlgorithm; digest: Uint8Array } | undefined {
  if (header === undefined) return undefined;
  const [name, value, ...rest] = header.trim().split(" ");
  if (!name || !(name in CHECKSUM_ALGORITHMS)) {
    throw new ApiError("checksum_algorithm_unsupported", `Supported checksum algorithms: ${Object.keys(CHECKSUM_ALGORITHMS).join(", ")}`);
  }
  if (!value || rest.length || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) throw new ApiError("invalid_request", "Upload-Checksum must be `<algorithm> <base64 digest>`");
  return { algorithm: name as ChecksumAlgorithm, digest: Uint8Array.from(atob(value), (ch) => ch.charCodeAt(0)) };
}

/** Upload-Expires wants an RFC 9110 date. */
export const httpDate = (ms: number) => new Date(ms).toUTCString();

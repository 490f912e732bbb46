import { z } from "zod";
import { ApiError } from "./errors";
import { base64url, fromBase64url } from "./ids";

/** An opaque pagination cursor: the keyset position as base64url JSON. */
export function encodeCursor(position: unknown): string {
  return base64url(new TextEncoder().encode(JSON.stringify(position)));
}

/** Reads a cursor made by encodeCursor; anything else (garbled, tampered shape) is a 400. */
export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  try {
    return schema.parse(JSON.parse(new TextDecoder().decode(fromBase64url(cursor))));
  } catch {
    throw new ApiError("invalid_request", [{ path: "cursor", message: "unknown cursor" }]);
  }
}

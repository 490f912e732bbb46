import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Stable machine codes; clients branch on these, so never rename one. */
export const ERROR_CODES = {
  invalid_request: 400,
  invalid_json: 400,
  plan_mismatch: 400,
  unknown_plan: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  missing_api_key: 401,
  invalid_api_key: 401,
  forbidden: 403,
  wrong_key_type: 403,
  origin_not_allowed: 403,
  not_found: 404,
  email_taken: 409,
  product_line_exists: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_attempts: 429,
  internal_error: 500,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * The one error type services throw; the app's onError turns it into `{ error, detail }`.
 * Codes in ERROR_CODES carry their status; a feature's own code passes `status` explicitly.
 */
export class ApiError extends HTTPException {
  readonly code: string;
  readonly detail?: unknown;
  readonly headers?: Record<string, string>;

  constructor(
    code: ErrorCode | (string & {}),
    detail?: unknown,
    options: { status?: ContentfulStatusCode; headers?: Record<string, string> } = {},
  ) {
    const status = options.status ?? (ERROR_CODES as Record<string, ContentfulStatusCode>)[code] ?? 400;
    super(status, { message: typeof detail === "string" ? detail : code });
    this.code = code;
    this.detail = detail;
    this.headers = options.headers;
  }
}

export function notFound(what = "resource"): ApiError {
  return new ApiError("not_found", `${what} not found`);
}

import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * Every machine code the API answers with, and its status. Clients branch on these, so never
 * rename one; a new failure adds its code here (the list is closed: ApiError takes no other).
 */
export const ERROR_CODES = {
  invalid_request: 400,
  checksum_algorithm_unsupported: 400,
  invalid_json: 400,
  plan_mismatch: 400,
  unknown_plan: 400,
  unknown_client: 400,
  plan_not_billable: 400,
  connect_not_active: 400,
  invalid_grant: 400,
  invalid_move: 400,
  own_team_not_editable: 400,
  invalid_signature: 400,
  upload_incomplete_or_mismatch: 400,
  google_email_unverified: 400,
  google_linked_elsewhere: 400,
  unsupported_field: 400,
  url_not_allowed: 400,
  origins_required: 400,
  webhook_url_required: 400,
  message_too_long: 400,
  email_required: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  missing_api_key: 401,
  invalid_api_key: 401,
  invalid_client: 401,
  password_required: 401,
  insufficient_credits: 402,
  forbidden: 403,
  wrong_key_type: 403,
  origin_not_allowed: 403,
  app_suspended: 403,
  product_not_allowed: 403,
  integration_not_linked: 403,
  integration_folder_read_only: 403,
  outside_integration_folder: 403,
  invalid_media_token: 403,
  write_access_required: 403,
  manage_access_required: 403,
  owner_only: 403,
  share_link_wrong_account: 403,
  downloads_disabled: 403,
  pin_required: 403,
  invalid_pin: 403,
  not_found: 404,
  not_linked: 404,
  embed_not_found: 404,
  email_taken: 409,
  product_line_exists: 409,
  product_line_not_enabled: 409,
  already_subscribed: 409,
  subscription_canceled: 409,
  checkout_not_open: 409,
  no_stripe_customer: 409,
  name_conflict: 409,
  upload_offset_mismatch: 409,
  uploads_not_ready: 409,
  member_exists: 409,
  agent_limit: 409,
  last_agent: 409,
  no_agent: 409,
  delivery_in_progress: 409,
  webhook_disabled: 409,
  upload_expired: 410,
  tus_version_unsupported: 412,
  gallery_expired: 410,
  share_link_invalid: 410,
  payload_too_large: 413,
  storage_limit_exceeded: 413,
  knowledge_limit_exceeded: 413,
  unsupported_media_type: 415,
  upload_locked: 423,
  too_many_attempts: 429,
  // tus checksum extension: 460 Checksum Mismatch (not an IANA status, hence the widening cast).
  checksum_mismatch: 460 as number as ContentfulStatusCode,
  internal_error: 500,
  stripe_error: 502,
  engine_error: 502,
  webhook_not_configured: 503,
  webhook_retry: 503,
  encryption_not_configured: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Codes the published docs answer with more than one status, and the other statuses allowed:
 * the upload loop retries /complete on 409 `upload_incomplete_or_mismatch` (object not visible yet).
 */
const OTHER_STATUSES = {
  upload_incomplete_or_mismatch: [409],
} as const satisfies Partial<Record<ErrorCode, readonly ContentfulStatusCode[]>>;

type OtherStatus<C extends ErrorCode> = C extends keyof typeof OTHER_STATUSES ? (typeof OTHER_STATUSES)[C][number] : never;

/**
 * The one error type services throw; the app's onError turns it into `{ error, detail }` with
 * the code's status from ERROR_CODES (or one of its documented OTHER_STATUSES).
 */
export class ApiError<C extends ErrorCode = ErrorCode> extends HTTPException {
  readonly code: C;
  readonly detail?: unknown;
  readonly headers?: Record<string, string>;

  constructor(code: C, detail?: unknown, options: { status?: OtherStatus<C>; headers?: Record<string, string> } = {}) {
    super(options.status ?? ERROR_CODES[code], { message: typeof detail === "string" ? detail : code });
    this.code = code;
    this.detail = detail;
    this.headers = options.headers;
  }
}

export function notFound(what = "resource"): ApiError<"not_found"> {
  return new ApiError("not_found", `${what} not found`);
}

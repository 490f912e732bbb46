import type { Db } from "./db";
import type { ProductLine, profiles } from "./db/schema";

/** Worker bindings, vars and secrets (wrangler.toml + `wrangler secret put`). */
export interface Env {
  DB: D1Database;
  FILES: R2Bucket;
  ASSETS: Fetcher;
  APP_NAME?: string;
  /** Optional pepper mixed into every password hash (secret). */
  PASSWORD_PEPPER?: string;
  /** "true" only under `npm run dev`: seeds the demo accounts on first request. */
  DEMO_SEED?: string;
  /**
   * "true" only under `npm run dev` (and the browser tests, which run it): the local-only
   * switches of DESIGN.md (http://localhost and http://127.0.0.1 webhook receivers, the
   * /dev/mailbox page). Production configuration never sets it. Read it through isLocalDev().
   */
  LOCAL_DEV?: string;
  /** Signs embedded-connect and Google sign-in cookies (secret, >= 32 chars; localhost falls back to a dev value). */
  CONNECT_COOKIE_SECRET?: string;
  /** Google sign-in (OpenID Connect); hidden in the UI unless client id and secret are set. */
  GOOGLE_CLIENT_ID?: string;
  GOOGLE_CLIENT_SECRET?: string;
  /** OpenID provider issuer; defaults to https://accounts.google.com. */
  OIDC_ISSUER?: string;
  /** Stripe secret key (secret). Unset: billing runs in the local test mode. */
  STRIPE_SECRET_KEY?: string;
  /** Signing secret of the Stripe webhook endpoint, `whsec_…` (secret). */
  STRIPE_WEBHOOK_SECRET?: string;
  /** Optional base URL for the Stripe API (a mock or proxy), e.g. `http://localhost:12111`. */
  STRIPE_API_BASE?: string;
  /** R2's S3 endpoint, `https://<account_id>.r2.cloudflarestorage.com`. Unset on localhost: the Worker serves /storage/s3 itself. */
  R2_S3_ENDPOINT?: string;
  /** Bucket name for presigned URLs; defaults to `gellhub-files` (must match the FILES binding). */
  R2_BUCKET_NAME?: string;
  /** R2 API token credentials (secrets) used to sign presigned PUT URLs. */
  R2_ACCESS_KEY_ID?: string;
  R2_SECRET_ACCESS_KEY?: string;
  /** HS256 secret (>= 32 chars) for /api/media?t= tokens (secret; localhost falls back to a dev value). */
  MEDIA_TOKEN_SECRET?: string;
  /** Outbound messaging webhooks (handoff.requested): producer side of the `gellhub-webhooks` queue. */
  WEBHOOKS: Queue<{ deliveryId: string; profileId: string }>;
  /**
   * Key sealing webhook secrets at rest (AES-256-GCM; secret, >= 32 chars). Localhost and tests
   * fall back to a dev value; production refuses to save or use a secret without it.
   */
  WEBHOOK_SECRET_KEY?: string;
  /** The previous WEBHOOK_SECRET_KEY during a key rotation: secrets sealed with it still open (secret). */
  WEBHOOK_SECRET_KEY_PREVIOUS?: string;
  /** Cloudflare Images binding (production): gallery thumbnails and web sizes; unset, a WASM resizer makes them (src/platform/images). */
  IMAGES?: ImagesBinding;
  /** One Durable Object per messaging conversation (ConversationRoom). */
  CONVERSATIONS: DurableObjectNamespace;
  /** Workers AI binding (production); unset under `npm run dev`, which needs no Cloudflare login. */
  AI?: Ai;
  /** An OpenAI-compatible chat-completions base URL, e.g. `http://localhost:11434/v1` (takes precedence over AI). */
  AI_BASE_URL?: string;
  /** Bearer key for AI_BASE_URL (secret). */
  AI_API_KEY?: string;
  /** Model name for AI_BASE_URL, or a Workers AI model id (default @cf/meta/llama-3.1-8b-instruct). */
  AI_MODEL?: string;
  /**
   * Email (the outbox, platform/email). Sender, e.g. `GellHub <no-reply@mail.example.com>`; with
   * neither transport below (or without EMAIL_FROM) nothing is sent: messages stay `held`.
   */
  EMAIL_FROM?: string;
  /** HTTP provider key (secret), Resend's wire format; takes precedence over SEND_EMAIL. */
  EMAIL_API_KEY?: string;
  /** HTTP provider endpoint, default https://api.resend.com/emails (any Resend-compatible API). */
  EMAIL_API_URL?: string;
  /** Cloudflare's send_email binding (Email Service / Email Routing): raw MIME built with mimetext. */
  SEND_EMAIL?: SendEmail;
}

/** Who is calling: filled by the auth middleware, read by routes only. */
export interface AuthContext {
  profileId: string;
  via: "session" | "apiKey";
  /** Product line of the API key; undefined for sessions. */
  product?: ProductLine;
  apiKeyId?: string;
}

export interface AppVariables {
  requestId: string;
  db: Db;
  auth: AuthContext;
  /** The signed-in profile on dashboard pages (set by requirePageSession). */
  user: typeof profiles.$inferSelect;
}

export type AppEnv = { Bindings: Env; Variables: AppVariables };

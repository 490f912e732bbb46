import type { Db } from "./db";
import type { ProductLine } from "./db/schema";

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
}

export type AppEnv = { Bindings: Env; Variables: AppVariables };

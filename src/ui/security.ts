import type { Context } from "hono";
import { NONCE, secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../env";

/** Headers of server-rendered form pages: scripts only from our own origin, never framed. */
export const pageSecurity = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", "data:"],
    frameAncestors: ["'none'"],
  },
  referrerPolicy: "same-origin",
});

// Direct uploads PUT to R2's endpoint in production, so it joins connect-src.
const storageOrigin = (c: Context) => {
  const endpoint = (c.env as AppEnv["Bindings"]).R2_S3_ENDPOINT;
  try {
    return endpoint ? new URL(endpoint).origin : "'self'";
  } catch {
    return "'self'";
  }
};

/**
 * Headers of a dashboard page that runs the upload island: scripts only with the page's nonce,
 * and connect-src open to the storage endpoint the island PUTs to. `preview` adds directives a
 * page's previews need (e.g. `frameSrc` for PDFs), placed after media-src.
 */
export function uploadPageSecurity(preview: { frameSrc?: string[]; objectSrc?: string[] } = {}) {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: [NONCE],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", "data:", "blob:"],
      mediaSrc: ["'self'"],
      ...preview,
      connectSrc: ["'self'", storageOrigin],
      frameAncestors: ["'none'"],
    },
    referrerPolicy: "same-origin",
  });
}

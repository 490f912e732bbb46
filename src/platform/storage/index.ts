/**
 * Storage shared by every product line: R2 bytes under owner-namespaced keys, presigned PUTs,
 * upload intents with atomic quota reservations, the expiry sweep and media tokens.
 */
export * from "./config";
export * from "./presign";
export * from "./quota";
export * from "./uploads";
export * from "./media";
export * from "./http";
export { localS3Routes } from "./local-s3";

/**
 * Storage shared by every product line: R2 bytes under owner-namespaced keys, presigned PUTs,
 * upload intents with atomic quota reservations, the one upload recipe built on them (reserve,
 * presign or proxy, complete), the expiry sweep and media tokens. Limits come from the feature.
 */
export * from "./config";
export * from "./presign";
export * from "./quota";
export * from "./uploads";
export * from "./recipe";
export * from "./media";
export * from "./http";
export { localS3Routes } from "./local-s3";

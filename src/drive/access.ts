import { eq } from "drizzle-orm";
import type { PartnerApp } from "../connect/apps";
import { findLinkedApp } from "../connect/service";
import type { Db } from "../db";
import { drives } from "../db/schema";
import { ApiError } from "../platform/errors";
import type { OwnerRef, StorageSpace } from "../platform/storage";
import { storageLimitOf } from "../plans/service";

/** Who is acting on a drive: the auth channel and, when sent, the partner app it speaks for. */
export interface DriveCtx {
  driveId: string;
  profileId: string;
  via: "session" | "apiKey";
  /** The linked partner app named by x-gellhub-integration-client-id, if any. */
  app: PartnerApp | null;
}

export const ownerOf = (driveId: string): OwnerRef => ({ kind: "drive", id: driveId });

/** A drive's storage for platform/storage: its bytes, keys under `drive/<driveId>/`, the Drive plan's limit. */
export function driveSpace(db: Db, ctx: { driveId: string; profileId: string }): StorageSpace {
  return { owner: ownerOf(ctx.driveId), keyPrefix: `drive/${ctx.driveId}/`, limitBytes: () => storageLimitOf(db, ctx.profileId, "drive") };
}

/** The drive of a profile; 404 when the profile has no Drive. */
export async function getDrive(db: Db, profileId: string) {
  const drive = await db.select().from(drives).where(eq(drives.profileId, profileId)).get();
  if (!drive) throw new ApiError("not_found", "This account has no Drive");
  return drive;
}

/**
 * The partner app a request speaks for: the header (or body field) `clientId` must name an
 * active Drive app this profile completed embedded connect with; otherwise 403.
 */
export async function resolveIntegration(db: Db, profileId: string, clientId: string | undefined | null): Promise<PartnerApp | null> {
  if (!clientId) return null;
  const app = await findLinkedApp(db, profileId, clientId);
  if (!app || app.productType !== "drive") {
    throw new ApiError("integration_not_linked", "This account is not linked to that integration app (complete embedded connect first)");
  }
  return app;
}

/** Writes inside a partner app's tree need that app's header on an API key; the browser only reads them. */
export function assertWritable(ctx: DriveCtx, appId: string | null) {
  if (!appId) return;
  if (ctx.via === "apiKey" && ctx.app?.id === appId) return;
  throw new ApiError(
    "integration_folder_read_only",
    ctx.via === "session"
      ? "Folders of integration apps are read-only in the browser"
      : "This folder belongs to an integration app: send its x-gellhub-integration-client-id to change it",
  );
}

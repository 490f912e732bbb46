import { env } from "cloudflare:workers";
import { Browser, callWith, ok, uniqueEmail } from "../factories";
import { V1, v1, type Key } from "../galleries-v1/helpers";

/** What /dev/mailbox.json answers for one message. */
export interface MailboxMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  status: string;
  createdAt: string;
}

/** The local mailbox as the dev server shows it (the local flag on). */
export async function mailbox(): Promise<MailboxMessage[]> {
  return ok<MailboxMessage[]>(callWith({ LOCAL_DEV: "true" }, "/dev/mailbox.json"));
}

/** The newest message to `to` and the accept path (`/share/<token>`) in it. */
export async function latestShare(to: string): Promise<{ message: MailboxMessage; path: string; token: string }> {
  const message = (await mailbox()).find((m) => m.to === to);
  if (!message) throw new Error(`no email to ${to}`);
  const m = /http:\/\/localhost(\/share\/([A-Za-z0-9_-]+))/.exec(message.text);
  if (!m) throw new Error(`no share link in: ${message.text}`);
  return { message, path: m[1]!, token: m[2]! };
}

/** The answer of share_via_email. */
export interface Shared {
  gallery_id: string;
  email: string;
  member: { id: string; email: string; own_team_id: string };
  team_id: string;
  access: string;
  read: boolean;
  write: boolean;
  manage: boolean;
  email_id: string;
  email_status: string;
  link_expires_at: string;
}

export function share(who: Key, galleryId: string, body: unknown) {
  return v1("PUT", `${V1}/${galleryId}/share_via_email`, who, body);
}

/** Shares `galleryId` with a fresh (or the given) email and returns the answer and the mailed link. */
export async function shareWith(who: Key, galleryId: string, opts: { email?: string; manage?: boolean } = {}) {
  const email = opts.email ?? uniqueEmail("invitee");
  const shared = await ok<Shared>(share(who, galleryId, { email, manage: opts.manage ?? false }));
  return { email, shared, ...(await latestShare(email)) };
}

/** A fresh browser that registers through the accept page and accepts; returns it and the final response. */
export async function registerAndAccept(path: string, displayName = "Ivy Invitee", password = "correct horse battery") {
  const browser = new Browser();
  const res = await browser.postForm(path, { action: "register", displayName, password });
  return { browser, res };
}

/** The link row behind a raw token, read straight from D1. */
export async function linkRow(galleryId: string) {
  return env.DB.prepare("SELECT * FROM gallery_share_links WHERE collection_id = ? ORDER BY created_at DESC").bind(galleryId).all<Record<string, unknown>>();
}

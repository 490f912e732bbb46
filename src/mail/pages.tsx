import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../env";
import { listAllEmails, listEmailsOf } from "../platform/email";
import { isLocalDev } from "../platform/local";
import { Layout } from "../ui/layout";
import { pageSecurity } from "../ui/security";
import { pageUser, requirePageSession } from "../ui/session";
import { EmailsPage, MailboxPage } from "./views";

/** The account's Emails page, and the local-only mailbox (/dev/mailbox, /dev/mailbox.json). */
export const mailPages = new Hono<AppEnv>();

mailPages.use("/dashboard/emails", pageSecurity, requirePageSession);
mailPages.get("/dashboard/emails", async (c) => {
  const user = pageUser(c);
  return c.html(
    <Layout title="Emails" user={user}>
      <EmailsPage emails={await listEmailsOf(c.var.db, user.id)} />
    </Layout>,
  );
});

// Exists only under the local flag: anywhere else it is the app's ordinary 404.
mailPages.use("/dev/*", async (c, next) => {
  if (!isLocalDev(c.env)) return c.notFound();
  c.header("Cache-Control", "no-store");
  await next();
});

// The messages' HTML renders in sandboxed srcdoc frames: no scripts anywhere on the page.
mailPages.use(
  "/dev/mailbox",
  secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'self'"], scriptSrc: ["'none'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", "data:"], frameAncestors: ["'none'"] },
    referrerPolicy: "no-referrer",
  }),
);
mailPages.get("/dev/mailbox", async (c) =>
  c.html(
    <Layout title="Local mailbox">
      <MailboxPage emails={await listAllEmails(c.var.db)} />
    </Layout>,
  ),
);

mailPages.get("/dev/mailbox.json", async (c) => {
  const rows = await listAllEmails(c.var.db);
  return c.json(rows.map((e) => ({ id: e.id, to: e.toAddress, subject: e.subject, text: e.text, html: e.html, status: e.status, createdAt: new Date(e.createdAt).toISOString() })));
});

import type { FC } from "hono/jsx";

/** What the share email says: who shared which gallery, at what level, the link and its expiry. */
export interface ShareEmailFacts {
  studio: string;
  gallery: string;
  level: "read" | "write" | "manage";
  link: string;
  expiresAt: number;
  appName: string;
}

/** What each level lets the person do, as the email and the accept page say it. */
export const LEVEL_TEXT = { read: "view", write: "view and edit", manage: "view, edit and manage" } as const;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const ShareEmail: FC<{ f: ShareEmailFacts }> = ({ f }) => (
  <html lang="en">
    <body style="margin:0;padding:24px;background:#f6f7fb;font:15px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#14161f">
      <table role="presentation" width="100%" style="max-width:560px;margin:0 auto;background:#fff;border:1px solid #e4e6ee;border-radius:12px">
        <tr>
          <td style="padding:28px">
            <p style="margin:0 0 8px;color:#5b6172">{f.appName}</p>
            <h1 style="font-size:22px;margin:0 0 16px">
              {f.studio} shared “{f.gallery}” with you
            </h1>
            <p>
              You can {LEVEL_TEXT[f.level]} the gallery <strong>{f.gallery}</strong> of <strong>{f.studio}</strong>.
            </p>
            <p style="margin:24px 0">
              <a href={f.link} style="background:#4f46e5;color:#fff;padding:10px 18px;border-radius:8px;text-decoration:none;font-weight:600">
                Open the gallery
              </a>
            </p>
            <p style="color:#5b6172;font-size:13px">
              Or paste this link into your browser: <br />
              <a href={f.link}>{f.link}</a>
            </p>
            <p style="color:#5b6172;font-size:13px">
              The link works once and until {day(f.expiresAt)}. You will sign in or create an account with this email address.
            </p>
          </td>
        </tr>
      </table>
    </body>
  </html>
);

/** Subject, text part and HTML part (rendered by hono/jsx, every value escaped) of a share email. */
export async function shareEmailContent(f: ShareEmailFacts): Promise<{ subject: string; text: string; html: string }> {
  const subject = `${f.studio} shared “${f.gallery}” with you`;
  const text = [
    `${f.studio} shared the gallery “${f.gallery}” with you on ${f.appName}.`,
    `You can ${LEVEL_TEXT[f.level]} it.`,
    "",
    `Open the gallery: ${f.link}`,
    "",
    `The link works once and until ${day(f.expiresAt)}. You will sign in or create an account with this email address.`,
  ].join("\n");
  const html = "<!doctype html>" + (await (<ShareEmail f={f} />).toString());
  return { subject, text, html };
}

import { Hono, type Context } from "hono";
import type { FC, PropsWithChildren } from "hono/jsx";
import type { AppEnv } from "../env";
import { getStudio } from "../gallery/service";
import { renderErrorPage } from "../ui/error";
import { formText, runFormAction, type FormBody } from "../ui/form";
import { pageSecurity } from "../ui/security";
import { requirePageSession } from "../ui/session";
import { favoritesByClient, galleryFiles, listActivity } from "./favorites";
import { ShareBody, type ShareInput } from "./schemas";
import { getShare, saveShare, toPublicShare } from "./share";

type Share = ReturnType<typeof toPublicShare>;
type Favorites = Awaited<ReturnType<typeof favoritesByClient>>;
type Activity = Awaited<ReturnType<typeof listActivity>>;

/** A write-only secret (password, PIN): says whether one is set, and offers to remove it when it is. */
const SecretField: FC<PropsWithChildren<{ label: string; hint: string; isSet: boolean; remove: { name: string; text: string } }>> = ({ label, hint, isSet, remove, children }) => (
  <>
    <label>
      {label} {isSet ? "(set; type a new one to change it)" : hint}
      {children}
    </label>
    {isSet ? (
      <label style="display:flex;gap:8px;align-items:center;font-weight:400">
        <input type="checkbox" name={remove.name} /> {remove.text}
      </label>
    ) : null}
  </>
);

const ACTIVITY_LABEL = { view: "Viewed", favorite: "Favorited", unfavorite: "Removed favorite", download: "Downloaded" } as const;

const COPY_JS = `document.addEventListener("click",function(e){var b=e.target.closest("[data-copy]");if(!b)return;
var t=document.getElementById(b.dataset.copy);navigator.clipboard.writeText(t.value||t.textContent).then(function(){b.textContent="Copied";});});`;

/** The collection page's "Share with your client" section: link settings, clients' favorites, activity. */
export const ShareSection: FC<{ share: Share; images: { id: string; name: string }[]; favorites: Favorites; activity: Activity; nonce?: string }> = ({
  share,
  images,
  favorites,
  activity,
  nonce,
}) => {
  const action = `/dashboard/client-gallery/collections/${share.collectionId}/share`;
  const expiryDate = share.expiresAt ? share.expiresAt.slice(0, 10) : "";
  return (
    <section id="share" aria-label="Share with your client" data-testid="share">
      <h2 style="margin-top:0">Share with your client</h2>
      {share.url && share.enabled ? (
        <div class="row" style="margin-bottom:12px">
          <input id="share-url" aria-label="Share link" readonly value={share.url} style="flex:1;min-width:240px" />
          <button class="btn small secondary" type="button" data-copy="share-url">
            Copy link
          </button>
          <a class="btn small secondary" href={share.url} target="_blank" rel="noopener">
            Open
          </a>
          {share.passwordProtected ? <span class="pill">Password</span> : null}
          {share.pinProtected ? <span class="pill">Download PIN</span> : null}
          {share.expired ? <span class="pill warn">Expired</span> : share.expiresAt ? <span class="pill">Until {expiryDate}</span> : null}
        </div>
      ) : (
        <p class="muted">{share.url ? "The link is switched off." : "Not shared yet. Save the settings below to create a private link."}</p>
      )}
      <form method="post" action={action} class="stack" aria-label="Share settings" style="max-width:560px">
        <label style="display:flex;gap:8px;align-items:center">
          <input type="checkbox" name="enabled" checked={share.url ? share.enabled : true} /> Link on
        </label>
        <SecretField label="Password" hint="(optional)" isSet={share.passwordProtected} remove={{ name: "removePassword", text: "Remove the password" }}>
          <input type="password" name="password" autocomplete="new-password" minlength={4} maxlength={128} />
        </SecretField>
        <label>
          Expires after (optional)
          <input type="date" name="expiresAt" value={expiryDate} />
        </label>
        <label>
          Downloads
          <select name="downloads">
            {(["none", "web", "original"] as const).map((d) => (
              <option value={d} selected={share.downloads === d}>
                {d === "none" ? "Not allowed" : d === "web" ? "Web size" : "Original files"}
              </option>
            ))}
          </select>
        </label>
        <SecretField label="Download PIN" hint="(optional, 4 digits)" isSet={share.pinProtected} remove={{ name: "removePin", text: "Remove the PIN" }}>
          <input type="password" name="pin" inputmode="numeric" pattern="[0-9]{4}" maxlength={4} autocomplete="off" />
        </SecretField>
        <label>
          Cover image
          <select name="coverFileId">
            <option value="">First image</option>
            {images.map((f) => (
              <option value={f.id} selected={share.coverFileId === f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
        <div class="row">
          <button class="btn" type="submit">
            Save sharing
          </button>
        </div>
      </form>
      {share.url ? (
        <form method="post" action={`${action}/regenerate`} style="margin-top:10px">
          <button class="btn small danger" type="submit">
            New link (the old one stops working)
          </button>
        </form>
      ) : null}

      <h3 style="margin-top:22px">Client favorites</h3>
      {favorites.length === 0 ? <p class="muted">No favorites yet.</p> : null}
      {favorites.map((f, i) => (
        <div class="card" style="margin-bottom:10px;padding:12px" data-testid="client-favorites" data-email={f.email}>
          <div class="row" style="justify-content:space-between">
            <strong>{f.email}</strong>
            <span class="muted">{f.files.length} favorite(s)</span>
          </div>
          <textarea id={`fav-names-${i}`} readonly rows={2} aria-label={`File names favorited by ${f.email}`} style="width:100%;margin-top:6px;font:13px monospace">
            {f.files.map((x) => x.name).join(", ")}
          </textarea>
          <button class="btn small secondary" type="button" data-copy={`fav-names-${i}`}>
            Copy file names
          </button>
        </div>
      ))}

      <h3 style="margin-top:22px">Activity</h3>
      {activity.length === 0 ? (
        <p class="muted">Nothing yet.</p>
      ) : (
        <table data-testid="share-activity">
          <thead>
            <tr>
              <th>When (UTC)</th>
              <th>What</th>
              <th>Who</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {activity.map((a) => (
              <tr>
                <td>{a.at.slice(0, 16).replace("T", " ")}</td>
                <td>{ACTIVITY_LABEL[a.kind]}</td>
                <td>{a.email ?? "—"}</td>
                <td>{a.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <script nonce={nonce} dangerouslySetInnerHTML={{ __html: COPY_JS }} />
    </section>
  );
};

/** The section for the gallery page's collection slot (see gallery/slots.ts). */
export async function renderShareSection(c: Context<AppEnv>, studio: { id: string }, collectionId: string) {
  const now = Date.now();
  const db = c.var.db;
  const [share, rows, favorites, activity] = await Promise.all([
    getShare(db, studio.id, collectionId),
    galleryFiles(db, { studioId: studio.id, collectionId }),
    favoritesByClient(db, studio.id, collectionId),
    listActivity(db, studio.id, collectionId, 50),
  ]);
  const images = rows.filter((f) => f.contentType.startsWith("image/")).map((f) => ({ id: f.id, name: f.name }));
  return (
    <ShareSection
      share={toPublicShare(collectionId, share, new URL(c.req.url).origin, now)}
      images={images}
      favorites={favorites}
      activity={activity}
      nonce={c.get("secureHeadersNonce")}
    />
  );
}

/** The dashboard form's fields as the API's input: empty password/PIN keep the current one. */
export function shareFormInput(form: FormBody): ShareInput {
  const secret = (value: string, remove: boolean) => (remove ? null : value ? value : undefined);
  return ShareBody.parse({
    enabled: form.enabled === "on",
    password: secret(formText(form.password), form.removePassword === "on"),
    pin: secret(formText(form.pin), form.removePin === "on"),
    expiresAt: formText(form.expiresAt) || null,
    downloads: formText(form.downloads) || undefined,
    coverFileId: formText(form.coverFileId) || null,
  });
}

/** Form actions of the share section (session, same origin); success goes back to the collection. */
export const shareDashboardRoutes = new Hono<AppEnv>();
const BASE = "/dashboard/client-gallery/collections/:id/share";
shareDashboardRoutes.use(`${BASE}/*`, pageSecurity, requirePageSession);
shareDashboardRoutes.use(BASE, pageSecurity, requirePageSession);

const run = (c: Context<AppEnv>, input: (form: FormBody) => ShareInput) =>
  runFormAction(c, {
    run: async (form) => {
      const id = c.req.param("id")!.slice(0, 64);
      const studio = await getStudio(c.var.db, c.var.auth.profileId);
      await saveShare(c.var.db, studio.id, id, input(form), Date.now(), c.env.PASSWORD_PEPPER);
      return c.redirect(`/dashboard/gallery?collection=${encodeURIComponent(id)}#share`, 303);
    },
    onError: ({ message, status }) => renderErrorPage(c, status, "Sharing not saved", message),
  });

shareDashboardRoutes.post(BASE, (c) => run(c, shareFormInput));
shareDashboardRoutes.post(`${BASE}/regenerate`, (c) => run(c, () => ({ regenerateSlug: true })));

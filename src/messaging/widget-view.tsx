import type { FC } from "hono/jsx";
import { formText, type FormBody } from "../ui/form";
import { ErrorAlert } from "../ui/views";
import { EmbedUpdate, type EmbedSchema } from "./embed";
import { EMBED_TURNS_PER_ACCOUNT_DAY, EMBED_TURNS_PER_EMBED_MINUTE, EMBED_TURNS_PER_IP_MINUTE, EMBED_TURNS_PER_VISITOR_MINUTE, MAX_USER_MESSAGE_CHARS } from "./embed-public";
import type { z } from "@hono/zod-openapi";

export const WIDGET_PATH = "/dashboard/messaging/widget";

type EmbedView = z.infer<typeof EmbedSchema>;

/** What the settings form shows: the saved values, or the submitted ones after a refused save. */
export interface WidgetValues {
  enabled: boolean;
  hosts: string;
  accent: string;
  icon: string;
  showLauncher: boolean;
  greeting: string;
  chatTitle: string;
}

export const valuesOfEmbed = (e: EmbedView): WidgetValues => ({
  enabled: e.embedEnabled,
  hosts: e.embedAllowedOrigins.join("\n"),
  accent: e.embedAccentColor,
  icon: e.embedLauncherIcon,
  showLauncher: e.embedShowLauncher,
  greeting: e.embedGreeting,
  chatTitle: e.chatTitle,
});

export const valuesOfForm = (f: FormBody): WidgetValues => ({
  enabled: f.embedEnabled === "on",
  hosts: formText(f.embedAllowedOrigins),
  accent: formText(f.embedAccentColor),
  icon: formText(f.embedLauncherIcon),
  showLauncher: f.embedShowLauncher === "on",
  greeting: formText(f.embedGreeting),
  chatTitle: formText(f.chatTitle),
});

/** The settings form as the service's update (zod errors re-render the page with 400). */
export function widgetUpdateOf(f: FormBody): EmbedUpdate {
  const v = valuesOfForm(f);
  return EmbedUpdate.parse({
    embedEnabled: v.enabled,
    embedAllowedOrigins: v.hosts
      .split(/\r?\n/)
      .map((s) => s.trim())
      .filter(Boolean),
    embedAccentColor: v.accent.trim(),
    embedLauncherIcon: v.icon,
    embedShowLauncher: v.showLauncher,
    embedGreeting: v.greeting,
    chatTitle: v.chatTitle.trim() || null,
  });
}

export const WIDGET_CSS = `
.copy{display:flex;gap:6px;align-items:flex-start}.copy textarea,.copy input{font:12px/1.4 ui-monospace,monospace;min-height:0}
.wpreview{position:relative;border:1px dashed var(--line);border-radius:8px;min-height:220px;background:#fafbff;padding:12px}
.wpreview .bubble{background:#fff;border:1px solid var(--line);border-radius:10px;padding:8px 12px;max-width:80%;white-space:pre-wrap}
.wpreview .head{color:#fff;border-radius:8px 8px 0 0;padding:6px 10px;font-weight:600;margin-bottom:8px}
.wpreview .launcher{position:absolute;right:12px;bottom:12px;width:48px;height:48px;border-radius:50%;border:0;color:#fff;font-size:22px;display:grid;place-items:center}
`;

/** Copy buttons and the live preview (colour, icon, greeting, title, launcher shown) of the settings form. */
export const WIDGET_JS = `
(() => {
  document.querySelectorAll("[data-copy]").forEach((b) => b.addEventListener("click", async () => {
    const el = document.getElementById(b.dataset.copy); if (!el) return;
    try { await navigator.clipboard.writeText(el.value); } catch { el.select(); document.execCommand("copy"); }
    const t = b.textContent; b.textContent = "Copied"; setTimeout(() => { b.textContent = t; }, 1500);
  }));
  const form = document.getElementById("widget-form"); if (!form) return;
  const $ = (id) => document.getElementById(id);
  const update = () => {
    const accent = form.elements.embedAccentColor.value.trim();
    const ok = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(accent);
    const icon = form.elements.embedLauncherIcon.value.trim();
    $("wp-head").style.background = ok ? accent : "#9ca3af";
    $("wp-launcher").style.background = ok ? accent : "#9ca3af";
    $("wp-launcher").textContent = icon.startsWith("https://") ? "🖼" : icon;
    $("wp-launcher").hidden = !form.elements.embedShowLauncher.checked;
    $("wp-greeting").textContent = form.elements.embedGreeting.value;
    $("wp-title").textContent = form.elements.chatTitle.value.trim() || $("wp-title").dataset.fallback;
    const picker = $("wp-picker"); if (ok && picker && accent.length === 7) picker.value = accent.toLowerCase();
  };
  $("wp-picker")?.addEventListener("input", (e) => { form.elements.embedAccentColor.value = e.target.value; update(); });
  form.addEventListener("input", update); form.addEventListener("change", update);
})();
`;

const Copy: FC<{ id: string; label: string; value: string; rows?: number }> = ({ id, label, value, rows }) => (
  <label>
    {label}
    <div class="copy">
      {rows ? <textarea id={id} readonly rows={rows}>{value}</textarea> : <input id={id} readonly value={value} />}
      <button class="btn secondary small" type="button" data-copy={id}>
        Copy
      </button>
    </div>
  </label>
);

/** The Website widget section: settings, live preview, snippets, share link and embed id rotation. */
export const WidgetSection: FC<{ embed: EmbedView; values: WidgetValues; error?: string | null; nonce?: string }> = ({ embed, values: v, error, nonce }) => {
  const accentOk = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(v.accent.trim());
  const color = accentOk ? v.accent.trim() : "#9ca3af";
  return (
    <section class="card" id="website-widget" aria-label="Website widget">
      <h2>Website widget</h2>
      <ErrorAlert message={error} />
      <div class="two">
        <form id="widget-form" class="stack" method="post" action={WIDGET_PATH} aria-label="Widget settings">
          <label>
            <input type="checkbox" name="embedEnabled" value="on" checked={v.enabled} /> Enabled (needs at least one allowed domain)
          </label>
          <label>
            Allowed domains, one per line (e.g. shop.example.com)
            <textarea name="embedAllowedOrigins" rows={3} style="min-height:0">
              {v.hosts}
            </textarea>
          </label>
          <label>
            Accent colour
            <span class="row">
              <input name="embedAccentColor" value={v.accent} maxlength={7} pattern="#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?" />
              <input type="color" id="wp-picker" aria-label="Pick accent colour" value={accentOk && v.accent.trim().length === 7 ? v.accent.trim().toLowerCase() : "#0d9488"} />
            </span>
          </label>
          <label>
            Launcher icon (one emoji or an https:// image URL) <input name="embedLauncherIcon" value={v.icon} maxlength={2000} />
          </label>
          <label>
            <input type="checkbox" name="embedShowLauncher" value="on" checked={v.showLauncher} /> Show the floating launcher button
          </label>
          <label>
            Greeting <textarea name="embedGreeting" maxlength={300} rows={2} style="min-height:0">{v.greeting}</textarea>
          </label>
          <label>
            Chat title (empty: the default agent's display name) <input name="chatTitle" value={v.chatTitle} maxlength={80} />
          </label>
          <button class="btn" type="submit">
            Save widget settings
          </button>
        </form>
        <div>
          <h3>Preview</h3>
          <div class="wpreview" id="widget-preview" aria-label="Widget preview">
            <div class="head" id="wp-head" style={`background:${color}`}>
              <span id="wp-title" data-fallback={embed.chatTitle}>
                {v.chatTitle || embed.chatTitle}
              </span>
            </div>
            <div class="bubble" id="wp-greeting" data-testid="preview-greeting">
              {v.greeting}
            </div>
            <span class="launcher" id="wp-launcher" style={`background:${color}`} hidden={!v.showLauncher}>
              {v.icon.startsWith("https://") ? "🖼" : v.icon}
            </span>
          </div>
        </div>
      </div>
      <h3>Install</h3>
      <div class="stack">
        <Copy id="widget-code-floating" label="Floating launcher snippet" value={embed.embedCodeFloating} rows={3} />
        <Copy id="widget-code-button" label="Your own button snippet" value={embed.embedCodeButton} rows={3} />
        <Copy id="widget-share-link" label="Share link" value={embed.embedShareLink} />
      </div>
      <h3>Limits and page events</h3>
      <ul class="muted" data-testid="widget-limits">
        <li>
          Messages up to {MAX_USER_MESSAGE_CHARS.toLocaleString("en")} characters; each visitor up to {EMBED_TURNS_PER_VISITOR_MINUTE} messages a minute, each network address{" "}
          {EMBED_TURNS_PER_IP_MINUTE}, the whole widget {EMBED_TURNS_PER_EMBED_MINUTE}.
        </li>
        <li>
          At most {EMBED_TURNS_PER_ACCOUNT_DAY.toLocaleString("en")} widget messages a day (UTC); past that, or without credits, visitors read a polite “not available” message and
          nothing is charged.
        </li>
        <li>
          Your page can listen: <code>GellHubChat.on("open" | "close" | "message" | "handoff", fn)</code>; staff replies from the inbox appear in the open chat within seconds.
        </li>
      </ul>
      <form method="post" action={`${WIDGET_PATH}/rotate`} class="row" style="margin-top:12px" aria-label="Rotate embed id">
        <span class="muted">
          Embed id <code data-testid="embed-id">{embed.embedPublicId}</code>
        </span>
        <button class="btn danger small" type="submit">
          Rotate embed id (old snippets stop working)
        </button>
      </form>
      <script nonce={nonce} dangerouslySetInnerHTML={{ __html: WIDGET_JS }} />
    </section>
  );
};

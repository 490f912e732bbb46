// The merchant-page loader of the guide's snippets: a launcher (unless data-launcher="false")
// and window.GellHubChat; the chat itself runs in an iframe of this server's /chat/emb_… page.
type Handler = (detail?: unknown) => void;

(() => {
  const script = document.currentScript as HTMLScriptElement | null;
  if (!script || (window as unknown as { GellHubChat?: unknown }).GellHubChat) return;
  const embedId = script.dataset.embedId ?? "";
  const base = new URL(script.src).origin;
  const title = script.dataset.chatTitle ?? "Chat";
  const showLauncher = script.dataset.launcher !== "false";
  const handlers: Record<string, Handler[]> = {};
  const emit = (ev: string, d?: unknown) => (handlers[ev] ?? []).forEach((h) => h(d));

  // The visitor id lives in the merchant page's storage: frames' own storage is partitioned.
  const key = `gellhub:visitor:${embedId}`;
  let visitor = "";
  try {
    visitor = localStorage.getItem(key) ?? "";
  } catch {}
  if (!/^[0-9A-Za-z_-]{8,128}$/.test(visitor)) {
    visitor = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
    try {
      localStorage.setItem(key, visitor);
    } catch {}
  }

  let frame: HTMLIFrameElement | null = null;
  let launcher: HTMLButtonElement | null = null;
  let isOpen = false;

  let opener: HTMLElement | null = null;
  // Full screen on small viewports, a panel above the launcher otherwise (re-checked on resize).
  const place = () => {
    if (!frame) return;
    frame.style.cssText =
      (window.matchMedia("(max-width: 480px)").matches
        ? "position:fixed;inset:0;width:100%;height:100%;border:0;"
        : "position:fixed;right:20px;bottom:90px;width:370px;height:560px;max-height:calc(100vh - 110px);border:0;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);") +
      `z-index:2147483647;background:#fff;display:${isOpen ? "block" : "none"}`;
  };
  const tell = (type: string) => frame?.contentWindow?.postMessage({ type }, base);

  const open = () => {
    if (isOpen) return;
    opener = document.activeElement as HTMLElement | null;
    isOpen = true;
    if (!frame) {
      frame = document.createElement("iframe");
      frame.src = `${base}/chat/${encodeURIComponent(embedId)}?frame=1&visitor=${visitor}`;
      frame.title = title;
      frame.setAttribute("data-gellhub-chat", "frame");
      document.body.appendChild(frame);
      window.addEventListener("resize", place);
    } else tell("gellhub:open");
    place();
    launcher?.setAttribute("aria-expanded", "true");
    frame.focus();
    emit("open");
  };
  const close = () => {
    if (!isOpen || !frame) return;
    isOpen = false;
    place();
    tell("gellhub:closed");
    launcher?.setAttribute("aria-expanded", "false");
    // Focus goes back where it was: the launcher, or the page's own button.
    (launcher ?? opener)?.focus();
    emit("close");
  };
  const toggle = () => (isOpen ? close() : open());
  const on = (ev: string, fn: Handler) => {
    (handlers[ev] ??= []).push(fn);
  };

  window.addEventListener("message", (e) => {
    if (e.origin !== base || !frame || e.source !== frame.contentWindow) return;
    const d = e.data as { type?: string };
    if (d?.type === "gellhub:close") close();
    else if (d?.type === "gellhub:message") emit("message", d);
    else if (d?.type === "gellhub:handoff") emit("handoff", d);
  });

  (window as unknown as Record<string, unknown>).GellHubChat = { open, close, toggle, on };

  if (!showLauncher) return;
  fetch(`${base}/api/messaging/embed/v1/config?embedId=${encodeURIComponent(embedId)}`)
    .then((r) => (r.ok ? r.json() : null))
    .then((cfg: { accentColor: string; launcherIcon: string; showLauncher: boolean } | null) => {
      if (!cfg) return;
      const b = document.createElement("button");
      b.type = "button";
      b.setAttribute("aria-label", `Open chat: ${title}`);
      b.setAttribute("aria-expanded", "false");
      b.setAttribute("data-gellhub-chat", "launcher");
      b.style.cssText = `position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;cursor:pointer;z-index:2147483646;font-size:26px;line-height:56px;padding:0;color:#fff;background:${cfg.accentColor};box-shadow:0 4px 14px rgba(0,0,0,.25)`;
      const icon = script.dataset.launcherIcon || cfg.launcherIcon;
      if (/^https:\/\//.test(icon)) {
        const img = document.createElement("img");
        img.src = icon;
        img.alt = "";
        img.style.cssText = "width:30px;height:30px;vertical-align:middle";
        b.appendChild(img);
      } else b.textContent = icon;
      b.onclick = toggle;
      launcher = b;
      document.body.appendChild(b);
    })
    .catch(() => {});
})();

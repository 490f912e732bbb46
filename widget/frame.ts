// The chat of the /chat/emb_… page (full page, or the widget's iframe): greeting, history,
// streamed answers with a typing indicator, the skills' ui (slot lists, product cards, buttons,
// sandboxed iframes), handoff, and staff replies fetched while the chat is open. Everything is
// built with DOM APIs from text: nothing from an answer ever becomes HTML.
import type { Answer, FrameEvent, Message, SkillUi, Status } from "./types";

(() => {
  const $ = (id: string) => document.getElementById(id)!;
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  };
  const root = $("gellhub-chat");
  const embedId = root.dataset.embedId!;
  const inFrame = root.dataset.frame === "1";
  const log = $("gh-log");
  const form = $("gh-form") as HTMLFormElement;
  const input = $("gh-input") as HTMLTextAreaElement;
  const sendButton = form.querySelector("button")!;
  const VISITOR = /^[0-9A-Za-z_-]{8,128}$/;

  // The loader hands the visitor id over (the frame's own storage is partitioned); the full page keeps its own.
  let visitor = new URLSearchParams(location.search).get("visitor") ?? "";
  if (!VISITOR.test(visitor)) {
    const key = `gellhub:visitor:${embedId}`;
    try {
      visitor = localStorage.getItem(key) ?? "";
    } catch {}
    if (!VISITOR.test(visitor)) {
      visitor = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
      try {
        localStorage.setItem(key, visitor);
      } catch {}
    }
  }

  const parentOrigin = location.ancestorOrigins?.[0] ?? "*";
  const post = (data: FrameEvent) => {
    if (inFrame) window.parent.postMessage(data, parentOrigin);
  };

  const https = (url: string) => {
    try {
      return new URL(url).protocol === "https:";
    } catch {
      return false;
    }
  };
  const newTab = (a: HTMLAnchorElement, url: string) => {
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  };

  /** Text with its http(s) URLs made into links, and nothing else. */
  const fillText = (p: HTMLElement, text: string) => {
    p.textContent = "";
    for (const part of text.split(/(https?:\/\/[^\s<>"]+)/g)) {
      if (/^https?:\/\//.test(part)) p.appendChild(newTab(el("a", "", part), part));
      else if (part) p.appendChild(document.createTextNode(part));
    }
  };

  const scroll = () => (log.scrollTop = log.scrollHeight);

  /** A choice the visitor makes by pressing: sent as their next message, the group's buttons then spent. */
  const choice = (group: HTMLElement, label: string, say: string, sub?: string) => {
    const b = el("button", "gh-choice", label);
    b.type = "button";
    b.dir = "auto";
    if (sub) b.appendChild(el("small", "", sub));
    b.onclick = () => {
      if (busy) return;
      group.querySelectorAll("button").forEach((x) => (x.disabled = true));
      void send(say);
    };
    group.appendChild(b);
  };

  const renderUi = (ui: SkillUi) => {
    const box = el("div", `gh-ui gh-${ui.type}`);
    box.setAttribute("role", "group");
    if (ui.type === "slot_list") {
      box.setAttribute("aria-label", "Choose an option");
      for (const s of ui.items) choice(box, s.title, s.title, s.subtitle);
    } else if (ui.type === "buttons") {
      box.setAttribute("aria-label", "Options");
      for (const b of ui.items) {
        if (b.action === "message") choice(box, b.label, b.message ?? b.label);
        else if (https(b.url)) box.appendChild(newTab(el("a", "gh-choice", b.label), b.url));
      }
    } else if (ui.type === "product_cards") {
      box.setAttribute("aria-label", "Products");
      for (const p of ui.items) {
        const card = p.actionUrl && https(p.actionUrl) ? newTab(el("a", "gh-card"), p.actionUrl) : el("div", "gh-card");
        if (p.imageUrl && https(p.imageUrl)) {
          const img = el("img");
          img.src = p.imageUrl;
          img.alt = "";
          img.loading = "lazy";
          img.referrerPolicy = "no-referrer";
          card.appendChild(img);
        }
        card.appendChild(el("strong", "", p.title)).dir = "auto";
        if (p.price) card.appendChild(el("span", "", p.price)).dir = "auto";
        box.appendChild(card);
      }
    } else if (ui.type === "iframe" && https(ui.url)) {
      const f = el("iframe");
      f.src = ui.url;
      f.title = "Form";
      f.height = String(ui.height ?? 400);
      f.setAttribute("sandbox", "allow-scripts allow-forms allow-popups allow-same-origin");
      f.referrerPolicy = "no-referrer";
      box.appendChild(f);
    }
    log.appendChild(box);
  };

  /** One message bubble, and its ui under it. */
  const add = (m: Message) => {
    if (!m.content && !m.ui) return;
    if (m.content) {
      const p = el("p", `gh-msg gh-${m.role}`);
      p.dir = "auto";
      fillText(p, m.content);
      if (m.role === "staff") p.prepend(el("b", "gh-author", m.authorName || "Team"));
      log.appendChild(p);
    }
    if (m.ui) renderUi(m.ui);
    scroll();
  };

  // Messages shown here before the server gave them an id; history adopts them instead of adding them twice.
  const seen = new Set<string>();
  const pending: Message[] = [];
  const show = (m: Message) => {
    add(m);
    if (m.content || m.ui) pending.push(m);
  };
  const same = (a: string, b: string) => a.normalize("NFC").trim() === b.normalize("NFC").trim();
  let status: Status = "open";
  const api = (path: string, init?: RequestInit) => fetch(`/api/messaging/embed/v1/${path}`, init);

  const sync = async (quiet = false) => {
    const r = await api(`history?embedId=${encodeURIComponent(embedId)}&visitorId=${visitor}`);
    if (!r.ok) return;
    const h = (await r.json()) as { status?: Status; messages: Message[] };
    status = h.status ?? status;
    for (const m of h.messages) {
      if (!m.id || seen.has(m.id)) continue;
      seen.add(m.id);
      const i = pending.findIndex((p) => p.role === m.role && same(p.content, m.content));
      if (i >= 0) pending.splice(i, 1);
      else if (!busy) {
        add(m);
        if (m.role !== "user" && !quiet) post({ type: "gellhub:message", role: m.role, content: m.content, authorName: m.authorName });
      } else seen.delete(m.id);
    }
  };

  let busy = false;
  const typing = el("p", "gh-msg gh-assistant gh-typing");
  typing.setAttribute("role", "img");
  typing.setAttribute("aria-label", "Typing");
  typing.append(el("i"), el("i"), el("i"));

  const finish = (a: Answer, bubble: HTMLElement | null) => {
    bubble?.remove();
    show(a);
    if (a.status) status = a.status;
    if (a.handoff) {
      status = "handoff_requested";
      if (a.handoff.url && https(a.handoff.url) && !a.content.includes(a.handoff.url)) {
        const link = el("p", "gh-ui");
        link.appendChild(newTab(el("a", "gh-choice", "Contact the team"), a.handoff.url));
        log.appendChild(link);
      }
      post({ type: "gellhub:handoff", embedId, visitorId: visitor, ...(a.handoff.url ? { url: a.handoff.url } : {}) });
    }
    if (a.content) post({ type: "gellhub:message", role: "assistant", content: a.content });
  };

  const problem = (r: Response, body: { error?: string; detail?: unknown }) =>
    r.status === 429
      ? "You are sending messages very quickly. Please wait a moment and try again."
      : body.error === "message_too_long" && typeof body.detail === "string"
        ? body.detail
        : "Sorry, something went wrong. Please try again.";

  /** One turn, streamed: the answer grows in its bubble (the log is busy meanwhile, so screen readers read it once). */
  async function send(content: string) {
    busy = true;
    sendButton.disabled = true;
    show({ role: "user", content });
    log.appendChild(typing);
    scroll();
    let bubble: HTMLElement | null = null;
    try {
      const r = await api("chat", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream" },
        body: JSON.stringify({ embedId, visitorId: visitor, stream: true, messages: [{ role: "user", content }] }),
      });
      if (!r.ok || !r.body) {
        typing.remove();
        add({ role: "assistant", content: problem(r, (await r.json().catch(() => ({}))) as { error?: string }) });
        return;
      }
      log.setAttribute("aria-busy", "true");
      const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = "";
      let text = "";
      for (;;) {
        const { done, value } = await reader.read();
        buf += value ?? "";
        let end: number;
        while ((end = buf.indexOf("\n\n")) >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const event = /^event: ?(.*)$/m.exec(block)?.[1];
          const data = JSON.parse(block.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n") || "{}");
          if (event === "delta") {
            if (!bubble) {
              typing.remove();
              bubble = el("p", "gh-msg gh-assistant");
              bubble.dir = "auto";
              log.appendChild(bubble);
            }
            text += (data as { content: string }).content;
            bubble.textContent = text;
            scroll();
          } else if (event === "done") {
            typing.remove();
            finish(data as Answer, bubble);
          } else if (event === "error") {
            typing.remove();
            bubble?.remove();
            add({ role: "assistant", content: "Sorry, something went wrong. Please try again." });
          }
        }
        if (done) break;
      }
    } catch {
      typing.remove();
      add({ role: "assistant", content: "Sorry, something went wrong. Please try again." });
    } finally {
      typing.remove();
      log.removeAttribute("aria-busy");
      busy = false;
      sendButton.disabled = false;
    }
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const content = input.value.trim();
    if (!content || busy) return;
    input.value = "";
    void send(content);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape") post({ type: "gellhub:close" });
  });
  $("gh-close")?.addEventListener("click", () => post({ type: "gellhub:close" }));

  // Staff replies without a reload: poll the history while the chat is open and on screen, every
  // 3 s while a person is (or is being asked to be) in the conversation, every 15 s otherwise.
  // The loader creates the frame when the chat opens, then says when it closes and reopens.
  let open = true;
  window.addEventListener("message", (e) => {
    if (e.source !== window.parent || !inFrame) return;
    const t = (e.data as { type?: string } | null)?.type;
    if (t === "gellhub:open") {
      open = true;
      input.focus();
    } else if (t === "gellhub:closed") open = false;
  });
  let last = Date.now();
  setInterval(() => {
    const wait = status === "handoff_requested" || status === "human" ? 3000 : 15000;
    if (!open || busy || document.hidden || Date.now() - last < wait) return;
    last = Date.now();
    void sync().catch(() => {});
  }, 1000);

  void sync(true).catch(() => {});
  input.focus();
})();

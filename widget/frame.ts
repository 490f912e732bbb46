// The chat of the /chat/emb_… page (full page, or the widget's iframe): greeting, history,
// typing indicator, safe text (escaped, links clickable), aria-live, Esc closes the frame.
interface Msg {
  role: "user" | "assistant";
  content: string;
}

(() => {
  const root = document.getElementById("gellhub-chat") as HTMLElement;
  const embedId = root.dataset.embedId!;
  const inFrame = root.dataset.frame === "1";
  const log = document.getElementById("gh-log") as HTMLElement;
  const form = document.getElementById("gh-form") as HTMLFormElement;
  const input = document.getElementById("gh-input") as HTMLTextAreaElement;
  const params = new URLSearchParams(location.search);
  let visitor = params.get("visitor") ?? "";
  if (!/^[0-9A-Za-z_-]{8,128}$/.test(visitor)) {
    try {
      visitor = localStorage.getItem(`gellhub:visitor:${embedId}`) ?? "";
    } catch {}
    if (!/^[0-9A-Za-z_-]{8,128}$/.test(visitor)) {
      visitor = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
      try {
        localStorage.setItem(`gellhub:visitor:${embedId}`, visitor);
      } catch {}
    }
  }
  const post = (data: Record<string, unknown>) => {
    if (inFrame) window.parent.postMessage(data, "*");
  };

  const add = (m: Msg) => {
    const p = document.createElement("p");
    p.className = `gh-msg gh-${m.role}`;
    p.dir = "auto";
    // Text only: split on URLs and make those links; nothing from an answer becomes HTML.
    for (const part of m.content.split(/(https?:\/\/[^\s<>"]+)/g)) {
      if (/^https?:\/\//.test(part)) {
        const a = document.createElement("a");
        a.href = part;
        a.textContent = part;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        p.appendChild(a);
      } else if (part) p.appendChild(document.createTextNode(part));
    }
    log.appendChild(p);
    log.scrollTop = log.scrollHeight;
    return p;
  };

  const api = (path: string, init?: RequestInit) => fetch(`/api/messaging/embed/v1/${path}`, init).then((r) => r.json());

  api(`history?embedId=${encodeURIComponent(embedId)}&visitorId=${visitor}`)
    .then((h: { messages?: Msg[] }) => (h.messages ?? []).forEach(add))
    .catch(() => {});

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const content = input.value.trim();
    if (!content) return;
    input.value = "";
    add({ role: "user", content });
    const typing = document.createElement("p");
    typing.className = "gh-msg gh-assistant gh-typing";
    typing.textContent = "…";
    typing.setAttribute("aria-label", "Typing");
    log.appendChild(typing);
    api("chat", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ embedId, visitorId: visitor, messages: [{ role: "user", content }] }),
    })
      .then((a: { content?: string; detail?: string; handoff?: unknown }) => {
        typing.remove();
        add({ role: "assistant", content: a.content ?? (typeof a.detail === "string" ? a.detail : "Sorry, something went wrong.") });
        post({ type: "gellhub:message", role: "assistant" });
        if (a.handoff) post({ type: "gellhub:handoff", handoff: a.handoff });
      })
      .catch(() => {
        typing.remove();
        add({ role: "assistant", content: "Sorry, something went wrong." });
      });
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
  document.getElementById("gh-close")?.addEventListener("click", () => post({ type: "gellhub:close" }));
  input.focus();
})();

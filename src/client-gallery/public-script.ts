/**
 * The public gallery page's script (inline, with the page's CSP nonce): the full-screen viewer
 * (keyboard, swipe, neighbour preloading, video), favorites under an email, the favorites-only
 * filter and the download PIN prompt. Plain ES2019, no build step; the page works without it
 * (the grid is server-rendered and images lazy-load natively).
 */
export const PUBLIC_GALLERY_SCRIPT = `(() => {
  const $ = (s) => document.querySelector(s);
  const data = JSON.parse($("#gallery-data").textContent);
  const base = "/g/" + data.slug;
  const items = data.items;
  const favs = new Set(data.favorites);
  let email = data.email;
  let pinOk = !data.pinRequired;
  const loadedAt = Date.now();
  const viewer = $("#viewer"), stage = $("#stage"), caption = $("#caption"), vHeart = $("#viewer-heart"), vDl = $("#viewer-download");
  let cur = -1, opener = null;

  const json = (method, path, body) =>
    fetch(base + path, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin" });

  function paint() {
    document.querySelectorAll("[data-heart]").forEach((b) => {
      const on = favs.has(b.dataset.heart);
      b.setAttribute("aria-pressed", String(on));
      b.closest("li") && b.closest("li").classList.toggle("fav", on);
    });
    if (cur >= 0) vHeart.setAttribute("aria-pressed", String(favs.has(items[cur].id)));
    $("#fav-count").textContent = String(favs.size);
    $("#who").textContent = email ? "Favorites of " + email : "";
    const dlf = $("#download-favorites");
    if (dlf) dlf.hidden = !email || favs.size === 0;
  }

  function show(i) {
    if (Date.now() - loadedAt > 50 * 60 * 1000) return location.reload();
    cur = (i + items.length) % items.length;
    const it = items[cur];
    stage.replaceChildren();
    let el;
    if (it.kind === "video") {
      el = document.createElement("video");
      el.controls = true; el.playsInline = true; el.preload = "metadata"; el.src = it.src;
    } else if (it.kind === "image") {
      el = document.createElement("img");
      el.src = it.web; el.alt = it.name;
    } else {
      el = document.createElement("p");
      el.className = "other"; el.textContent = it.name;
    }
    stage.append(el);
    caption.textContent = it.name + " · " + (cur + 1) + " / " + items.length;
    if (vDl) vDl.href = base + "/files/" + encodeURIComponent(it.id) + "/download";
    for (const d of [1, -1]) {
      const n = items[(cur + d + items.length) % items.length];
      if (n.kind === "image") new Image().src = n.web;
    }
    if (viewer.hidden) {
      viewer.hidden = false;
      document.body.classList.add("noscroll");
      $("#viewer-close").focus();
    }
    paint();
  }

  function close() {
    viewer.hidden = true;
    stage.replaceChildren();
    cur = -1;
    document.body.classList.remove("noscroll");
    if (opener) opener.focus();
  }

  const emailForm = $("#email-form");
  let afterEmail = null;
  function askEmail(then) {
    afterEmail = then;
    emailForm.hidden = false;
    emailForm.querySelector("input").focus();
  }
  emailForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const msg = emailForm.querySelector(".msg");
    const r = await json("POST", "/email", { email: emailForm.querySelector("input").value });
    if (!r.ok) { msg.textContent = "Please enter a valid email address."; return; }
    const body = await r.json();
    email = body.email;
    favs.clear();
    body.favorites.forEach((id) => favs.add(id));
    msg.textContent = "";
    emailForm.hidden = true;
    paint();
    if (afterEmail) { const f = afterEmail; afterEmail = null; f(); }
  });
  $("#change-email").addEventListener("click", () => askEmail(null));

  async function toggle(id) {
    if (!email) return askEmail(() => toggle(id));
    const on = !favs.has(id);
    const r = await json("PUT", "/favorites/" + encodeURIComponent(id), { favorite: on });
    if (r.ok) { on ? favs.add(id) : favs.delete(id); paint(); }
  }

  const pinForm = $("#pin-form");
  let pendingHref = null;
  if (pinForm) pinForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const msg = pinForm.querySelector(".msg");
    const r = await json("POST", "/pin", { pin: pinForm.querySelector("input").value });
    if (!r.ok) { msg.textContent = r.status === 429 ? "Too many attempts; try again later." : "That PIN is not right."; return; }
    pinOk = true;
    pinForm.hidden = true;
    msg.textContent = "";
    if (pendingHref) { location.href = pendingHref; pendingHref = null; }
  });

  document.addEventListener("click", (e) => {
    const t = e.target.closest("[data-open],[data-heart],[data-download],#viewer-prev,#viewer-next,#viewer-close,#viewer-heart,#only-favs");
    if (!t) return;
    if (t.dataset.open !== undefined) { e.preventDefault(); opener = t; show(Number(t.dataset.open)); }
    else if (t.dataset.heart !== undefined) toggle(t.dataset.heart);
    else if (t.id === "viewer-heart") toggle(items[cur].id);
    else if (t.id === "viewer-prev") show(cur - 1);
    else if (t.id === "viewer-next") show(cur + 1);
    else if (t.id === "viewer-close") close();
    else if (t.id === "only-favs") {
      const on = t.getAttribute("aria-pressed") !== "true";
      t.setAttribute("aria-pressed", String(on));
      document.body.classList.toggle("only-favs", on);
    } else if (t.dataset.download !== undefined && !pinOk) {
      e.preventDefault();
      if (!viewer.hidden) close();
      pendingHref = t.href;
      pinForm.hidden = false;
      pinForm.querySelector("input").focus();
    }
  });

  document.addEventListener("keydown", (e) => {
    if (viewer.hidden) return;
    if (e.key === "Escape") close();
    else if (e.key === "ArrowRight") show(cur + 1);
    else if (e.key === "ArrowLeft") show(cur - 1);
  });

  let x0 = null, y0 = 0;
  stage.addEventListener("touchstart", (e) => { x0 = e.touches[0].clientX; y0 = e.touches[0].clientY; }, { passive: true });
  stage.addEventListener("touchend", (e) => {
    if (x0 === null) return;
    const dx = e.changedTouches[0].clientX - x0, dy = e.changedTouches[0].clientY - y0;
    x0 = null;
    if (Math.abs(dx) > 50 && Math.abs(dx) > Math.abs(dy)) show(cur + (dx < 0 ? 1 : -1));
  });
  paint();
})();`;

// Runs once per page (app/chat.py puts it in the page's head): [n] links open their source in the
// panel; the chat's copy buttons copy the answer as plain text (sources and quotes included) instead
// of the message's HTML.
(() => {
  if (window.aqaInstalled) return;
  window.aqaInstalled = true;
  // A click that comes before the panel shows its card, or just before the panel is drawn again
  // (the answer's last update), is kept for a moment and carried out on the new card.
  let wanted = null;
  function openSource(id) {
    const card = document.getElementById(id);
    if (!card || !card.classList.contains("aqa-source")) {
      wanted = { id: id, node: null, until: Date.now() + 5000 };
      return false;
    }
    wanted = { id: id, node: card, until: Date.now() + 2000 };
    const turn = card.closest(".aqa-turn");
    document.querySelectorAll(".aqa-turn").forEach((t) => { t.hidden = t !== turn; });
    document.querySelectorAll(".aqa-source").forEach((s) => {
      if (s !== card) { s.open = false; s.classList.remove("aqa-active"); }
    });
    card.open = true;
    card.classList.add("aqa-active");
    card.scrollIntoView({ block: "nearest" });
    const summary = card.querySelector("summary");
    if (summary) summary.focus({ preventScroll: true });
    return true;
  }
  window.aqaOpenSource = openSource;
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element && event.target.closest('a[href^="#aqa-src-"]');
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    openSource(link.getAttribute("href").slice(1));
  }, true);
  function plain(text) {
    if (typeof text !== "string" || !text.includes('class="aqa-msg')) return text;
    const doc = new DOMParser().parseFromString(text, "text/html");  // inert: nothing runs or loads
    doc.querySelectorAll("br").forEach((br) => br.replaceWith("\n"));
    doc.querySelectorAll("p, li, div, ul").forEach((el) => el.append("\n"));
    return (doc.body.textContent || "").split("\n").map((l) => l.trim()).join("\n")
      .replace(/\n{3,}/g, "\n\n").trim();
  }
  window.aqaPlainText = plain;
  // The chat labels each message with its raw content; give screen readers the plain text instead.
  function relabel(el) {
    const label = el.getAttribute("aria-label") || "";
    const at = label.indexOf('<div class="aqa-msg');
    if (at >= 0) el.setAttribute("aria-label", label.slice(0, at) + plain(label.slice(at)));
  }
  new MutationObserver((records) => {
    if (wanted && Date.now() < wanted.until) {
      const card = document.getElementById(wanted.id);
      if (card && card !== wanted.node && !card.open) openSource(wanted.id);
    }
    for (const r of records) {
      if (r.type === "attributes") relabel(r.target);
      else for (const n of r.addedNodes) {
        if (n.nodeType !== 1) continue;
        if (n.hasAttribute("aria-label")) relabel(n);
        n.querySelectorAll("[aria-label]").forEach(relabel);
      }
    }
  }).observe(document.documentElement, { subtree: true, childList: true, attributes: true,
                                         attributeFilter: ["aria-label"] });
  const clipboard = navigator.clipboard;
  if (clipboard && clipboard.writeText) {
    const write = clipboard.writeText.bind(clipboard);
    clipboard.writeText = (text) => write(plain(text));
  }
})();

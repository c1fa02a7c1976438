// The board's drag and drop, on the vendored SortableJS (assets/sortable.min.js, MIT).
// A card dropped on another column posts …/work/{id}/drop with its version and the CSRF
// token: the server makes the same move as the card's button, or answers why not. A refused
// move puts the card back where it was and says why on the card. Without JavaScript (or
// without a mouse) the buttons on the cards do the same.
(function () {
  "use strict";
  function wrap() { return document.querySelector("[data-board]"); }
  if (!wrap() || !window.Sortable) return;

  function note(card, text, kind) {
    var old = card.querySelector(".card-note");
    if (old) old.remove();
    var p = document.createElement("p");
    p.className = "card-note " + kind;
    p.setAttribute("role", kind === "refused" ? "alert" : "status");
    p.textContent = text;
    card.appendChild(p);
  }

  function putBack(evt) {
    var ref = evt.from.children[evt.oldIndex] || null;
    evt.from.insertBefore(evt.item, ref);
  }

  // Reads the board again (the same address, so the same filters) and swaps it in, so the
  // counts, badges and versions are the server's.
  function refresh(id, text, kind) {
    return fetch(window.location.href, { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("board");
        var old = document.getElementById("board");
        if (!fresh || !old) return;
        old.replaceWith(fresh);
        start();
        var card = fresh.querySelector('article[data-id="' + id + '"]');
        if (card && text) { note(card, text, kind); card.querySelector("a").focus(); }
      });
  }

  // A block or a send-back needs a reason; ask for it before the move is sent.
  function question(from, to) {
    var f = from.getAttribute("data-column"), t = to.getAttribute("data-column");
    if (t === "status:blocked") return "Why is it blocked? (Say what it waits for.)";
    if (f.indexOf("stage:") === 0 && t.indexOf("stage:") === 0 &&
        Number(to.getAttribute("data-index")) < Number(from.getAttribute("data-index"))) {
      return "Why does it go back to " + to.getAttribute("data-name") + "?";
    }
    return null;
  }

  function dropped(evt) {
    if (evt.from === evt.to) return;
    var card = evt.item;
    var from = evt.from.closest("[data-column]"), to = evt.to.closest("[data-column]");
    var reason = "";
    var ask = question(from, to);
    if (ask) {
      reason = window.prompt(ask);
      if (reason === null) { putBack(evt); return; }
    }
    var body = new URLSearchParams();
    body.set("csrf", wrap().getAttribute("data-csrf"));
    body.set("version", card.getAttribute("data-version"));
    body.set("to", to.getAttribute("data-column"));
    body.set("reason", reason);
    card.setAttribute("aria-busy", "true");
    fetch(card.getAttribute("data-drop"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString()
    }).then(function (r) {
      card.removeAttribute("aria-busy");
      var id = card.getAttribute("data-id");
      if (r.status === 204) return refresh(id, "Moved to " + to.getAttribute("data-name") + ".", "moved");
      return r.text().then(function (why) {
        putBack(evt);
        why = why || "This move was refused.";
        if (r.status === 409) return refresh(id, why, "refused");
        note(card, why, "refused");
      });
    }).catch(function () {
      card.removeAttribute("aria-busy");
      putBack(evt);
      note(card, "keel could not be reached; nothing moved.", "refused");
    });
  }

  function start() {
    var lists = wrap().querySelectorAll("[data-cards]");
    Array.prototype.forEach.call(lists, function (list) {
      window.Sortable.create(list, {
        group: "board",
        sort: false,
        animation: 120,
        draggable: "article",
        filter: "button",
        preventOnFilter: false,
        forceFallback: true,
        fallbackTolerance: 4,
        onEnd: dropped
      });
    });
  }
  start();
})();

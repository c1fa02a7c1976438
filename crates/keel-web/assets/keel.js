// keel's few behaviours; no inline scripts anywhere (the CSP forbids them).
// The question is on the form, or on the button when one form serves many rows.
document.addEventListener("submit", function (e) {
  var by = e.submitter && e.submitter.hasAttribute("data-confirm") ? e.submitter : e.target;
  var msg = by.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) e.preventDefault();
});
// A Print button (the minutes page): the print stylesheet leaves the navigation out.
document.addEventListener("click", function (e) {
  if (e.target.closest && e.target.closest("[data-print]")) window.print();
});
document.addEventListener("click", function (e) {
  var btn = e.target.closest("[data-copy]");
  if (!btn) return;
  var field = document.getElementById(btn.getAttribute("data-copy"));
  if (!field) return;
  field.select();
  if (navigator.clipboard) navigator.clipboard.writeText(field.value);
  btn.textContent = "Copied";
});
// The sales-feedback queue: j/k move between leads, a accepts, r picks a reason.
(function () {
  var queue = document.querySelector("[data-queue]");
  if (!queue) return;
  var rows = function () { return Array.prototype.slice.call(queue.querySelectorAll("[data-row]")); };
  if (rows().length) rows()[0].focus();
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA" || e.ctrlKey || e.metaKey || e.altKey) return;
    var all = rows();
    var row = t.closest ? t.closest("[data-row]") : null;
    var i = row ? all.indexOf(row) : -1;
    if (e.key === "j" || e.key === "ArrowDown") { e.preventDefault(); (all[i + 1] || all[all.length - 1]).focus(); }
    else if (e.key === "k" || e.key === "ArrowUp") { e.preventDefault(); (all[i - 1] || all[0]).focus(); }
    else if (e.key === "a" && row) { e.preventDefault(); row.querySelector("[data-accept]").submit(); }
    else if (e.key === "r" && row) { e.preventDefault(); row.querySelector("[data-reject] select").focus(); }
  });
})();
// Filters apply as they change: a form marked data-live sends itself (a GET, so the address
// keeps the filters); its button stays for browsers without JavaScript.
document.documentElement.classList.add("js");
document.addEventListener("change", function (e) {
  var form = e.target.closest ? e.target.closest("form[data-live]") : null;
  if (form && e.target.type !== "search") form.submit();
});
(function () {
  var timer = null;
  document.addEventListener("input", function (e) {
    var form = e.target.closest ? e.target.closest("form[data-live]") : null;
    if (!form || e.target.type !== "search") return;
    clearTimeout(timer);
    timer = setTimeout(function () { form.submit(); }, 400);
  });
})();
// "/" jumps to the search box from anywhere but a field; Esc leaves it.
document.addEventListener("keydown", function (e) {
  var box = document.querySelector("[data-search]");
  if (!box) return;
  var t = e.target;
  var typing = t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA" || t.isContentEditable;
  if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) { e.preventDefault(); box.focus(); box.select(); }
  else if (e.key === "Escape" && t === box) { box.blur(); }
});
// The bulk people form: "Add another row" copies an empty row in place instead of a round trip.
document.addEventListener("click", function (e) {
  var btn = e.target.closest ? e.target.closest("[data-add-row]") : null;
  if (!btn) return;
  var body = btn.form.querySelector("[data-rows]");
  var last = body && body.querySelector("[data-row]:last-child");
  if (!last) return;
  e.preventDefault();
  var row = last.cloneNode(true);
  var n = body.querySelectorAll("[data-row]").length + 1;
  Array.prototype.forEach.call(row.querySelectorAll("input, select"), function (f) {
    if (f.tagName === "SELECT") f.selectedIndex = 0; else f.value = "";
    f.removeAttribute("aria-invalid");
    f.setAttribute("aria-label", f.getAttribute("aria-label").replace(/\d+$/, String(n)));
  });
  Array.prototype.forEach.call(row.querySelectorAll(".field-error"), function (s) { s.remove(); });
  body.appendChild(row);
  row.querySelector("input").focus();
});

// dpc catalog: search and filters on the index. The page lists every product without this
// script; it only hides the entries that do not match and shows the form it needs.
(function () {
  "use strict";
  var form = document.getElementById("search");
  var list = document.getElementById("products");
  var count = document.getElementById("count");
  if (!form || !list || !count) { return; }
  form.hidden = false;
  var items = Array.prototype.slice.call(list.querySelectorAll("li[data-name]"));
  var fields = ["domain", "tier", "sensitivity", "owner", "tag"];
  function matches(li, query, wanted) {
    for (var i = 0; i < fields.length; i++) {
      var want = wanted[fields[i]];
      if (!want) { continue; }
      var have = fields[i] === "tag"
        ? (li.getAttribute("data-tags") || "").split("\n")
        : [li.getAttribute("data-" + fields[i]) || ""];
      if (have.indexOf(want) < 0) { return false; }
    }
    return !query || (li.getAttribute("data-text") || "").indexOf(query) >= 0;
  }
  function update() {
    var query = document.getElementById("q").value.trim().toLowerCase();
    var wanted = {};
    fields.forEach(function (f) { wanted[f] = document.getElementById("f-" + f).value; });
    var shown = 0;
    items.forEach(function (li) {
      var ok = matches(li, query, wanted);
      li.hidden = !ok;
      if (ok) { shown++; }
    });
    count.textContent = shown + " of " + items.length + " products shown";
  }
  // A search given in the address (index.html?q=fraud&tier=platinum) is applied on load,
  // so a filtered list can be linked to.
  var params = new URLSearchParams(window.location.search);
  if (params.has("q")) { document.getElementById("q").value = params.get("q"); }
  fields.forEach(function (f) {
    var select = document.getElementById("f-" + f);
    if (params.has(f)) { select.value = params.get(f); }
  });
  form.addEventListener("input", update);
  form.addEventListener("submit", function (e) { e.preventDefault(); update(); });
  update();
})();

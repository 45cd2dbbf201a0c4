/* renkei docs: client-side search over search-index.json (search-index.js when opened from files).
   No network beyond the site itself: the index is written beside the pages. */
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "";
  var input = document.getElementById("search");
  var list = document.getElementById("search-results");
  if (!input || !list) return;
  var KINDS = { operation: "操作", schema: "スキーマ", field: "項目", error: "エラー", api: "API" };
  var RANK = { operation: 0, api: 1, schema: 2, error: 2, field: 3 };
  var MAX_RESULTS = 30;
  var entries = null;
  var loading = null;

  function prepare(index) {
    entries = index.entries.map(function (entry) {
      entry.haystack = [entry.title, entry.subtitle, entry.terms, entry.api].join(" ").toLowerCase();
      entry.titleLower = entry.title.toLowerCase();
      return entry;
    });
    return entries;
  }

  function load() {
    if (entries) return Promise.resolve(entries);
    if (loading) return loading;
    if (window.renkeiSearchIndex) return Promise.resolve(prepare(window.renkeiSearchIndex));
    if (location.protocol === "file:") {
      // A page opened from a file may not fetch its neighbours: load the same index as a script.
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = root + "search-index.js";
        script.onload = function () { resolve(prepare(window.renkeiSearchIndex)); };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    } else {
      loading = fetch(root + "search-index.json").then(function (response) {
        if (!response.ok) throw new Error("search index: HTTP " + response.status);
        return response.json();
      }).then(prepare);
    }
    return loading;
  }

  function score(entry, words) {
    for (var i = 0; i < words.length; i++) {
      if (entry.haystack.indexOf(words[i]) < 0) return -1;
    }
    var first = words[0];
    var inTitle = entry.titleLower.indexOf(first);
    return RANK[entry.kind] * 10 + (inTitle === 0 ? 0 : inTitle > 0 ? 3 : 6);
  }

  function search(query) {
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    var hits = [];
    entries.forEach(function (entry, position) {
      var s = score(entry, words);
      if (s >= 0) hits.push({ entry: entry, score: s, position: position });
    });
    hits.sort(function (a, b) { return a.score - b.score || a.position - b.position; });
    return hits.slice(0, MAX_RESULTS).map(function (hit) { return hit.entry; });
  }

  function show(results, query) {
    list.textContent = "";
    if (!query.trim()) { list.hidden = true; return; }
    if (!results.length) {
      var none = document.createElement("li");
      none.className = "none";
      none.textContent = "見つかりません (no match)";
      list.appendChild(none);
    }
    results.forEach(function (entry) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + entry.url;
      link.setAttribute("data-kind", entry.kind);
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = KINDS[entry.kind] || entry.kind;
      var title = document.createElement("span");
      title.className = "title";
      title.textContent = entry.title;
      var sub = document.createElement("span");
      sub.className = "sub";
      sub.textContent = entry.api + (entry.subtitle ? " · " + entry.subtitle : "");
      link.appendChild(kind);
      link.appendChild(title);
      link.appendChild(sub);
      item.appendChild(link);
      list.appendChild(item);
    });
    list.hidden = false;
  }

  function update() {
    var query = input.value;
    load().then(function () { show(search(query), query); }, function (error) {
      list.textContent = "";
      var failed = document.createElement("li");
      failed.className = "none";
      failed.textContent = "検索索引を読めません: " + error;
      list.appendChild(failed);
      list.hidden = false;
    });
  }

  input.addEventListener("input", update);
  input.addEventListener("focus", function () { load(); if (input.value) update(); });
  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var first = list.querySelector("a");
      if (first) { window.location.href = first.href; event.preventDefault(); }
    } else if (event.key === "ArrowDown") {
      var found = links();
      if (found.length) { found[0].focus(); event.preventDefault(); }
    } else if (event.key === "Escape") {
      list.hidden = true;
    }
  });
  list.addEventListener("keydown", function (event) {
    var found = links();
    var at = found.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && at >= 0 && at + 1 < found.length) {
      found[at + 1].focus();
      event.preventDefault();
    } else if (event.key === "ArrowUp") {
      if (at > 0) { found[at - 1].focus(); } else { input.focus(); }
      event.preventDefault();
    } else if (event.key === "Escape") {
      list.hidden = true;
      input.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (!list.contains(event.target) && event.target !== input) list.hidden = true;
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" && document.activeElement !== input) { input.focus(); event.preventDefault(); }
  });
})();

/* ipai search page: Enter submits the query box; associated terms (二级联想词) from
   /api/v1/expand shown as chips that add a term to the query, OR-ed with the word it came from. */
(function () {
  "use strict";

  var form = document.querySelector('[data-testid="search-form"]');
  var box = document.getElementById("q");
  if (box && form) {
    box.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {  // IME composition keeps Enter
        ev.preventDefault();
        if (box.value.trim()) form.submit();
      }
    });
  }

  function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  function quoted(term) { return /[\s:()"]/.test(term) ? '"' + term.replace(/"/g, "") + '"' : term; }

  /* The query with `extra` OR-ed to the first occurrence of `original` (a word or "phrase");
     when the word cannot be found the whole query is OR-ed. */
  function addTerm(query, original, extra) {
    var add = quoted(extra);
    var isPhrase = /\s/.test(original);
    var needle = isPhrase ? '"' + original + '"' : original;
    var latin = /^[0-9A-Za-z\u00c0-\u024f]/.test(original);
    var re = latin && !isPhrase
      ? new RegExp("(^|[^0-9A-Za-z\u00c0-\u024f*])(" + escapeRe(needle) + ")(?![0-9A-Za-z\u00c0-\u024f*])", "i")
      : new RegExp("()(" + escapeRe(needle) + ")");
    var m = re.exec(query);
    if (!m) return "(" + query + ") OR " + add;
    var start = m.index + m[1].length;
    return query.slice(0, start) + "(" + m[2] + " OR " + add + ")" + query.slice(start + m[2].length);
  }
  window.ipaiAddTerm = addTerm;  // for the browser tests

  var box2 = document.getElementById("suggest");
  if (!box2 || !box || !window.fetch) return;
  var terms = JSON.parse(box2.getAttribute("data-terms") || "[]");
  var i18n = JSON.parse(box2.getAttribute("data-i18n") || "{}");
  var api = box2.getAttribute("data-api");
  var body = box2.querySelector(".suggest-body");

  function termSpan(text, lang) {
    var w = document.createElement("span");
    w.setAttribute("data-source", "query");
    w.lang = lang || (/[\u3400-\u9fff]/.test(text) ? "zh" : "en");
    w.textContent = text;
    return w;
  }

  function chip(term, s) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "chip lang-" + s.lang;
    b.setAttribute("data-testid", "chip");
    b.setAttribute("data-term", s.term);
    b.setAttribute("data-for", term);
    b.appendChild(termSpan(s.term, s.lang));  // a search term: shown as written, in its own language
    var src = (s.sources || []).map(function (x) { return i18n[x] || x; }).join(", ");
    b.title = i18n.add + " · " + src + " · " + i18n.count.replace("{n}", s.count) + " · " + (i18n["lang_" + s.lang] || s.lang);
    b.addEventListener("click", function () {
      box.value = addTerm(box.value, term, s.term);
      form.submit();
    });
    return b;
  }

  Promise.all(terms.map(function (term) {
    return fetch(api + "?top=10&term=" + encodeURIComponent(term), {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {suggestions: [], failed: true}; })
      .catch(function () { return {suggestions: [], failed: true}; })
      .then(function (data) { return {term: term, data: data}; });
  })).then(function (all) {
    body.textContent = "";
    var any = false;
    all.forEach(function (row) {
      var sugg = (row.data.suggestions || []);
      if (!sugg.length) return;
      any = true;
      var line = document.createElement("div");
      line.className = "suggest-row";
      line.setAttribute("data-testid", "suggest-row");
      var head = termSpan(row.term);
      head.className = "for";
      line.appendChild(head);
      sugg.forEach(function (s) { line.appendChild(chip(row.term, s)); });
      body.appendChild(line);
    });
    if (!any) {
      var p = document.createElement("span");
      p.className = "muted";
      p.textContent = all.some(function (r) { return r.data.failed; }) ? i18n.failed : i18n.none;
      body.appendChild(p);
    }
    box2.setAttribute("data-loaded", "1");
  });
})();

/* Results page: "select all on this page" for the export of the selected hits; exporting with
   nothing ticked says so instead of sending an empty selection; on a small screen the facets start
   folded above the list (they stay open beside it on a wide one). */
(function () {
  "use strict";
  var all = document.getElementById("select-all");
  var picks = document.querySelectorAll('input[data-testid="pick"]');
  if (all) {
    all.addEventListener("change", function () {
      for (var i = 0; i < picks.length; i++) picks[i].checked = all.checked;
    });
  }
  var sel = document.getElementById("export-selected");
  if (sel) {
    sel.addEventListener("submit", function (ev) {
      var any = false;
      for (var i = 0; i < picks.length; i++) any = any || picks[i].checked;
      if (!any) { ev.preventDefault(); window.alert(sel.getAttribute("data-none")); }
    });
  }
  var panel = document.querySelector('[data-testid="facet-panel"]');
  if (panel && window.matchMedia && window.matchMedia("(max-width: 800px)").matches) panel.removeAttribute("open");
})();

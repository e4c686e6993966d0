// corpusflow explorer: plain JavaScript, no library, no build step, no network.
// Every string from the corpus or the tables is inserted with textContent (never as markup).
"use strict";
(function () {
  var DATA = JSON.parse(document.getElementById("explorer-data").textContent);
  var DATA_HASH = JSON.parse(document.getElementById("explorer-hash").textContent);
  var PAGE_SIZE = 100;
  var rendered = {};
  // The view, term and topic live in the URL's hash (#view=keyness&term=labor), so a link
  // opens the same view; each view registers how to show a term or topic it is given.
  var place = { view: "keyness", term: "", topic: "" };
  var openers = {};
  function remember(key, value) {
    place[key] = value;
    var parts = ["view=" + encodeURIComponent(place.view)];
    if (place.term) parts.push("term=" + encodeURIComponent(place.term));
    if (place.topic) parts.push("topic=" + encodeURIComponent(place.topic));
    history.replaceState(null, "", "#" + parts.join("&"));
  }

  // ---------------------------------------------------------------- helpers
  function el(tag, props, children) {
    var node = document.createElement(tag);
    var key;
    props = props || {};
    for (key in props) {
      if (!Object.prototype.hasOwnProperty.call(props, key)) continue;
      if (key === "text") node.textContent = props[key];
      else if (key === "className") node.className = props[key];
      else if (key === "dataset") Object.assign(node.dataset, props[key]);
      else if (key === "onclick") node.addEventListener("click", props[key]);
      else if (key === "oninput") node.addEventListener("input", props[key]);
      else if (key === "onchange") node.addEventListener("change", props[key]);
      else if (key === "role" || key.indexOf("-") >= 0) node.setAttribute(key, props[key]);
      else node[key] = props[key];
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }
  function num(value) {
    if (value === null || value === undefined || value === "") return NaN;
    if (value === "inf") return Infinity;
    if (value === "-inf") return -Infinity;
    return Number(value);
  }
  function show(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "number") {
      if (Number.isInteger(value)) return String(value);
      var abs = Math.abs(value);
      if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(3);
      return String(Number(value.toPrecision(4)));
    }
    return String(value);
  }
  function squash(text) {
    return text.replace(/\s+/g, " ");
  }
  // A text is a string, or, for a document longer than the page holds (explorer.max_text_chars),
  // {length, pieces: [[start, passage], ...]}: its passages in order, the rest left out.
  function pieceAt(text, offset) {  // the last piece starting at or before offset, or -1
    var lo = 0, hi = text.pieces.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (text.pieces[mid][0] <= offset) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }
  function held(text, start, end) {  // whether text[start:end] is on the page
    if (typeof text === "string") return true;
    var p = pieceAt(text, start);
    return p >= 0 && end <= text.pieces[p][0] + text.pieces[p][1].length;
  }
  function gap(chars) {
    return "\n[… " + chars + " characters not on this page …]\n";
  }
  function slice(text, start, end) {  // text[start:end], a marker where passages are left out
    if (typeof text === "string") return text.slice(start, end);
    if (end === undefined || end > text.length) end = text.length;
    var out = "", position = start, p = Math.max(0, pieceAt(text, start));
    for (; p < text.pieces.length && position < end; p++) {
      var from = text.pieces[p][0], passage = text.pieces[p][1], to = from + passage.length;
      if (to <= position) continue;
      if (from >= end) break;
      if (from > position) out += gap(from - position);
      out += passage.slice(Math.max(position, from) - from, Math.min(end, to) - from);
      position = Math.min(end, to);
    }
    if (position < end) out += gap(end - position);
    return out;
  }
  function compare(a, b, kind) {
    if (kind === "number") {
      var x = num(a), y = num(b);
      if (isNaN(x) && isNaN(y)) return 0;
      if (isNaN(x)) return 1;
      if (isNaN(y)) return -1;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    a = String(a);
    b = String(b);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  function genericTable(columns, rows, className) {
    var head = el("tr", {}, columns.map(function (c) {
      return el("th", { text: c.name, title: c.description || "" });
    }));
    var body = rows.map(function (row) {
      return el("tr", {}, row.map(function (value, i) {
        return el("td", { text: show(value), className: columns[i].kind === "number" ? "num" : "" });
      }));
    });
    return el("table", { className: className || "" }, [el("thead", {}, [head]), el("tbody", {}, body)]);
  }
  function docLabel(docId) {
    var doc = (DATA.meta.docs || {})[docId];
    return doc && doc.title ? docId + " — " + doc.title : docId;
  }

  // ---------------------------------------------------------------- keyness
  function renderKeyness(root) {
    var K = DATA.keyness;
    var kwic = K.kwic;
    var columns = K.columns;
    var names = columns.map(function (c) { return c.name; });
    var termAt = names.indexOf("term");
    var sideAt = names.indexOf("side");
    var formsAt = names.indexOf("forms");
    var tops = {};
    (K.top || []).forEach(function (term) { tops[term] = true; });
    var state = { sort: -1, dir: 1, filter: "", side: "", page: 0 };
    var filterBox = el("input", { type: "search", id: "kw-filter", placeholder: "filter terms (substring)", "aria-label": "filter terms" });
    var sideBox = el("select", { id: "kw-side", "aria-label": "side" }, [el("option", { value: "", text: "both sides" })]);
    if (sideAt >= 0) {
      var sides = [];
      K.rows.forEach(function (row) { if (sides.indexOf(row[sideAt]) < 0) sides.push(row[sideAt]); });
      sides.sort().forEach(function (side) { sideBox.appendChild(el("option", { value: side, text: side })); });
    }
    var count = el("span", { id: "kw-count" });
    var prev = el("button", { type: "button", id: "kw-prev", text: "◀ previous" });
    var next = el("button", { type: "button", id: "kw-next", text: "next ▶" });
    var head = el("tr");
    var body = el("tbody");
    var table = el("table", { id: "kw-table", className: "data" }, [el("thead", {}, [head]), body]);
    var panel = el("div", { id: "kwic" }, [el("p", { className: "hint", text: "Click a term to read every occurrence in context." })]);
    // The sides' documents behind a disclosure: a corpus of many documents lists them all there.
    var unitNote = "Counting unit: " + K.unit + ". Target: " + K.target_docs.length + " document" + (K.target_docs.length === 1 ? "" : "s") +
      "; reference: " + K.reference_docs.length + " document" + (K.reference_docs.length === 1 ? "" : "s") + ".";
    root.appendChild(el("details", { className: "note", id: "kw-unit" }, [el("summary", { text: unitNote }),
      el("p", { text: "Target documents: " + K.target_docs.map(docLabel).join("; ") + "." }),
      el("p", { text: "Reference documents: " + K.reference_docs.map(docLabel).join("; ") + "." })]));
    root.appendChild(el("div", { className: "controls" }, [filterBox, sideBox, count, prev, next]));
    root.appendChild(el("div", { className: "split" }, [el("div", { className: "scroll", tabIndex: 0, role: "region", "aria-label": "keyness table" }, [table]), panel]));

    columns.forEach(function (column, i) {
      var button = el("button", { type: "button", className: "sort", text: column.name, title: column.description || column.name });
      button.dataset.column = column.name;
      button.addEventListener("click", function () {
        state.dir = state.sort === i ? -state.dir : (column.kind === "number" ? -1 : 1);
        state.sort = i;
        state.page = 0;
        draw();
      });
      head.appendChild(el("th", { className: column.kind === "number" ? "num" : "" }, [button]));
    });
    filterBox.addEventListener("input", function () { state.filter = filterBox.value.toLowerCase(); state.page = 0; draw(); });
    sideBox.addEventListener("change", function () { state.side = sideBox.value; state.page = 0; draw(); });
    prev.addEventListener("click", function () { if (state.page > 0) { state.page -= 1; draw(); } });
    next.addEventListener("click", function () { state.page += 1; draw(); });

    function visible() {
      var rows = K.rows.filter(function (row) {
        if (state.side && row[sideAt] !== state.side) return false;
        // a spelling variant finds its folded term: the filter reads the surface forms too
        return !state.filter || String(row[termAt]).toLowerCase().indexOf(state.filter) >= 0 ||
          (formsAt >= 0 && String(row[formsAt]).toLowerCase().indexOf(state.filter) >= 0);
      });
      if (state.sort >= 0) {
        var at = state.sort, kind = columns[at].kind;
        rows = rows.map(function (row, n) { return [row, n]; });
        rows.sort(function (a, b) {
          var x = a[0][at], y = b[0][at];
          if (kind === "number" && isNaN(num(x)) !== isNaN(num(y))) return isNaN(num(x)) ? 1 : -1;
          return compare(x, y, kind) * state.dir || a[1] - b[1];
        });
        rows = rows.map(function (pair) { return pair[0]; });
      }
      return rows;
    }
    function draw() {
      var rows = visible();
      var pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
      state.page = Math.min(state.page, pages - 1);
      var shown = rows.slice(state.page * PAGE_SIZE, (state.page + 1) * PAGE_SIZE);
      count.textContent = rows.length + " of " + K.rows.length + " terms; page " + (state.page + 1) + " of " + pages;
      prev.disabled = state.page === 0;
      next.disabled = state.page >= pages - 1;
      Array.prototype.forEach.call(head.querySelectorAll("button.sort"), function (b, i) {
        b.dataset.sorted = i === state.sort ? (state.dir > 0 ? "ascending" : "descending") : "";
      });
      clear(body);
      shown.forEach(function (row) {
        body.appendChild(el("tr", { dataset: { testid: "term-row", term: String(row[termAt]) } }, row.map(function (value, i) {
          if (i === termAt) {
            var top = tops[String(value)] ? el("span", { className: "top-mark", text: "top", title: "a top keyword (keyness_top.csv)" }) : null;
            return el("td", {}, [el("button", { type: "button", className: "term", text: String(value), onclick: function () { showKwic(String(value)); remember("term", String(value)); } }), top]);
          }
          return el("td", { text: show(value), className: columns[i].kind === "number" ? "num" : "" });
        })));
      });
    }
    function tableCount(term) {
      var row = K.rows.find(function (r) { return String(r[termAt]) === term; });
      if (!row) return null;
      var total = 0, any = false;
      names.forEach(function (name, i) {
        if (/^count_/.test(name) && typeof row[i] === "number") { total += row[i]; any = true; }
      });
      return any ? total : null;
    }
    function kwicEntries(term) {  // the term's lines: where they are and their contexts
      var flat = kwic.lines[term] || [], C = kwic.context_chars, out = [];
      for (var i = 0; i < flat.length; i += 4) {
        var text = kwic.texts[flat[i]], s = flat[i + 1], e = flat[i + 2];
        out.push({ doc: flat[i], start: s, end: e, segment: flat[i + 3], order: out.length,
          left: squash(slice(text, Math.max(0, s - C), s)), kw: slice(text, s, e), right: squash(slice(text, e, e + C)) });
      }
      return out;
    }
    function wordsOf(text) { return text.toLowerCase().match(/[^\s.,;:!?()"“”'‘’\[\]-]+/g) || []; }
    var SORTS = {  // concordance orders: the nth word left of the keyword (counting out) or right
      text: null,
      L1: function (x) { var w = wordsOf(x.left); return w[w.length - 1] || ""; },
      L2: function (x) { var w = wordsOf(x.left); return w[w.length - 2] || ""; },
      R1: function (x) { return wordsOf(x.right)[0] || ""; },
      R2: function (x) { return wordsOf(x.right)[1] || ""; }
    };
    var kwicSort = "text";
    function kwicSummary(term, found, shown) {
      var counted = tableCount(term);
      var summary = found + " occurrence" + (found === 1 ? "" : "s") + " in the token tables";
      if (counted !== null) summary += " (the keyness table counts " + counted + ")";
      summary += "; " + shown + " line" + (shown === 1 ? "" : "s") + " shown";
      if (kwic.lines_per_term > 0) {
        summary += " (at most " + kwic.lines_per_term + " per term, evenly spaced through the texts";
        summary += shown < found ? "; " + (found - shown) + " left out)" : ")";
      } else {
        summary += " (no cap)";
      }
      summary += ". Offsets are characters of the cleaned text (results/clean/<doc_id>.txt). Open a line to read it in its text.";
      if (kwic.capped && kwic.capped.length) {
        summary += " " + kwic.capped.join(", ") + (kwic.capped.length === 1 ? " is" : " are") +
          " longer than the page holds (explorer.max_text_chars = " + kwic.max_text_chars +
          " characters): only passages around its lines are on the page, evenly spaced lines when they need more, the others left out.";
      }
      return summary;
    }
    function showKwic(term) {
      var entries = kwicEntries(term);
      var found = kwic.found[term] || 0;
      var body = el("tbody");
      var passage = el("div", { id: "passage", className: "passage-box" });
      var order = el("select", { id: "kwic-sort", "aria-label": "order of the lines" }, [
        ["text", "text order"], ["L1", "1st word left"], ["L2", "2nd word left"], ["R1", "1st word right"], ["R2", "2nd word right"]
      ].map(function (o) { return el("option", { value: o[0], text: o[1], selected: o[0] === kwicSort }); }));
      function drawLines() {
        var key = SORTS[kwicSort], sorted = entries.slice();
        if (key) sorted.sort(function (a, b) { return key(a).localeCompare(key(b)) || a.order - b.order; });
        clear(body);
        sorted.forEach(function (x) {
          var where = (x.segment >= 0 ? kwic.segments[x.doc][x.segment] : kwic.docs[x.doc]) + " · " + x.start + "–" + x.end;
          var open = el("button", { type: "button", className: "kw-open", text: x.kw, "aria-label": x.kw + ": open in " + kwic.docs[x.doc] + " at " + x.start });
          open.addEventListener("click", function () { showPassage(x, passage); });
          body.appendChild(el("tr", { dataset: { testid: "kwic-line", start: String(x.start), doc: kwic.docs[x.doc] } }, [
            el("td", { className: "left" }, [el("span", { text: x.left })]),
            el("td", { className: "kw" }, [open]),
            el("td", { className: "right", text: x.right }),
            el("td", { className: "where", text: where })
          ]));
        });
      }
      order.addEventListener("change", function () { kwicSort = order.value; drawLines(); });
      clear(panel);
      panel.appendChild(el("h2", { id: "kwic-term", text: term }));
      panel.appendChild(el("p", { id: "kwic-summary", text: kwicSummary(term, found, entries.length) }));
      panel.appendChild(kwicStrips(entries));
      panel.appendChild(el("div", { className: "controls" }, [el("label", { htmlFor: "kwic-sort", text: "Sort lines by " }), order]));
      var headRow = el("tr", {}, [["left", "left"], ["kw", "keyword"], ["right", "right"], ["where", "segment · offsets"]].map(function (n) {
        return el("th", { className: n[0], text: n[1] });
      }));
      // the keyword column as wide as the longest keyword (within reason), the contexts share the rest
      var longest = entries.reduce(function (m, x) { return Math.max(m, x.kw.length); }, 7);
      headRow.children[1].style.width = Math.min(24, longest + 2) + "ch";
      panel.appendChild(el("div", { className: "scroll kwic-box", tabIndex: 0, role: "region", "aria-label": "concordance of " + term }, [
        el("table", { id: "kwic-table", className: "data kwic" }, [el("thead", {}, [headRow]), body])
      ]));
      panel.appendChild(passage);
      drawLines();
    }
    function kwicStrips(entries) {  // where the lines are along each text, one tick a line
      var byDoc = {};
      entries.forEach(function (x) { (byDoc[x.doc] = byDoc[x.doc] || []).push(x.start); });
      return el("div", { id: "kwic-strips" }, Object.keys(byDoc).map(function (d) {
        var length = kwic.texts[d].length, name = kwic.docs[d];
        var strip = el("div", { className: "strip", role: "img", dataset: { testid: "kwic-strip", doc: name },
          "aria-label": byDoc[d].length + " lines along " + name }, byDoc[d].map(function (start) {
          var tick = el("div", { className: "tick" });
          tick.style.left = (100 * start / length).toFixed(2) + "%";
          return tick;
        }));
        return el("div", { className: "strip-row" }, [el("span", { className: "strip-label", text: name }), strip]);
      }));
    }
    function showPassage(x, box) {  // the line's whole cleaned text, scrolled to it, marked
      var text = kwic.texts[x.doc];
      var mark = el("mark", { id: "passage-mark", text: slice(text, x.start, x.end) });
      var pre = el("pre", { className: "text" }, [slice(text, 0, x.start), mark, slice(text, x.end)]);
      var scroller = el("div", { className: "scroll passage-text-box", tabIndex: 0, role: "region", "aria-label": "text of " + kwic.docs[x.doc] }, [pre]);
      clear(box);
      box.appendChild(el("h3", { id: "passage-title", text: "In the text: " + docLabel(kwic.docs[x.doc]) + ", characters " + x.start + "–" + x.end }));
      box.appendChild(scroller);
      scroller.scrollTop = Math.max(0, mark.offsetTop - scroller.clientHeight / 2);
      box.scrollIntoView({ block: "nearest" });
    }
    draw();
    openers.term = function (term) {
      if (K.rows.some(function (row) { return String(row[termAt]) === term; })) showKwic(term);
    };
  }

  // ---------------------------------------------------------------- topics
  function renderTopics(root) {
    var T = DATA.topics;
    var termAt = DATA.keyness.columns.map(function (c) { return c.name; }).indexOf("term");
    var keynessTerms = {};  // a topic's term that the keyness table has links to its concordance
    DATA.keyness.rows.forEach(function (row) { keynessTerms[String(row[termAt])] = true; });
    if (!T || !T.topics || !T.topics.length) {
      root.appendChild(el("p", { className: "note", text: (T && T.note) || "No topic model in this run." }));
      return;
    }
    var current = 0;
    var list = el("div", { id: "topic-list", className: "controls" });
    var slider = el("input", { type: "range", id: "lambda", min: "0", max: "1", step: "0.01", value: String(T.lambda) });
    var lambdaText = el("span", { id: "lambda-value" });
    var detail = el("div", { id: "topic-detail" });
    slider.disabled = !T.slider;
    root.appendChild(list);
    root.appendChild(el("div", { className: "controls" }, [
      el("label", { htmlFor: "lambda", text: "relevance λ " }), slider, lambdaText,
      el("span", { className: "hint", text: T.slider ?
        " λ = 1 ranks by p(w|t); lower λ favours terms specific to the topic (relevance = λ log p(w|t) + (1 − λ) log(p(w|t)/p(w)), Sievert & Shirley 2014)." :
        " p(w) is not available (no saved model), so terms are ranked by their weight in the topic." })
    ]));
    // Labels typed here are kept in the browser (like review decisions) and download as the
    // topics.labels_file TSV: each topic named by its three most probable terms.
    var labelsKey = "corpusflow-labels:" + DATA_HASH;
    var labels = {};
    try { labels = JSON.parse(window.localStorage.getItem(labelsKey) || "{}") || {}; } catch (error) { labels = {}; }
    var labelBox = el("input", { type: "text", id: "topic-label", "aria-label": "label of this topic" });
    var labelsLink = el("a", { id: "download-labels", download: "topic_labels.tsv", text: "Download the labels (TSV for topics.labels_file)" });
    var labelsUrl = null;
    root.appendChild(el("div", { className: "controls" }, [el("label", { htmlFor: "topic-label", text: "Your label for this topic: " }), labelBox, labelsLink]));
    root.appendChild(detail);
    function topTerms(topic) {
      return topic.terms.slice().sort(function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : 1); }).slice(0, 3).map(function (t) { return t[0]; });
    }
    function updateLabels() {
      var lines = ["terms\tlabel"];
      T.topics.forEach(function (topic) {
        var label = (labels[String(topic.topic)] || "").replace(/[\t\r\n]+/g, " ").trim();
        if (label) lines.push(topTerms(topic).join(" ") + "\t" + label);
      });
      if (labelsUrl) URL.revokeObjectURL(labelsUrl);
      labelsUrl = URL.createObjectURL(new Blob([lines.join("\n") + "\n"], { type: "text/tab-separated-values" }));
      labelsLink.href = labelsUrl;
      try { window.localStorage.setItem(labelsKey, JSON.stringify(labels)); } catch (error) { /* not kept: download it */ }
    }
    labelBox.addEventListener("input", function () { labels[String(T.topics[current].topic)] = labelBox.value; updateLabels(); });
    T.topics.forEach(function (topic, n) {
      var name = "Topic " + topic.topic + (topic.label ? ": " + topic.label : "") + (topic.flag ? " (flagged: " + topic.flag + ")" : "");
      list.appendChild(el("button", { type: "button", className: "topic", text: name, dataset: { topic: String(topic.topic) }, onclick: function () { current = n; draw(); remember("topic", String(topic.topic)); } }));
    });
    slider.addEventListener("input", draw);
    updateLabels();

    function rowsOf(part, topic) {
      return (part && part.rows[String(topic.topic)]) || [];
    }
    function draw() {
      var topic = T.topics[current];
      var lam = Number(slider.value);
      lambdaText.textContent = lam.toFixed(2);
      Array.prototype.forEach.call(list.children, function (b, i) { b.setAttribute("aria-pressed", i === current ? "true" : "false"); });
      var terms = topic.terms.map(function (t) {
        var lift = t[2] === null ? NaN : t[1] - t[2];
        var relevance = t[2] === null ? t[1] : lam * t[1] + (1 - lam) * lift;
        return { term: t[0], logpwt: t[1], logpw: t[2], lift: lift, relevance: relevance };
      });
      terms.sort(function (a, b) { return b.relevance - a.relevance || (a.term < b.term ? -1 : 1); });
      terms = terms.slice(0, T.n_terms);
      var top = terms.length ? Math.exp(Math.max.apply(null, terms.map(function (t) { return t.logpwt; }))) : 1;
      clear(detail);
      var flags = [["topic id (as in every table)", topic.topic], ["index in the saved gensim model", topic.model_topic],
        ["label", topic.label], ["flag (a failed check: not a finding)", topic.flag === undefined ? undefined : topic.flag || "none"],
        ["recurrence across seeds", topic.recurrence]];
      var nmf = T.nmf.columns.length ? rowsOf(T.nmf, topic) : [];
      nmf.forEach(function (row) {
        T.nmf.columns.forEach(function (c, i) {
          if (c.name !== "topic" && c.name !== "label") flags.push(["NMF " + c.name, row[i]]);
        });
      });
      detail.appendChild(el("h2", { id: "topic-title", text: "Topic " + topic.topic + (topic.label ? ": " + topic.label : "") }));
      labelBox.value = labels[String(topic.topic)] || "";
      labelBox.placeholder = topic.label || "";
      if (topic.flag) {
        detail.appendChild(el("p", { className: "note", id: "topic-flag-note", text: "Flagged (" + topic.flag + "): " +
          "“no recurrence” means the topic does not reappear in enough of the other seeds' fits; “no NMF partner” means NMF on the same segments finds no matching component. " +
          "Either way the topic depends on the seed or on LDA itself: it is not a finding." }));
      }
      detail.appendChild(el("dl", { id: "topic-flags", className: "flags" }, flags.reduce(function (acc, f) {
        if (f[1] === undefined) return acc;
        return acc.concat([el("dt", { text: f[0] }), el("dd", { text: show(f[1]) })]);
      }, [])));
      var termRows = terms.map(function (t, i) {
        var bar = el("div", { className: "bar" });
        bar.style.width = (100 * Math.exp(t.logpwt) / top).toFixed(1) + "%";
        return el("tr", {}, [
          el("td", { className: "num", text: String(i + 1) }),
          el("td", { className: "term-name" }, [keynessTerms[t.term] ? el("button", { type: "button", className: "term",
            text: t.term, "aria-label": t.term + ": its concordance", onclick: function () { showView("keyness"); openers.term(t.term); remember("term", t.term); } }) : t.term]),
          el("td", { className: "barcell" }, [bar]),
          el("td", { className: "num", text: show(Math.exp(t.logpwt)) }),
          el("td", { className: "num", text: isNaN(t.lift) ? "" : show(Math.exp(t.logpw)) }),
          el("td", { className: "num", text: isNaN(t.lift) ? "" : show(Math.exp(t.lift)) }),
          el("td", { className: "num", text: show(t.relevance) })
        ]);
      });
      var termHead = el("tr", {}, ["#", "term", "", "p(w|t)", "p(w)", "lift", "relevance"].map(function (n) { return el("th", { text: n }); }));
      var left = el("div", {}, [el("h3", { text: "Top terms" }),
        el("table", { id: "topic-terms", className: "data" }, [el("thead", {}, [termHead]), el("tbody", {}, termRows)])]);
      var right = el("div", {}, [el("h3", { text: "Prevalence by group" })]);
      var prevalence = rowsOf(T.prevalence, topic);
      var pnames = T.prevalence.columns.map(function (c) { return c.name; });
      var at = { group: pnames.indexOf("group"), mean: pnames.indexOf("mean"), low: pnames.indexOf("low"), high: pnames.indexOf("high") };
      if (prevalence.length && at.mean >= 0 && at.low >= 0 && at.high >= 0) {
        var maxHigh = Math.max.apply(null, prevalence.map(function (r) { return num(r[at.high]); }).filter(isFinite).concat([1e-9]));
        right.appendChild(el("div", { id: "prevalence-chart" }, prevalence.map(function (row) {
          var track = el("div", { className: "track" });
          var interval = el("div", { className: "interval" });
          var mean = el("div", { className: "mean" });
          interval.style.left = (100 * num(row[at.low]) / maxHigh) + "%";
          interval.style.width = (100 * (num(row[at.high]) - num(row[at.low])) / maxHigh) + "%";
          mean.style.left = (100 * num(row[at.mean]) / maxHigh) + "%";
          track.appendChild(interval);
          track.appendChild(mean);
          var groupName = at.group >= 0 ? String(row[at.group]) : "";
          var label = (DATA.meta.groups || {})[groupName] || groupName;
          return el("div", { className: "prev-row" }, [el("span", { className: "prev-label", text: label }), track,
            el("span", { className: "num", text: show(row[at.mean]) + " [" + show(row[at.low]) + ", " + show(row[at.high]) + "]" })]);
        })));
      }
      right.appendChild(el("div", { className: "hscroll", tabIndex: 0, role: "region", "aria-label": "prevalence table" },
        [genericTable(T.prevalence.columns, prevalence, "data small")]));
      right.appendChild(el("h3", { text: "Representative passages" }));
      var anames = T.passages.columns.map(function (c) { return c.name; });
      var textAt = anames.indexOf("text");
      rowsOf(T.passages, topic).forEach(function (row) {
        var info = anames.map(function (n, i) { return i === textAt || n === "label" || n === "topic" ? null : n + " " + show(row[i]); }).filter(Boolean).join(" · ");
        right.appendChild(el("div", { className: "passage" }, [el("p", { className: "passage-info", text: info }),
          el("p", { className: "passage-text", text: textAt >= 0 ? String(row[textAt]) : "" })]));
      });
      detail.appendChild(el("div", { className: "split" }, [left, right]));
    }
    draw();
    openers.topic = function (id) {
      var n = T.topics.findIndex(function (topic) { return String(topic.topic) === id; });
      if (n >= 0) { current = n; draw(); }
    };
  }

  // ---------------------------------------------------------------- cleaning
  // Review decisions are kept in the browser (localStorage) under the page's data hash, so a
  // reload restores them and the page of another run starts afresh.
  var STORE = "corpusflow-review:" + DATA_HASH;
  var review = { decisions: {}, unexported: {} };  // "doc|row" -> {decision, after}; keys not yet exported
  var stored = true;
  try {
    var saved = JSON.parse(window.localStorage.getItem(STORE) || "null");
    if (saved && saved.decisions && saved.unexported) review = saved;
  } catch (error) {
    stored = false;  // storage off (a private window, a policy): decisions live until reload
  }
  function saveReview() {
    try { window.localStorage.setItem(STORE, JSON.stringify(review)); } catch (error) { stored = false; }
  }

  function renderCleaning(root) {
    var C = DATA.cleaning;
    var docs = C.docs;
    var docBox = el("select", { id: "clean-doc", "aria-label": "document" }, docs.map(function (d, i) {
      return el("option", { value: String(i), text: docLabel(d.doc_id) + " (" + d.edits.length + " edits, " + d.review.rows.length + " suspects)" });
    }));
    var ruleBox = el("select", { id: "clean-rule" });
    var previousEdit = el("button", { type: "button", id: "edit-previous", text: "◀ previous edit" });
    var nextEdit = el("button", { type: "button", id: "edit-next", text: "next edit ▶" });
    var textBox = el("pre", { id: "clean-text", className: "text" });
    var resultBox = el("pre", { id: "clean-result", className: "text" });
    var beside = el("input", { type: "checkbox", id: "clean-beside", checked: true });
    var detail = el("div", { id: "edit-detail", className: "detail", "aria-live": "polite" }, [el("p", { className: "hint", text: "Click a highlighted edit to see it." })]);
    var queue = el("div", { id: "review", className: "scroll", tabIndex: 0, role: "region", "aria-label": "review queue" });
    var exportBox = el("textarea", { id: "export", readOnly: true, rows: 6, spellcheck: false, "aria-label": "accepted corrections as TSV rows" });
    var download = el("a", { id: "download", download: "corrections-accepted.tsv", text: "Download the accepted rows (TSV)" });
    var exportNote = el("p", { id: "export-note", className: "hint" });
    var decisionsDownload = el("a", { id: "download-decisions", download: "review_decisions.tsv", text: "Download every decision (TSV)" });
    var pending = el("p", { id: "unexported", className: "note", role: "status" });
    var importBox = el("input", { type: "file", id: "import-decisions", accept: ".tsv,.txt,text/tab-separated-values" });
    var importNote = el("p", { id: "import-note", className: "hint", role: "status" });
    var legend = el("p", { className: "hint", text: "Highlighted: the logged word corrections (choose “all, with layout” for line joins and paragraph breaks, underlined), in the ingested (OCR) text as it was before the edit and, beside it, in the cleaned text as the edit left it (hover, click or step with previous/next edit: before → after, rule, evidence; ‸ marks an insertion on the left, a deletion on the right). Outlined: suspects of the review queue (“show in text” in a queue row moves to its suspect)." });
    root.appendChild(el("div", { className: "controls" }, [docBox, el("label", { htmlFor: "clean-rule", text: " edits of rule " }), ruleBox, previousEdit, nextEdit,
      el("span", {}, [beside, el("label", { htmlFor: "clean-beside", text: " cleaned text beside" })])]));
    root.appendChild(legend);
    var capNote = el("p", { id: "clean-capped", className: "note" });
    var resultPanel = el("div", { id: "clean-result-panel" }, [el("h3", { className: "panel-title", text: "Cleaned text" }),
      el("div", { className: "scroll tall", tabIndex: 0, role: "region", "aria-label": "cleaned text" }, [resultBox])]);
    var texts = el("div", { className: "texts", id: "clean-texts" }, [
      el("div", {}, [el("h3", { className: "panel-title", text: "Ingested (OCR) text" }),
        el("div", { className: "scroll tall", tabIndex: 0, role: "region", "aria-label": "ingested text" }, [textBox])]),
      resultPanel]);
    function placeResult() {  // the cleaned text beside the ingested one, or the ingested alone
      resultPanel.hidden = !beside.checked;
      texts.classList.toggle("single", !beside.checked);
    }
    beside.addEventListener("change", placeResult);
    root.appendChild(capNote);
    root.appendChild(el("div", { className: "split" }, [
      el("div", {}, [texts, detail]),
      el("div", {}, [el("h3", { text: "Review queue" }), queue,
        el("h3", { text: "Accepted corrections" }),
        el("p", { className: "hint", text: "Rows in the format of config/corrections.tsv (" + C.columns.join(", ") +
          "): left and right are the fewest words that bind each row to its one place in the text. Append the rows under the header to config/corrections.tsv and rerun; the page itself writes no file." }),
        exportBox, el("p", {}, [download]), exportNote,
        el("h3", { text: "Review decisions" }),
        el("p", { className: "hint", text: "Every accept and reject, in the format of config/review_decisions.tsv (" + C.decision_columns.join(", ") +
          "): set cleaning.review_decisions to the downloaded file and rerun; rejected suspects are then not queued again. Decisions are kept in this browser for this page until you download them." }),
        pending, el("p", {}, [decisionsDownload]),
        el("p", {}, [el("label", { htmlFor: "import-decisions", text: "Import a decisions file: " }), importBox]), importNote])
    ]));
    docBox.addEventListener("change", function () { drawDoc(); });
    ruleBox.addEventListener("change", function () { stepAt = -1; drawText(); });
    var blobUrl = null;

    function doc() { return docs[Number(docBox.value)]; }
    function isWord(rule) { return C.word_rules.indexOf(rule) >= 0; }
    function reviewField(d, row, name) {
      var i = d.review.columns.findIndex(function (c) { return c.name === name; });
      return i >= 0 ? row[i] : null;
    }
    function drawDoc() {
      var d = doc();
      stepAt = -1;
      var rules = [];
      d.edits.forEach(function (e) { if (rules.indexOf(e[3]) < 0) rules.push(e[3]); });
      rules.sort();
      // Word corrections by default; layout edits (line joins, paragraph breaks) behind "all".
      var words = d.edits.filter(function (e) { return isWord(e[3]); }).length;
      clear(ruleBox).appendChild(el("option", { value: "@words", text: "word corrections (" + words + ")" }));
      ruleBox.appendChild(el("option", { value: "*", text: "all, with layout (" + d.edits.length + ")" }));
      rules.forEach(function (r) {
        var n = d.edits.filter(function (e) { return e[3] === r; }).length;
        ruleBox.appendChild(el("option", { value: r, text: (r || "(layout)") + " (" + n + ")" }));
      });
      drawText();
      drawQueue();
    }
    function isShown(edit) {  // whether the rule filter marks an edit
      var rule = ruleBox.value;
      return rule === "*" || edit[3] === rule || (rule === "@words" && isWord(edit[3]));
    }
    function editMark(edit, index, content) {  // content: the text before (left) or after (right)
      var mark = el("mark", { className: "edit" + (content ? "" : " insert") + (isWord(edit[3]) ? "" : " layout"), text: content || "‸" });
      mark.dataset.edit = String(index);
      return mark;
    }
    function drawText() {
      var d = doc();
      var text = d.text;
      var spans = [];
      d.edits.forEach(function (e, i) {
        if (isShown(e) && held(text, e[0], e[1])) spans.push({ start: e[0], end: e[1], kind: "edit", index: i });
      });
      var shown = d.edits.filter(isShown);
      d.review.rows.forEach(function (row, i) {  // a shown edit wins over a suspect around it
        var span = suspectSpan(d, row, i);
        if (span && !touchesEdit(shown, span)) spans.push(span);
      });
      spans.sort(function (a, b) { return a.start - b.start || a.end - b.end || (a.kind < b.kind ? -1 : 1); });
      var fragment = document.createDocumentFragment();
      var position = 0;
      spans.forEach(function (span) {
        if (span.start < position) return;
        fragment.appendChild(document.createTextNode(slice(text, position, span.start)));
        var before = slice(text, span.start, span.end);
        if (span.kind === "edit") {
          var edit = d.edits[span.index];
          var mark = editMark(edit, span.index, before);
          mark.title = JSON.stringify(before) + " → " + JSON.stringify(edit[2]) + " · " + (edit[3] || "layout") + (edit[4] ? " · " + edit[4] : "");
          fragment.appendChild(mark);
        } else {
          fragment.appendChild(el("mark", { className: "suspect", id: "suspect-" + span.index, text: before, title: "review queue row " + (span.index + 1) }));
        }
        position = span.end;
      });
      fragment.appendChild(document.createTextNode(slice(text, position)));
      clear(textBox).appendChild(fragment);
      drawResult(d);
      capNote.textContent = d.capped ? d.doc_id + " is longer than the page holds (explorer.max_text_chars = " +
        d.capped.max_text_chars + " characters of its " + d.text.length + "): the text shows passages holding " +
        d.capped.held + " of its " + d.capped.spans + " edits and suspects (around an evenly spaced share of them); the others are listed and counted but not drawn." : "";
    }
    function suspectSpan(d, row, i) {  // a queue row's suspect as a span of the ingested text
      var s = reviewField(d, row, "ingest_start"), e = reviewField(d, row, "ingest_end");
      var ok = typeof s === "number" && typeof e === "number" && s >= 0 && e > s && held(d.text, s, e);
      return ok ? { start: s, end: e, kind: "suspect", index: i } : null;
    }
    function touchesEdit(edits, span) {  // edits: the log's, in text order, none overlapping
      var lo = 0, hi = edits.length;
      while (lo < hi) {  // the first edit ending after the span's start
        var mid = (lo + hi) >> 1;
        if (edits[mid][1] > span.start) hi = mid; else lo = mid + 1;
      }
      return lo < edits.length && edits[lo][0] < span.end;  // (an insertion: strictly inside)
    }
    function drawResult(d) {  // the cleaned text: every edit applied, those of the filter marked
      var text = d.text, spans = [];
      d.edits.forEach(function (e, i) {
        if (held(text, e[0], e[1])) spans.push({ start: e[0], end: e[1], kind: "edit", index: i });
      });
      d.review.rows.forEach(function (row, i) {  // suspects no edit touches stand as they were
        var span = suspectSpan(d, row, i);
        if (span && !touchesEdit(d.edits, span)) spans.push(span);
      });
      spans.sort(function (a, b) { return a.start - b.start || a.end - b.end || (a.kind < b.kind ? -1 : 1); });
      var fragment = document.createDocumentFragment(), position = 0;
      spans.forEach(function (span) {
        if (span.start < position) return;
        fragment.appendChild(document.createTextNode(slice(text, position, span.start)));
        if (span.kind === "suspect") {
          fragment.appendChild(el("mark", { className: "suspect", id: "clean-suspect-" + span.index, text: slice(text, span.start, span.end), title: "review queue row " + (span.index + 1) }));
        } else {
          var edit = d.edits[span.index];
          fragment.appendChild(isShown(edit) ? editMark(edit, span.index, edit[2]) : document.createTextNode(edit[2]));
        }
        position = span.end;
      });
      fragment.appendChild(document.createTextNode(slice(text, position)));
      clear(resultBox).appendChild(fragment);
    }
    [textBox, resultBox].forEach(function (box) {
      box.addEventListener("click", function (event) {
        var mark = event.target.closest("mark.edit");
        if (mark) showEdit(mark);
      });
    });
    function unmark() {
      [textBox, resultBox].forEach(function (box) {
        Array.prototype.forEach.call(box.querySelectorAll("mark.focus"), function (m) { m.classList.remove("focus"); });
      });
    }
    var stepAt = -1;  // the edit the previous/next buttons last showed
    function step(by) {
      var marks = textBox.querySelectorAll("mark.edit");
      if (!marks.length) return;
      stepAt = Math.min(marks.length - 1, Math.max(0, stepAt + by));
      showEdit(marks[stepAt]);
      marks[stepAt].scrollIntoView({ block: "center" });
      var twin = resultBox.querySelector('mark[data-edit="' + marks[stepAt].dataset.edit + '"]');
      if (twin && beside.checked) twin.scrollIntoView({ block: "center" });
    }
    previousEdit.addEventListener("click", function () { step(-1); });
    nextEdit.addEventListener("click", function () { step(1); });
    function showEdit(mark) {
      unmark();
      [textBox, resultBox].forEach(function (box) {
        var same = box.querySelector('mark[data-edit="' + mark.dataset.edit + '"]');
        if (same) same.classList.add("focus");
      });
      var d = doc(), number = Number(mark.dataset.edit), edit = d.edits[number];
      var before = slice(d.text, edit[0], edit[1]);
      var items = [
        el("dt", { text: "before" }), el("dd", { className: "mono", text: JSON.stringify(before) }),
        el("dt", { text: "after" }), el("dd", { className: "mono", text: JSON.stringify(edit[2]) }),
        el("dt", { text: "rule" }), el("dd", { text: edit[3] || "(layout)" }),
        el("dt", { text: "evidence" }), el("dd", { text: edit[4] || "" }),
        el("dt", { text: "ingest offsets" }), el("dd", { text: edit[0] + "–" + edit[1] })
      ];
      var place = (d.curated || []).find(function (p) { return p.edit === number; });
      if (place) {
        // The curated row, matched on the text after the automatic edits (it may change one).
        items.push(el("dt", { text: "curated row" }), el("dd", { className: "mono", id: "curated-row",
          text: "line " + place.line + ": " + [place.left, "[" + place.before + " → " + place.after + "]", place.right].filter(Boolean).join(" ") }));
      }
      clear(detail);
      detail.appendChild(el("dl", { className: "flags" }, items));
    }
    function drawQueue() {
      var d = doc();
      var names = d.review.columns.map(function (c) { return c.name; });
      // The queue's context columns (left, token, right) are read as one passage; other
      // candidates follow the first. Columns a queue does not have are left out.
      var shown = ["likelihood", "kind", "token", "candidate", "evidence", "context"].filter(function (n) { return names.indexOf(n) >= 0; });
      var value = function (row, n) {
        var at = function (name) { var i = names.indexOf(name); return i >= 0 && row[i] !== null ? String(row[i]) : ""; };
        if (n === "token" && names.indexOf("left") >= 0) return [at("left"), "[" + at("token") + "]", at("right")].filter(Boolean).join(" ");
        if (n === "candidate" && at("candidate_others")) return at("candidate") + " (also " + at("candidate_others") + ")";
        return show(row[names.indexOf(n)]);
      };
      clear(queue);
      if (!d.review.rows.length) {
        queue.appendChild(el("p", { className: "hint", text: "No suspects in this document." }));
        return;
      }
      var head = el("tr", {}, shown.concat(["decision"]).map(function (n) {
        return el("th", { text: n === "token" && names.indexOf("left") >= 0 ? "token in context" : n });
      }));
      var body = d.review.rows.map(function (row, i) {
        var key = d.doc_id + "|" + i;
        var binding = d.review.bindings[i];
        var label = value(row, "token");
        var cells = shown.map(function (n) {
          return el("td", { text: value(row, n), className: n === "context" || n === "token" ? "context" : "" });
        });
        var locate = el("button", { type: "button", className: "show-suspect", text: "show in text", dataset: { testid: "queue-show" }, "aria-label": "show " + label + " in the text" });
        locate.addEventListener("click", function () { showSuspect(i, true); });
        var where = cells[Math.max(0, shown.indexOf("token"))];
        where.appendChild(el("br"));
        where.appendChild(locate);
        var tr = el("tr", { className: "suspect-row", dataset: { row: String(i), testid: "queue-row" } }, cells);
        var decision = el("td", { className: "decision" });
        if (binding.status === "ok") {
          var state = review.decisions[key] || { decision: "", after: String(reviewField(d, row, "candidate") || "") };
          var input = el("input", { type: "text", className: "correction", value: state.after, "aria-label": "correction of " + label });
          var accept = el("button", { type: "button", className: "accept", text: "accept", dataset: { testid: "decision-accept" }, "aria-label": "accept " + label });
          var reject = el("button", { type: "button", className: "reject", text: "reject", dataset: { testid: "decision-reject" }, "aria-label": "reject " + label });
          var said = el("span", { className: "said" });
          var paint = function () {
            if (state.decision) tr.dataset.decision = state.decision; else delete tr.dataset.decision;
            said.textContent = { accept: "accepted", reject: "rejected" }[state.decision] || "";
            accept.setAttribute("aria-pressed", String(state.decision === "accept"));
            reject.setAttribute("aria-pressed", String(state.decision === "reject"));
          };
          var decide = function (choice) {
            state.decision = choice;
            state.after = input.value;
            review.decisions[key] = state;
            review.unexported[key] = true;
            paint();
            updateExport();
          };
          accept.addEventListener("click", function () { decide("accept"); });
          reject.addEventListener("click", function () { decide("reject"); });
          input.addEventListener("input", function () {
            state.after = input.value;
            review.decisions[key] = state;
            if (state.decision) review.unexported[key] = true;
            updateExport();
          });
          paint();
          [input, accept, reject, said].forEach(function (node) { decision.appendChild(node); });
        } else {
          var why = { curated: "already settled by the curated table", ambiguous: "no context up to " + C.context_words + " words binds it to one place", unplaced: "no place in the text" }[binding.status];
          decision.appendChild(el("span", { className: "hint", text: why }));
        }
        tr.appendChild(decision);
        tr.addEventListener("click", function (event) {
          if (!event.target.closest("input, button")) showSuspect(i, false);
        });
        return tr;
      });
      queue.appendChild(el("table", { id: "review-table", className: "data small" }, [el("thead", {}, [head]), el("tbody", {}, body)]));
    }
    function showSuspect(i, focus) {  // a queue row's suspect, highlighted in both texts
      unmark();
      var target = document.getElementById("suspect-" + i), twin = document.getElementById("clean-suspect-" + i);
      if (!target) {
        clear(detail).appendChild(el("p", { className: "note", text: "Queue row " + (i + 1) + " has no suspect drawn in the text (no place, under an edit, or outside the passages this page holds)." }));
        return;
      }
      [target, twin].forEach(function (mark) { if (mark) { mark.classList.add("focus"); mark.scrollIntoView({ block: "center" }); } });
      clear(detail).appendChild(el("p", { className: "note", text: "Queue row " + (i + 1) + ": its suspect “" + target.textContent + "” is highlighted in the text." }));
      if (focus) { target.tabIndex = -1; target.focus(); }
    }
    function clean(value) {
      return String(value).replace(/[\t\r\n]+/g, " ").trim();
    }
    function updateExport() {
      var lines = [C.columns.join("\t")];
      var problems = 0, places = {};
      docs.forEach(function (d) {
        d.review.rows.forEach(function (row, i) {
          var state = review.decisions[d.doc_id + "|" + i];
          var binding = d.review.bindings[i];
          if (!state || state.decision !== "accept" || binding.status !== "ok") return;
          var after = clean(state.after);
          if (!after || after === binding.before) { problems += 1; return; }
          var place = [d.doc_id, binding.left, binding.before, binding.right].join("\t");
          if (places[place]) return;  // two suspects at one place: the first accepted row wins
          places[place] = true;
          var values = { doc_id: d.doc_id, left: binding.left, before: binding.before, after: after, right: binding.right, note: noteOf(d, row) };
          lines.push(C.columns.map(function (c) { return clean(values[c] || ""); }).join("\t"));
        });
      });
      var tsv = lines.join("\n") + "\n";
      exportBox.value = tsv;
      exportNote.textContent = (lines.length - 1) + " accepted row" + (lines.length === 2 ? "" : "s") +
        (problems ? "; " + problems + " accepted without a correction that differs from the text (left out)" : "") + ".";
      if (blobUrl) URL.revokeObjectURL(blobUrl);
      blobUrl = URL.createObjectURL(new Blob([tsv], { type: "text/tab-separated-values" }));
      download.href = blobUrl;
      updateDecisions();
    }
    function noteOf(d, row) {
      return "explorer review: " + clean(reviewField(d, row, "kind") || "") + ", suggested " + clean(reviewField(d, row, "candidate") || "");
    }
    var decisionsUrl = null;
    function updateDecisions() {  // every decision as config/review_decisions.tsv rows
      var lines = [C.decision_columns.join("\t")];
      docs.forEach(function (d) {
        d.review.rows.forEach(function (row, i) {
          var state = review.decisions[d.doc_id + "|" + i], binding = d.review.bindings[i];
          if (!state || !state.decision || binding.status !== "ok") return;
          var after = state.decision === "accept" ? clean(state.after) : "";
          if (state.decision === "accept" && (!after || after === binding.before)) return;
          var values = { doc_id: d.doc_id, left: binding.left, before: binding.before, after: after, right: binding.right, decision: state.decision, note: noteOf(d, row) };
          lines.push(C.decision_columns.map(function (c) { return clean(values[c] || ""); }).join("\t"));
        });
      });
      if (decisionsUrl) URL.revokeObjectURL(decisionsUrl);
      decisionsUrl = URL.createObjectURL(new Blob([lines.join("\n") + "\n"], { type: "text/tab-separated-values" }));
      decisionsDownload.href = decisionsUrl;
      var waiting = Object.keys(review.unexported).length;
      pending.textContent = (lines.length - 1) + " decision" + (lines.length === 2 ? "" : "s") + " in all; " +
        waiting + " not yet exported" + (stored ? " (kept in this browser)." : " (this browser does not keep them: download before you close the page).");
      pending.dataset.unexported = String(waiting);
      saveReview();
    }
    decisionsDownload.addEventListener("click", function () { review.unexported = {}; updateDecisions(); });
    importBox.addEventListener("change", function () {
      var file = importBox.files[0];
      if (!file) return;
      file.text().then(function (text) {
        var found = importDecisions(text);
        importNote.textContent = file.name + ": " + found.applied + " decision" + (found.applied === 1 ? "" : "s") + " applied" +
          (found.unmatched ? ", " + found.unmatched + " row" + (found.unmatched === 1 ? "" : "s") + " match no suspect of this page" : "") +
          (found.error ? "; " + found.error : "") + ".";
        drawQueue();
        updateExport();
      });
    });
    function importDecisions(text) {  // rows of config/review_decisions.tsv onto the queue
      var rows = text.split(/\r?\n/).filter(function (line) { return line.trim() && line.charAt(0) !== "#"; });
      if (!rows.length || rows[0] !== C.decision_columns.join("\t")) {
        return { applied: 0, unmatched: 0, error: "the header must be " + C.decision_columns.join(" <tab> ") };
      }
      var places = {};
      docs.forEach(function (d) {
        d.review.bindings.forEach(function (b, i) {
          if (b.status === "ok") places[[d.doc_id, b.left, b.before, b.right].join("\t")] = d.doc_id + "|" + i;
        });
      });
      var found = { applied: 0, unmatched: 0 };
      rows.slice(1).forEach(function (line) {
        var cells = line.split("\t"), at = function (name) { return cells[C.decision_columns.indexOf(name)] || ""; };
        var key = places[[at("doc_id"), at("left"), at("before"), at("right")].join("\t")];
        if (!key || (at("decision") !== "accept" && at("decision") !== "reject")) { found.unmatched += 1; return; }
        var previous = review.decisions[key] || {};
        review.decisions[key] = { decision: at("decision"), after: at("decision") === "accept" ? at("after") : previous.after || "" };
        found.applied += 1;
      });
      return found;
    }
    placeResult();
    drawDoc();
    updateExport();
  }

  // ---------------------------------------------------------------- views
  var VIEWS = { keyness: renderKeyness, topics: renderTopics, cleaning: renderCleaning };
  function showView(name) {
    Object.keys(VIEWS).forEach(function (view) {
      var section = document.getElementById("view-" + view);
      var tab = document.getElementById("tab-" + view);
      section.hidden = view !== name;
      tab.setAttribute("aria-selected", view === name ? "true" : "false");
      tab.tabIndex = view === name ? 0 : -1;  // one Tab stop; arrows move between the tabs
      if (view === name && !rendered[view]) {
        rendered[view] = true;
        VIEWS[view](section);
      }
    });
    document.body.dataset.view = name;
    remember("view", name);
  }
  var tabs = Array.prototype.slice.call(document.querySelectorAll("#tabs [role=tab]"));
  tabs.forEach(function (button, n) {
    button.addEventListener("click", function () { showView(button.dataset.view); });
    button.addEventListener("keydown", function (event) {  // the WAI-ARIA tabs pattern
      var to = { ArrowRight: n + 1, ArrowLeft: n - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (to === undefined) return;
      event.preventDefault();
      var target = tabs[(to + tabs.length) % tabs.length];
      showView(target.dataset.view);
      target.focus();
    });
  });
  var docs = DATA.meta.docs || {};
  var titles = [];  // each title once, the first few: the sides' documents are listed in Keyness
  DATA.keyness.target_docs.concat(DATA.keyness.reference_docs).forEach(function (id) {
    var title = (docs[id] && docs[id].title) || id;
    if (titles.indexOf(title) < 0) titles.push(title);
  });
  document.getElementById("title").textContent = "corpusflow explorer — " + titles.slice(0, 4).join(" / ") +
    (titles.length > 4 ? " / … (" + (titles.length - 4) + " more)" : "");
  var linked = {};
  location.hash.slice(1).split("&").forEach(function (pair) {
    var at = pair.indexOf("=");
    if (at > 0) linked[pair.slice(0, at)] = decodeURIComponent(pair.slice(at + 1));
  });
  showView(VIEWS[linked.view] ? linked.view : "keyness");
  if (linked.term) { showView("keyness"); openers.term(linked.term); remember("term", linked.term); }
  if (linked.topic && DATA.topics) { showView("topics"); openers.topic(linked.topic); remember("topic", linked.topic); }
  if (VIEWS[linked.view]) showView(linked.view);
  document.getElementById("status").textContent = DATA.keyness.rows.length + " terms, " +
    ((DATA.topics && DATA.topics.topics) || []).length + " topics, " + DATA.cleaning.docs.length +
    " documents. Offline: this page makes no request.";
  document.body.dataset.ready = String(Math.round(performance.now()));
})();

// dossier's own JavaScript: keyboard shortcuts, jumping between marked words in a document, and the live counts
// of a collection while an ingest runs. Every page works without it; words shown to the user come from the page
// (data-* attributes), so that all interface strings stay in one place on the server.
"use strict";

(function () {
  function typing(event) {
    var target = event.target;
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  // "/" puts the cursor in the search box, from any page.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
    var box = document.querySelector("input[type=search]");
    if (box) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });

  // Document page: previous/next marked word, with buttons and the keys n and p.
  var nav = document.querySelector(".hit-nav");
  if (nav) {
    var marks = Array.prototype.slice.call(document.querySelectorAll("pre.text mark"));
    var label = nav.querySelector("[data-hit-label]");
    var template = label ? label.getAttribute("data-template") : "";
    var current = -1;
    var show = function (index) {
      if (marks.length === 0) return;
      if (current >= 0) marks[current].classList.remove("current");
      current = index;
      var mark = marks[current];
      mark.classList.add("current");
      mark.scrollIntoView({ block: "center" });
      if (label) {
        label.textContent = template.replace("{i}", String(current + 1)).replace("{n}", String(marks.length));
      }
    };
    var next = function () {
      if (current + 1 < marks.length) {
        show(current + 1);
      } else if (nav.getAttribute("data-next-part")) {
        window.location.assign(nav.getAttribute("data-next-part"));
      } else if (marks.length > 0) {
        show(0);
      }
    };
    var previous = function () {
      if (current > 0) {
        show(current - 1);
      } else if (nav.getAttribute("data-previous-part")) {
        window.location.assign(nav.getAttribute("data-previous-part"));
      } else if (marks.length > 0) {
        show(marks.length - 1);
      }
    };
    var nextButton = nav.querySelector("[data-next-hit]");
    var previousButton = nav.querySelector("[data-previous-hit]");
    if (nextButton) nextButton.addEventListener("click", next);
    if (previousButton) previousButton.addEventListener("click", previous);
    document.addEventListener("keydown", function (event) {
      if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === "n") { event.preventDefault(); next(); }
      if (event.key === "p") { event.preventDefault(); previous(); }
    });
    // Arriving from "previous part", start at the last mark; from a link to the hits, at the first.
    if (window.location.hash === "#last-hit" && marks.length > 0) show(marks.length - 1);
    else if (window.location.hash === "#first-hit" && marks.length > 0) show(0);
  }

  // Collection page: follow the counts while documents are being read.
  var live = document.querySelector("[data-live-collection]");
  if (live) {
    var url = live.getAttribute("data-live-collection");
    var rateTemplate = live.getAttribute("data-template-rate") || "";
    var walkTemplate = live.getAttribute("data-template-walk") || "";
    var idleText = live.getAttribute("data-text-idle") || "";
    var unknownFormat = live.getAttribute("data-text-unknown-format") || "";
    // The table of formats, rebuilt from the same answer (text only, never markup).
    var showFormats = function (formats) {
      var body = document.querySelector("table#formats tbody");
      if (!body || !formats) return;
      while (body.firstChild) body.removeChild(body.firstChild);
      formats.forEach(function (format) {
        var row = document.createElement("tr");
        var cells = [format.format === null ? unknownFormat : format.format,
          format.documents, format.ok, format.partial, format.failed, format.pending];
        cells.forEach(function (value, index) {
          var cell = document.createElement("td");
          if (index > 0) cell.className = "num";
          cell.textContent = String(value);
          row.appendChild(cell);
        });
        body.appendChild(row);
      });
    };
    var last = null;
    var poll = function () {
      if (document.visibilityState !== "visible") return;
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (counts) {
          if (!counts) return;
          ["documents", "ok", "partial", "failed", "pending"].forEach(function (name) {
            var cell = document.querySelector("[data-count=" + name + "]");
            if (cell) cell.textContent = String(counts[name]);
          });
          var bar = document.querySelector("progress[data-progress]");
          if (bar) {
            bar.max = Math.max(counts.documents, 1);
            bar.value = counts.documents - counts.pending;
          }
          showFormats(counts.formats);
          var now = Date.now();
          var done = counts.documents - counts.pending;
          if (counts.pending > 0 && last !== null && now > last.time) {
            if (done === last.done && counts.documents > last.documents) {
              // Still walking the folders: files are being found and stored, not read yet.
              live.textContent = walkTemplate.replace("{n}", String(counts.documents));
            } else {
              var rate = ((done - last.done) * 1000) / (now - last.time);
              live.textContent = rateTemplate
                .replace("{rate}", rate.toFixed(1))
                .replace("{pending}", String(counts.pending));
            }
          } else if (counts.pending === 0) {
            live.textContent = idleText;
          }
          last = { time: now, done: done, documents: counts.documents };
        })
        .catch(function () { /* the server went away; try again on the next tick */ });
    };
    poll();
    window.setInterval(poll, 2000);
  }
})();

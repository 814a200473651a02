/* eventsec readiness site: venue filters and item search. No library, no network: the search
   index is a script loaded beside this one (window.EVENTSEC_SEARCH). Without JavaScript every
   venue is shown and the filters stay hidden. */
(function () {
  "use strict";

  function filterVenues() {
    var form = document.getElementById("filters");
    var table = document.getElementById("venues");
    if (!form || !table) {
      return;
    }
    var country = document.getElementById("filter-country");
    var verdict = document.getElementById("filter-verdict");
    var domain = document.getElementById("filter-domain");
    var count = document.getElementById("venue-count");
    var rows = table.tBodies[0].rows;

    function apply() {
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var row = rows[i];
        var domains = (row.getAttribute("data-domains") || "").split(" ");
        var keep =
          (!country.value || row.getAttribute("data-country") === country.value) &&
          (!verdict.value || row.getAttribute("data-verdict") === verdict.value) &&
          (!domain.value || domains.indexOf(domain.value) >= 0);
        row.hidden = !keep;
        if (keep) {
          shown++;
        }
      }
      count.textContent = count
        .getAttribute("data-template")
        .replace("{shown}", String(shown))
        .replace("{total}", String(rows.length));
    }

    form.hidden = false;
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    apply();
  }

  function search() {
    var input = document.getElementById("search");
    var list = document.getElementById("search-results");
    var index = window.EVENTSEC_SEARCH || [];
    var base = document.body.getAttribute("data-lang-root") || "";
    if (!input || !list) {
      return;
    }

    function show() {
      var query = input.value.trim().toLowerCase();
      list.textContent = "";
      if (query.length < 2) {
        return;
      }
      var found = 0;
      for (var i = 0; i < index.length && found < 50; i++) {
        var entry = index[i];
        var text = (entry.id + " " + entry.title + " " + entry.owner).toLowerCase();
        if (text.indexOf(query) < 0) {
          continue;
        }
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = base + entry.href;
        link.textContent = entry.id + " — " + entry.title + " (" + entry.owner + ")";
        item.appendChild(link);
        var venue = document.createElement("span");
        venue.className = "muted";
        venue.textContent = " · " + entry.venue;
        item.appendChild(venue);
        list.appendChild(item);
        found++;
      }
      if (!found) {
        var none = document.createElement("li");
        none.textContent = input.getAttribute("data-none");
        list.appendChild(none);
      }
    }

    input.addEventListener("input", show);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        input.value = "";
        show();
      }
    });
  }

  filterVenues();
  search();
})();

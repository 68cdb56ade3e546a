// muhasasa explorer: the live coalition builder. Ticking a list (or a bloc), choosing how
// many single-seat members join, or pressing a preset updates the seat count, the bar and
// each step's verdict at once, in the browser (the quotas come from the server's page);
// the address bar keeps the state, so the link reproduces it. Power indices still need
// the form's button (they are computed on the server).
"use strict";
(function () {
  var form = document.querySelector("form.builder[data-live]");
  if (!form) return;
  var arabic = form.getAttribute("data-lang") === "ar";
  var SVGNS = "http://www.w3.org/2000/svg";
  function digits(n) {
    var s = String(n);
    return arabic ? s.replace(/[0-9]/g, function (d) { return "٠١٢٣٤٥٦٧٨٩".charAt(+d); }) : s;
  }
  function ink(hex) {
    var c = [1, 3, 5].map(function (i) {
      var v = parseInt(hex.substr(i, 2), 16) / 255;
      return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    var l = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? "#000000" : "#ffffff";
  }
  function parts() {
    var out = [];
    form.querySelectorAll("input[name=member]:checked").forEach(function (box) {
      out.push({ name: box.getAttribute("data-name"), seats: +box.getAttribute("data-seats"),
                 colour: box.getAttribute("data-colour") });
    });
    form.querySelectorAll("select[name=take]").forEach(function (sel) {
      var k = +sel.value.split(":")[1];
      if (k > 0) out.push({ name: sel.getAttribute("data-name"), seats: k, colour: sel.getAttribute("data-colour") });
    });
    return out;
  }
  function update(push) {
    var chosen = parts();
    var seats = chosen.reduce(function (a, p) { return a + p.seats; }, 0);
    var section = document.querySelector("section.live");
    var svg = section.querySelector("figure.chart svg");
    var group = svg.querySelector("g.segments");
    var left = +group.getAttribute("data-left"), span = +group.getAttribute("data-span");
    var total = +group.getAttribute("data-total"), y = +group.getAttribute("data-y");
    var rtl = svg.getAttribute("direction") === "rtl";
    while (group.firstChild) group.removeChild(group.firstChild);
    var at = 0;
    chosen.forEach(function (p) {
      var w = span * p.seats / total;
      var x = rtl ? left + span - span * at / total - w : left + span * at / total;
      var g = document.createElementNS(SVGNS, "g");
      var tip = p.name + ": " + digits(p.seats);
      g.setAttribute("data-tip", tip);
      var r = document.createElementNS(SVGNS, "rect");
      [["x", x.toFixed(1)], ["y", y], ["width", w.toFixed(1)], ["height", 30], ["fill", p.colour], ["stroke", "#fff"]]
        .forEach(function (a) { r.setAttribute(a[0], a[1]); });
      var title = document.createElementNS(SVGNS, "title");
      title.textContent = tip;
      r.appendChild(title);
      g.appendChild(r);
      if (w >= 22) {
        var t = document.createElementNS(SVGNS, "text");
        [["x", (x + w / 2).toFixed(1)], ["y", y + 20], ["text-anchor", "middle"], ["fill", ink(p.colour)], ["font-size", 13]]
          .forEach(function (a) { t.setAttribute(a[0], a[1]); });
        t.textContent = digits(p.seats);
        g.appendChild(t);
      }
      group.appendChild(g);
      at += p.seats;
    });
    svg.querySelector("text.seat-total").textContent = digits(seats) + " / " + digits(total);
    var label = form.getAttribute("data-title").replace("{seats}", digits(seats));
    svg.querySelector("title").textContent = label;
    svg.setAttribute("aria-label", label);
    var result = section.querySelector(".live-result");
    result.textContent = form.getAttribute("data-result").replace("{seats}", digits(seats));
    section.querySelector("p.members").textContent = chosen.length
      ? chosen.map(function (p) { return p.name + " " + digits(p.seats); }).join(arabic ? "، " : ", ")
      : form.getAttribute("data-empty");
    section.querySelectorAll("[data-quota]").forEach(function (row) {
      var carries = seats >= +row.getAttribute("data-quota");
      var blocks = seats >= +row.getAttribute("data-blocking");
      row.classList.toggle("carries", carries);
      row.classList.toggle("blocks", !carries && blocks);
      row.classList.toggle("neither", !carries && !blocks);
      row.querySelector(".verdict").textContent =
        form.getAttribute(carries ? "data-carries" : blocks ? "data-blocks" : "data-neither");
    });
    if (push) {
      var params = new URLSearchParams(new FormData(form));
      var kept = new URLSearchParams();
      params.forEach(function (v, k) { if (!(k === "take" && /:0$/.test(v)) && v !== "") kept.append(k, v); });
      history.replaceState(null, "", location.pathname + "?" + kept.toString());
    }
  }
  form.addEventListener("change", function () { update(true); });
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button.preset");
    if (!button) return;
    var members = (button.getAttribute("data-members") || "").split(" ").filter(Boolean);
    form.querySelectorAll("input[name=member]").forEach(function (box) { box.checked = members.indexOf(box.value) >= 0; });
    if (!members.length) form.querySelectorAll("select[name=take]").forEach(function (sel) { sel.selectedIndex = 0; });
    update(true);
  });
})();

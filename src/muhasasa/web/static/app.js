// muhasasa explorer: the page script. The navigation menu on phones, tooltips on hover,
// tap and keyboard focus, "copy link", and a chart's SVG turned into a PNG download in
// the browser (a canvas), so PNGs need nothing on the server and work offline.
"use strict";
document.documentElement.classList.add("js");

// The menu button folds the navigation on a phone.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.menu");
  if (!button) return;
  var nav = document.getElementById(button.getAttribute("aria-controls"));
  var open = !nav.classList.contains("open");
  nav.classList.toggle("open", open);
  button.setAttribute("aria-expanded", open ? "true" : "false");
});

// Tooltips: any element with data-tip (a seat group, a bar, a tile, a segment).
(function () {
  var tip = null, shownFor = null;
  function box() { return tip || (tip = document.getElementById("tooltip")); }
  function show(el) {
    var t = box();
    if (!t) return;
    t.textContent = el.getAttribute("data-tip");
    t.hidden = false;
    var r = el.getBoundingClientRect();
    var w = t.offsetWidth, h = t.offsetHeight;
    var x = Math.min(Math.max(4, r.left + r.width / 2 - w / 2), window.innerWidth - w - 4);
    var y = r.top - h - 6;
    if (y < 4) y = r.bottom + 6;
    t.style.left = x + "px";
    t.style.top = y + "px";
    shownFor = el;
  }
  function hide() { if (box()) box().hidden = true; shownFor = null; }
  window.muhasasaTip = { show: show, hide: hide };
  document.addEventListener("pointerover", function (e) {
    var el = e.target.closest && e.target.closest("[data-tip]");
    if (el && e.pointerType !== "touch") show(el);
  });
  document.addEventListener("pointerout", function (e) {
    var el = e.target.closest && e.target.closest("[data-tip]");
    if (el && el === shownFor && !el.contains(e.relatedTarget)) hide();
  });
  document.addEventListener("focusin", function (e) {
    var el = e.target.closest && e.target.closest("[data-tip]");
    if (el) show(el); else hide();
  });
  document.addEventListener("focusout", function (e) {
    if (e.target === shownFor) hide();
  });
  document.addEventListener("click", function (e) {  // a tap shows the tip (a second tap follows a link)
    var el = e.target.closest && e.target.closest("svg [data-tip]");
    if (el) { if (shownFor === el) hide(); else show(el); }
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
  window.addEventListener("scroll", function () { if (shownFor) show(shownFor); }, { passive: true });
})();

// "Copy link": the view's address to the clipboard.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.copy");
  if (!button) return;
  var text = button.getAttribute("data-copy");
  var done = function () { button.setAttribute("data-done", "1"); button.textContent = button.textContent.replace(/ ✓$/, "") + " ✓"; };
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(text).then(done, function () { window.prompt("", text); });
  } else { window.prompt("", text); }
});
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.png");
  if (!button) return;
  var figure = button.closest("figure");
  var svg = figure && figure.querySelector("svg");
  if (!svg) return;
  var clone = svg.cloneNode(true);
  clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  var box = svg.viewBox && svg.viewBox.baseVal;
  var width = (box && box.width) || svg.width.baseVal.value || 720;
  var height = (box && box.height) || svg.height.baseVal.value || 400;
  var scale = 2;
  var text = new XMLSerializer().serializeToString(clone);
  var url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml;charset=utf-8" }));
  var image = new Image();
  image.onload = function () {
    var canvas = document.createElement("canvas");
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    var context = canvas.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    URL.revokeObjectURL(url);
    canvas.toBlob(function (blob) {
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = (button.dataset.file || "chart") + ".png";
      document.body.appendChild(link);
      link.click();
      setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
    }, "image/png");
  };
  image.onerror = function () { URL.revokeObjectURL(url); alert("PNG export failed in this browser; use the SVG."); };
  image.src = url;
});

// A run (Monte Carlo, formation replay) shows its progress while the server works.
document.addEventListener("submit", function (event) {
  var form = event.target.closest("form[data-progress]");
  if (!form) return;
  var bar = form.querySelector("progress.running");
  if (bar) bar.hidden = false;
  var button = form.querySelector("button[type=submit]");
  if (button) button.disabled = true;
});

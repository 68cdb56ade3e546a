// muhasasa explorer: the one script. Turns a chart's SVG into a PNG download in the
// browser (a canvas), so PNGs need nothing on the server and work offline.
"use strict";
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

/* ipai site navigation. Without script the groups are <details> dropdowns (keyboard-accessible by
   themselves) and, on small screens, the whole menu is shown. With it: small screens get one menu
   button; one group is open at a time; Escape or a click elsewhere closes an open group. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");

  function groups() { return document.querySelectorAll(".top nav details"); }
  function small() { return window.matchMedia("(max-width: 800px)").matches; }

  function closeGroups(except) {
    groups().forEach(function (d) { if (d !== except) d.open = false; });
  }

  function setMenu(header, button, open) {
    header.classList.toggle("nav-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {  // show the current page's group unfolded
      var here = header.querySelector(".nav-group.active details");
      if (here) here.open = true;
    }
  }

  function init() {
    var header = document.querySelector("header.top");
    var button = header && header.querySelector(".menu-button");
    if (!header || !button) return;
    button.addEventListener("click", function () {
      setMenu(header, button, !header.classList.contains("nav-open"));
    });
    groups().forEach(function (d) {
      d.addEventListener("toggle", function () { if (d.open) closeGroups(d); });
    });
    document.addEventListener("click", function (e) {
      if (!small() && !e.target.closest(".top nav details")) closeGroups(null);
    });
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") return;
      var open = document.querySelector(".top nav details[open]");
      if (open && !small()) {
        open.open = false;
        open.querySelector("summary").focus();
      } else if (header.classList.contains("nav-open")) {
        setMenu(header, button, false);
        button.focus();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

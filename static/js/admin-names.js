/* Names for the admin's controls that Django, select2 and django-import-export leave
   unnamed, so that a screen reader says what each one is:
   - inputs in table rows (list_editable columns, inline rows added later) take their
     column's header;
   - select2's search boxes take the label of the select they stand for;
   - a checkbox with neither takes the text around it;
   - the icons SelectFilter2 draws get the role that lets them carry their aria-label;
   - a change list's scrolling results are a named region a keyboard can reach.
   It runs again whenever the page changes (a row added, a select2 drawn). */
(function () {
  "use strict";

  function labelText(id) {
    var label = id && document.querySelector('label[for="' + id + '"]');
    return label ? label.textContent.replace(/[:*]\s*$/, "").trim() : "";
  }

  function columnHeader(control) {
    var cell = control.closest("td, th");
    var table = control.closest("table");
    var row = table && table.querySelector("thead tr");
    if (!cell || !row) return "";
    var header = row.children[cell.cellIndex];
    return header ? header.textContent.trim() : "";
  }

  function named(element) {
    return element.getAttribute("aria-label") || element.getAttribute("aria-labelledby") ||
      (element.labels && element.labels.length);
  }

  function nameControls() {
    document.querySelectorAll("input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]), select, textarea").forEach(function (control) {
      if (named(control)) return;
      var name = columnHeader(control) || control.title ||
        (control.parentElement ? control.parentElement.textContent.trim() : "");
      if (name) control.setAttribute("aria-label", name);
    });
    document.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
      if (box.getAttribute("aria-label")) return;
      var container = box.closest(".select2");
      var select = container && container.previousElementSibling;
      var name = select && (select.getAttribute("aria-label") || labelText(select.id));
      if (name) {
        box.setAttribute("aria-label", name);
        box.removeAttribute("aria-labelledby");
        box.querySelectorAll("[role=textbox]").forEach(function (shown) {
          shown.setAttribute("aria-label", name);
        });
      }
    });
    document.querySelectorAll("#changelist .results:not([tabindex])").forEach(function (region) {
      var heading = document.querySelector("#content h1");
      region.setAttribute("tabindex", "0");
      region.setAttribute("role", "region");
      region.setAttribute("aria-label", heading ? heading.textContent.trim() : document.title);
    });
    document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  // Named in the observer itself, not a moment later: its callback runs before any other
  // script or assistive technology reads the page, so no one meets a control drawn unnamed.
  // Setting attributes adds no child, so naming does not wake the observer again.
  document.addEventListener("DOMContentLoaded", function () {
    nameControls();
    new MutationObserver(nameControls).observe(document.body, { childList: true, subtree: true });
  });
  window.addEventListener("load", nameControls);
})();

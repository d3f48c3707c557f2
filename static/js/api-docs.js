// The API documentation page (Swagger UI): names for the controls Swagger UI leaves unnamed, and
// keyboard access to the example blocks that scroll. Swagger UI redraws as operations open, so a
// MutationObserver applies this to whatever it adds.
(function () {
  "use strict";

  function label(select) {
    if (select.hasAttribute("aria-label") || select.labels?.length) return;
    const row = select.closest("tr[data-param-name]");
    if (row) {
      select.setAttribute("aria-label", row.getAttribute("data-param-name"));
    } else if (select.closest(".content-type-wrapper, .response-content-type, .body-param-content-type")) {
      select.setAttribute("aria-label", "Media type");
    } else {
      select.setAttribute("aria-label", "Choose");
    }
  }

  function focusable(block) {
    if (block.hasAttribute("tabindex")) return;
    block.setAttribute("tabindex", "0");
    block.setAttribute("role", "region");
    block.setAttribute("aria-label", "Example");
  }

  function named(button) {
    if (!button.hasAttribute("aria-label")) button.setAttribute("aria-label", "Close");
  }

  function fix(root) {
    root.querySelectorAll("select").forEach(label);
    root.querySelectorAll("button.close-modal").forEach(named);
    root.querySelectorAll("pre.microlight, .highlight-code > pre, .model-box pre").forEach(focusable);
  }

  const container = document.getElementById("swagger-ui");
  if (!container) return;
  new MutationObserver(function () {
    fix(container);
  }).observe(container, { childList: true, subtree: true });
})();

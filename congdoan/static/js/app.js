// Tree nodes: the first click loads the sub-units (htmx); later clicks fold and unfold them.
document.addEventListener("click", function (event) {
  const button = event.target.closest(".tree .toggle");
  if (!button || button.tagName !== "BUTTON") return;
  const list = button.parentElement.querySelector(":scope > ul");
  const icon = button.querySelector("i");
  const open = button.getAttribute("aria-expanded") === "true";
  if (button.dataset.loaded && list) {
    list.hidden = open;
  }
  button.dataset.loaded = "1";
  button.setAttribute("aria-expanded", open ? "false" : "true");
  if (icon) icon.className = open ? "bi bi-caret-right-fill" : "bi bi-caret-down-fill";
});

// A table wider than the screen scrolls sideways inside its .table-responsive box: make such a
// box reachable with the keyboard (Tab, then the arrow keys) and name it after its heading.
function focusableScrollBoxes() {
  document.querySelectorAll(".table-responsive").forEach(function (box) {
    if (box.scrollWidth <= box.clientWidth) {
      box.removeAttribute("tabindex");
      return;
    }
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    const heading = box.previousElementSibling;
    if (heading && /^H[1-6]$/.test(heading.tagName)) {
      box.setAttribute("aria-label", heading.textContent.trim());
    }
  });
}
document.addEventListener("DOMContentLoaded", focusableScrollBoxes);
window.addEventListener("resize", focusableScrollBoxes);
document.addEventListener("htmx:afterSettle", focusableScrollBoxes);

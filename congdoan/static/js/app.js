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

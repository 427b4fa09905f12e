// The pages' own script, a file because the Content-Security-Policy allows no inline script.
// Listening on the document keeps working on pages htmx swaps in.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

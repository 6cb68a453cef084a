// A long form's count of answered rows follows the choices as they are made (the server counts too:
// this only spares a phone user scrolling to see how far they are).
document.querySelectorAll("form").forEach(function (form) {
  var counters = form.querySelectorAll(".answered");
  if (!counters.length) return;
  function count() {
    var names = {};
    form.querySelectorAll("input[type=radio][name^='answer:']:checked").forEach(function (r) { names[r.name] = 1; });
    var answered = Object.keys(names).length;
    counters.forEach(function (c) { c.textContent = answered; });
  }
  form.addEventListener("change", count);
});

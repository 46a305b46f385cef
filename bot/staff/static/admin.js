// The staff admin's own script (after jQuery and the admin library's scripts).

// Every change the page makes with JavaScript carries the form token too.
$.ajaxSetup({headers: {"X-CSRF-Token": $('meta[name="csrf-token"]').attr("content")}});
$(document).on("shown.bs.modal", "#modal-delete", function (event) {
  var element = $(event.relatedTarget);
  $("#modal-delete-text").text("Tämä poistaa pysyvästi: " + element.data("name") + " " +
    (element.data("pk") || "(valitut rivit)"));
});

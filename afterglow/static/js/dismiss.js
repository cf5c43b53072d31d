// A quiet note can be put away: its Dismiss button shows only when this file runs.
(function () {
  "use strict";
  var buttons = document.querySelectorAll(".gentle-dismiss");
  Array.prototype.forEach.call(buttons, function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var note = button.closest(".gentle-note");
      if (note) note.remove();
    });
  });
})();

// The periodic task form: its "in words" row follows the crontab chosen in the list.
(function () {
  "use strict";
  const data = document.getElementById("crontabs-in-words");
  const select = document.getElementById("id_crontab");
  const shown = document.querySelector(".field-crontab_translation .readonly");
  if (!data || !select || !shown) return;
  const words = JSON.parse(data.textContent);
  select.addEventListener("change", function () {
    shown.textContent = words[select.value] || "—";
  });
})();

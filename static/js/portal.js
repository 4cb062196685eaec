// Small progressive enhancements; every page works without this file.
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select) select.form.submit();
});

// A patent's number example follows the office and status chosen, and the registration
// date shows only for a registered patent (the server ignores it otherwise).
function patentFields(form, prefix) {
  const number = form.elements[prefix + "number"];
  if (!number || !number.dataset.patentExamples) return;
  const office = form.elements[prefix + "jurisdiction"].value || "KR";
  const status = form.elements[prefix + "status"].value || "application";
  const help = document.getElementById(number.id + "_helptext");
  const example = JSON.parse(number.dataset.patentExamples)[office + ":" + status];
  if (help && example) help.textContent = example;
  const registered = form.elements[prefix + "registered_on"];
  const field = registered && registered.closest(".field");
  if (field) field.hidden = status !== "registered";
}
document.addEventListener("change", (event) => {
  const select = event.target.closest("select");
  const match = select && select.form && select.name.match(/^(.*)(jurisdiction|status)$/);
  if (match) patentFields(select.form, match[1]);
});
document.querySelectorAll("input[data-patent-examples]").forEach((number) => {
  if (number.form) patentFields(number.form, number.name.replace(/number$/, ""));
});

// A button that cannot be taken back (delete, withdraw, cancel, close) asks first: its
// data-confirm holds the question in the page's language. Without this script the form
// posts as it did.
document.addEventListener("submit", (event) => {
  const button = event.submitter || event.target.querySelector("[data-confirm]");
  const question = button && button.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});

// A file over the portal's limit is refused here, before it is sent: on a phone the whole
// file would travel only to be refused. The page gives the server's limit and its message
// (data-max-bytes, data-too-large); the server checks again.
function fileTooLarge(input) {
  const limit = Number(input.dataset.maxBytes);
  const tooLarge = Array.from(input.files || []).some((file) => file.size > limit);
  const id = input.id + "_too_large";
  let note = document.getElementById(id);
  if (tooLarge && !note) {
    note = document.createElement("p");
    note.className = "error";
    note.id = id;
    note.setAttribute("role", "alert");
    note.textContent = input.dataset.tooLarge;
    input.insertAdjacentElement("afterend", note);
  } else if (!tooLarge && note) {
    note.remove();
  }
  input.toggleAttribute("aria-invalid", tooLarge);
  return tooLarge;
}
document.addEventListener("change", (event) => {
  const input = event.target.closest("input[type=file][data-max-bytes]");
  if (input) fileTooLarge(input);
});
document.addEventListener("submit", (event) => {
  const inputs = event.target.querySelectorAll("input[type=file][data-max-bytes]");
  const refused = Array.from(inputs).filter(fileTooLarge);
  if (refused.length) {
    event.preventDefault();
    refused[0].focus();
  }
});

// A text with a maximum shows how much of it is used ("120 / 3,000"), as it is typed.
function countCharacters(area) {
  let counter = document.getElementById(area.id + "_counter");
  if (!counter) {
    counter = document.createElement("p");
    counter.className = "help counter";
    counter.id = area.id + "_counter";
    area.insertAdjacentElement("afterend", counter);
  }
  const lang = document.documentElement.lang || undefined;
  const format = (n) => Number(n).toLocaleString(lang);
  counter.textContent = format(area.value.length) + " / " + format(area.maxLength);
}
document.querySelectorAll("textarea[data-counter][maxlength]").forEach(countCharacters);
document.addEventListener("input", (event) => {
  const area = event.target.closest("textarea[data-counter][maxlength]");
  if (area) countCharacters(area);
});

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

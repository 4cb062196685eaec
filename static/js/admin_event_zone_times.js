// Django's date-time script writes under each date and time field how far the browser's zone
// is from the page's, calling the page's "server time". The fields marked data-event-zone
// are typed in the event's zone, which their help says: there the note would tell a
// coordinator in Seoul, editing a Shanghai event, that they are "1 hour ahead of server
// time". Their "Now" still gives the page's zone, the event's current time.
(function () {
  "use strict";
  const shortcuts = window.DateTimeShortcuts;
  if (!shortcuts) return;
  const addTimezoneWarning = shortcuts.addTimezoneWarning;
  shortcuts.addTimezoneWarning = function (input) {
    if (!input.hasAttribute("data-event-zone")) addTimezoneWarning(input);
  };
})();

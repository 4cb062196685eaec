// On a laptop's screen the admin's menu starts closed: open beside a list's filters it left
// the list some 630 of 1280 pixels, and most lists scrolled sideways. The » at the left edge
// opens it, and Django's own script remembers that choice from then on.
(function () {
  var key = "django.admin.navSidebarIsOpen";
  if (localStorage.getItem(key) === null && window.innerWidth < 1600) {
    localStorage.setItem(key, "false");
  }
})();

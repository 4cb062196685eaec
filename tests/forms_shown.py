"""What a browser would post back from a page's form, unchanged: for saving a change page
"as shown" in a test, with every inline's management form and row as the page has them."""

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, []
        self.select = self.textarea = None
        self.options = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.append(
                (attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
            )
        elif tag == "select":
            self.select, self.options = attrs["name"], []
        elif tag == "option" and self.select:
            self.options.append(("selected" in attrs, attrs.get("value", "")))
        elif tag == "textarea":
            self.textarea, self.text = attrs["name"], ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            self.data += [(self.select, value) for chosen, value in self.options if chosen]
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.data.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None


def form_as_shown(html: str, form_id: str) -> dict[str, list[str]]:
    """Return the fields the form `form_id` of `html` would post, as {name: [values]}."""
    parser = _FormFields(form_id)
    parser.feed(html)
    shown: dict[str, list[str]] = {}
    for name, value in parser.data:
        shown.setdefault(name, []).append(value)
    return shown

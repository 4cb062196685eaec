import collections, re, time
from html.parser import HTMLParser
import pytest
from django.test import Client, override_settings
from tests.authz import matrix

pytestmark = pytest.mark.django_db

class Text(HTMLParser):
    SKIP = {"script", "style", "textarea", "template"}
    def __init__(self):
        super().__init__(convert_charrefs=True); self.parts=[]; self.skip=0
    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP: self.skip += 1
        a = dict(attrs)
        for k in ("placeholder", "title", "aria-label", "alt"):
            if a.get(k): self.parts.append(a[k])
        if tag == "input" and a.get("type") in ("submit", "button", "reset") and a.get("value"):
            self.parts.append(a["value"])
    def handle_endtag(self, tag):
        if tag in self.SKIP: self.skip -= 1
    def handle_data(self, data):
        if not self.skip: self.parts.append(data)

def test_explore(world):
    table = matrix.read_table()
    served = matrix.project_rows()
    rows = [r for r in served if r.url.startswith("admin") and r.method == "GET" and table.get(r, {}).get("center_manager") == 200]
    words = collections.defaultdict(set)
    t0 = time.process_time()
    n = 0
    for lang in ("ko", "zh-hans"):
        client = Client(); client.force_login(world.users["center_manager"]); client.cookies["lang"] = lang
        for row in rows:
            url = matrix.url_of(row, served[row], world)
            resp = client.get(url)
            matrix.finish(resp)
            if resp.status_code != 200 or "html" not in resp.get("Content-Type", ""): continue
            n += 1
            p = Text(); p.feed(resp.content.decode())
            text = " ".join(p.parts)
            for w in set(re.findall(r"[A-Za-z][A-Za-z'’]{2,}", text)):
                words[w].add(f"{lang} {row.url}")
    print("pages", n, "cpu", time.process_time() - t0)
    for w, where in sorted(words.items(), key=lambda kv: -len(kv[1])):
        print(f"{w:25} {len(where):4} {sorted(where)[:3]}")

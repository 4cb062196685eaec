"""Three-language texts: the reader's language, then English, then Korean, then Chinese."""

from types import SimpleNamespace

import pytest

from incubator.multilingual import localized


def text(**filled) -> SimpleNamespace:
    return SimpleNamespace(**{f"title_{code}": filled.get(code, "") for code in ("ko", "zh", "en")})


@pytest.mark.parametrize(
    ("reader", "filled", "shown"),
    [
        # A Chinese reader of a Korean event written in Korean and English reads English.
        ("zh-hans", {"ko": "서울 로드쇼", "en": "Seoul roadshow"}, "Seoul roadshow"),
        # A Korean reader of a Chinese event written in Chinese and English reads English.
        ("ko", {"zh": "哈尔滨路演", "en": "Harbin roadshow"}, "Harbin roadshow"),
        # No English: Korean before Chinese, for every other reader.
        ("en", {"ko": "서울 로드쇼", "zh": "首尔路演"}, "서울 로드쇼"),
        ("zh-hans", {"ko": "서울 로드쇼"}, "서울 로드쇼"),
        ("ko", {"zh": "哈尔滨路演"}, "哈尔滨路演"),
        # Their own language first, always.
        ("zh-hans", {"ko": "서울 로드쇼", "zh": "首尔路演", "en": "Seoul roadshow"}, "首尔路演"),
    ],
)
def test_a_text_falls_back_to_english_before_the_other_countrys_language(reader, filled, shown):
    assert localized(text(**filled), "title", reader) == shown
